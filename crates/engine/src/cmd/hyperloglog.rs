//! HyperLogLog commands (Redis 7.4's `hyperloglog.c`): PFADD, PFCOUNT, PFMERGE, PFDEBUG and
//! PFSELFTEST over string values holding Redis's exact HLL bytes (see `types/hll.rs`).

use super::spec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::events::Event;
use crate::frame::Frame;
use crate::types::hll::{self, REGISTERS};
use crate::types::{encoding, Value};
use bytes::Bytes;
use rand_core::RngCore;

#[rustfmt::skip]
crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec("pfadd", -2, &["write", "denyoom", "fast"], (1, 1, 1), "hyperloglog", "Add elements to a HyperLogLog (creating it); 1 if its estimate may have changed.", "key [element [element ...]]", pfadd),
    spec("pfcount", -2, &["readonly"], (1, -1, 1), "hyperloglog", "Estimated number of distinct elements added to one HyperLogLog, or to the union of several.", "key [key ...]", pfcount),
    spec("pfmerge", -2, &["write", "denyoom"], (1, -1, 1), "hyperloglog", "Store the union of HyperLogLogs in the first key (merged with its own contents).", "destkey [sourcekey [sourcekey ...]]", pfmerge),
    spec("pfdebug", 3, &["write", "denyoom", "admin"], (2, 2, 1), "hyperloglog", "Inspect a HyperLogLog: GETREG, DECODE, ENCODING or TODENSE.", "subcommand key", pfdebug),
    spec("pfselftest", 1, &["admin"], (0, 0, 0), "hyperloglog", "Check the HyperLogLog implementation's registers and estimates.", "", pfselftest),
]);

fn not_hll() -> CmdError {
    CmdError::raw("WRONGTYPE Key is not a valid HyperLogLog string value.")
}

fn corrupt() -> CmdError {
    CmdError::raw("INVALIDOBJ Corrupted HLL object detected")
}

/// The HLL bytes of a value, or the error Redis's `isHLLObjectOrReply` gives.
fn hll_bytes(value: &Value) -> Result<Bytes, CmdError> {
    match value {
        Value::Str(s) if hll::is_hll(s) => Ok(s.clone()),
        Value::Str(_) => Err(not_hll()),
        _ => Err(CmdError::wrong_type()),
    }
}

/// HLL bytes to change and the key's deadline.
type Writable = (Vec<u8>, Option<u64>);

/// An existing key's HLL for writing, with its deadline. The value is a `raw` string from now
/// on, changed or not, as Redis's `dbUnshareStringValue` leaves it.
fn write_hll(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Writable>, CmdError> {
    let Some(entry) = ctx.write(key) else { return Ok(None) };
    let found = (hll_bytes(&entry.value)?.to_vec(), entry.expires_at);
    ctx.db().settle_encoding(key, encoding::RAW);
    Ok(Some(found))
}

/// Store HLL bytes: always a `raw` string, as Redis's `dbUnshareStringValue` leaves it.
/// Store a changed HyperLogLog (PFADD and PFMERGE both send a `pfadd` event).
fn store(ctx: &mut Ctx, key: Bytes, bytes: Vec<u8>, ttl: Option<u64>) {
    ctx.set_encoded(key.clone(), Value::Str(Bytes::from(bytes)), ttl, encoding::RAW);
    ctx.notify(crate::notify::STRING, "pfadd", &key);
}

fn pfadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let max_bytes = ctx.server.config.hll_sparse_max_bytes;
    let (mut s, ttl, created) = match write_hll(ctx, &key)? {
        Some((s, ttl)) => (s, ttl, false),
        None => (hll::new_sparse(), None, true),
    };
    let (mut updated, mut past_end) = (created, 0);
    for ele in args.rest() {
        match hll::add(&mut s, &ele, max_bytes, &mut past_end) {
            Ok(grew) => updated |= grew,
            Err(hll::Corrupt) => {
                // Redis changed the string in place up to the bad element and keeps it (without
                // telling watchers: only a successful PFADD signals).
                let db = ctx.db_index();
                if let Some(entry) = ctx.db().raw_get_mut(&key) {
                    if !matches!(&entry.value, Value::Str(old) if old[..] == s[..]) {
                        entry.value = Value::Str(Bytes::from(s));
                        ctx.db().refresh_memory(&key);
                        ctx.server.events.emit(|| Event::Written { db, key });
                    }
                }
                return Err(corrupt());
            }
        }
    }
    if updated {
        hll::invalidate(&mut s);
        store(ctx, key, s, ttl);
    }
    Ok(Frame::Integer(updated.into()))
}

fn pfcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let keys = args.rest().to_vec();
    if keys.len() > 1 {
        let mut max = Box::new([0u8; REGISTERS]);
        for key in &keys {
            let Some(value) = ctx.read(key) else { continue };
            let s = hll_bytes(value)?;
            hll::merge(&mut max, &s).map_err(|_| corrupt())?;
        }
        return Ok(Frame::Integer(hll::count_registers(&max) as i64));
    }
    let key = keys[0].clone();
    let Some(value) = ctx.read(&key) else { return Ok(Frame::Integer(0)) };
    let mut s = hll_bytes(value)?.to_vec();
    if let Some(card) = hll::cached(&s) {
        ctx.db().settle_encoding(&key, encoding::RAW);
        return Ok(Frame::Integer(card as i64));
    }
    let card = hll::count(&s).map_err(|_| corrupt())?;
    hll::set_cached(&mut s, card);
    let ttl = ctx.db().raw_get(&key).and_then(|e| e.expires_at);
    store(ctx, key, s, ttl);
    Ok(Frame::Integer(card as i64))
}

