//! LuaBitOp's `bit` library, as Redis bundles it: 32-bit operations on Lua's doubles.

use omnilua::{Lua, Table, Variadic};

/// A number as LuaBitOp reads it: rounded to an integer (ties to even), its low 32 bits.
fn tobit(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    let r = n.round_ties_even();
    (r.rem_euclid(4_294_967_296.0) as u64 as u32) as i32
}

/// The `bit` table.
pub fn library(lua: &Lua) -> omnilua::Result<Table> {
    let t = lua.create_table()?;
    t.set("tobit", lua.create_function(|_, n: f64| Ok(f64::from(tobit(n))))?)?;
    t.set("bnot", lua.create_function(|_, n: f64| Ok(f64::from(!tobit(n))))?)?;
    t.set("bswap", lua.create_function(|_, n: f64| Ok(f64::from(tobit(n).swap_bytes())))?)?;
    let fold = |op: fn(i32, i32) -> i32| {
        move |_: &Lua, (first, rest): (f64, Variadic<f64>)| {
            Ok(f64::from(rest.into_vec().into_iter().fold(tobit(first), |acc, n| op(acc, tobit(n)))))
        }
    };
    t.set("band", lua.create_function(fold(|a, b| a & b))?)?;
    t.set("bor", lua.create_function(fold(|a, b| a | b))?)?;
    t.set("bxor", lua.create_function(fold(|a, b| a ^ b))?)?;
    let shift = |op: fn(i32, u32) -> i32| {
        move |_: &Lua, (n, by): (f64, f64)| Ok(f64::from(op(tobit(n), (tobit(by) as u32) & 31)))
    };
    t.set("lshift", lua.create_function(shift(|a, s| ((a as u32) << s) as i32))?)?;
    t.set("rshift", lua.create_function(shift(|a, s| ((a as u32) >> s) as i32))?)?;
    t.set("arshift", lua.create_function(shift(|a, s| a >> s))?)?;
    t.set("rol", lua.create_function(shift(|a, s| (a as u32).rotate_left(s) as i32))?)?;
    t.set("ror", lua.create_function(shift(|a, s| (a as u32).rotate_right(s) as i32))?)?;
    t.set(
        "tohex",
        lua.create_function(|_, (n, digits): (f64, Option<f64>)| {
            // Redis's fix of LuaBitOp: -2^31 counts as -(2^31 - 1), not as itself.
            let mut d = digits.map_or(8, tobit).max(i32::MIN + 1);
            let upper = d < 0;
            if upper {
                d = d.wrapping_neg();
            }
            let d = d.clamp(0, 8) as usize;
            let v = tobit(n) as u32;
            let text = if upper { format!("{v:08X}") } else { format!("{v:08x}") };
            Ok(text[8 - d..].to_string())
        })?,
    )?;
    Ok(t)
}