fn pfmerge(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let keys = args.rest().to_vec();
    let mut max = Box::new([0u8; REGISTERS]);
    let mut use_dense = false;
    // The destination is merged too: it is the first of the keys.
    for key in &keys {
        let Some(value) = ctx.read(key) else { continue };
        let s = hll_bytes(value)?;
        use_dense |= s[4] == hll::DENSE;
        hll::merge(&mut max, &s).map_err(|_| corrupt())?;
    }
    let dest = keys[0].clone();
    let (mut s, ttl) = write_hll(ctx, &dest)?.unwrap_or_else(|| (hll::new_sparse(), None));
    if use_dense {
        hll::to_dense(&mut s, 0).map_err(|_| corrupt())?;
    }
    let mut past_end = 0;
    let max_bytes = ctx.server.config.hll_sparse_max_bytes;
    for (j, &m) in max.iter().enumerate().filter(|(_, m)| **m > 0) {
        if s[4] == hll::DENSE {
            hll::dense_set(&mut s, j, m);
        } else {
            // Redis ignores a failure here: the destination was checked while merging.
            let _ = hll::sparse_set(&mut s, j, m, max_bytes, &mut past_end);
        }
    }
    hll::invalidate(&mut s);
    store(ctx, dest, s, ttl);
    Ok(Frame::ok())
}

fn pfdebug(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let sub = args.next_bytes()?;
    let key = args.next_bytes()?;
    let Some((mut s, ttl)) = write_hll(ctx, &key)? else {
        return Err(CmdError::err("The specified key does not exist"));
    };
    let sub_is = |name: &str| sub.eq_ignore_ascii_case(name.as_bytes());
    let getreg = sub_is("getreg");
    if getreg || sub_is("todense") {
        let converted = hll::to_dense(&mut s, 0).map_err(|_| corrupt())?;
        let reply = match getreg {
            true => {
                Frame::Array((0..REGISTERS).map(|i| Frame::Integer(hll::get_reg(&s, i).into())).collect())
            }
            false => Frame::Integer(converted.into()),
        };
        if converted {
            store(ctx, key, s, ttl);
        }
        return Ok(reply);
    }
    if sub_is("decode") {
        if s[4] != hll::SPARSE {
            return Err(CmdError::err("HLL encoding is not sparse"));
        }
        Ok(Frame::bulk(hll::decode(&s)))
    } else if sub_is("encoding") {
        Ok(Frame::Simple(if s[4] == hll::DENSE { "dense" } else { "sparse" }.into()))
    } else {
        let name = String::from_utf8_lossy(&sub).replace(['\r', '\n'], " ");
        Err(CmdError::err(format!("Unknown PFDEBUG subcommand '{name}'")))
    }
}

/// PFSELFTEST, the same two checks as Redis's at a smaller scale (Redis runs 1000 register
/// rounds and 10 million elements; a browser tab should not freeze for that): registers keep
/// random values without disturbing neighbours, and a sparse and a dense HLL fed the same
/// elements agree and stay within six standard errors at every power of ten.
fn pfselftest(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let max_bytes = ctx.server.config.hll_sparse_max_bytes;
    let rng = &mut ctx.server.rng;
    let mut dense = vec![0u8; hll::DENSE_SIZE];
    dense[..5].copy_from_slice(b"HYLL\x00");
    let mut expected = vec![0u8; REGISTERS];
    for _ in 0..5 {
        for (i, e) in expected.iter_mut().enumerate() {
            *e = (rng.next_u32() & 63) as u8;
            hll::set_reg(&mut dense, i, *e);
        }
        if let Some(i) = (0..REGISTERS).find(|&i| hll::get_reg(&dense, i) != expected[i]) {
            return Err(CmdError::err(format!(
                "TESTFAILED Register {i} should be {} but is {}",
                expected[i],
                hll::get_reg(&dense, i)
            )));
        }
    }
    dense[hll::HDR..].fill(0);
    let mut sparse = hll::new_sparse();
    let relerr = 1.04 / (REGISTERS as f64).sqrt();
    let seed = rng.next_u64();
    let mut checkpoint = 1u64;
    for j in 1..=100_000u64 {
        let ele = (j ^ seed).to_le_bytes();
        let (index, count) = hll::pat_len(&ele);
        hll::dense_set(&mut dense, index, count);
        hll::add(&mut sparse, &ele, max_bytes, &mut 0)
            .map_err(|_| CmdError::err("TESTFAILED sparse HLL corrupted"))?;
        if j != checkpoint {
            continue;
        }
        if j < max_bytes / 2 && sparse[4] != hll::SPARSE {
            return Err(CmdError::err("TESTFAILED sparse encoding not used"));
        }
        let estimate = hll::count(&dense).unwrap_or(0);
        if hll::count(&sparse).ok() != Some(estimate) {
            return Err(CmdError::err("TESTFAILED dense/sparse disagree"));
        }
        let maxerr = if j == 10 { 1 } else { (relerr * 6.0 * checkpoint as f64).ceil() as u64 };
        let abserr = checkpoint.abs_diff(estimate);
        if abserr > maxerr {
            return Err(CmdError::err(format!(
                "TESTFAILED Too big error. card:{checkpoint} abserr:{abserr}"
            )));
        }
        checkpoint *= 10;
    }
    Ok(Frame::ok())
}
