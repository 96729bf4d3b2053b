//! The rest of Redis 7.4's parameter table: every setting `config.rs` does not model itself
//! (`params/table.rs`, generated from Redis's `config.c`), kept as CONFIG GET prints it. CONFIG
//! SET checks a value as Redis does for the parameter's kind (yes/no, one of a list, an integer
//! within bounds, with memory units, percentages or in octal, a string, or one of the special
//! forms) and answers Redis's error otherwise; nothing else in the engine reads these values.

mod table;

use std::collections::BTreeMap;

// Parameter flags.
pub const IMMUTABLE: u8 = 1;
pub const PROTECTED: u8 = 1 << 1;
/// Left out of CONFIG GET's pattern matches (asked by name only).
pub const HIDDEN: u8 = 1 << 2;
/// The value is several words (`save 3600 1`).
pub const MULTI_ARG: u8 = 1 << 3;

// Numeric parameter flags.
pub const MEMORY: u8 = 1;
pub const PERCENT: u8 = 1 << 1;
pub const OCTAL: u8 = 1 << 2;
/// An unsigned C type: bounds are checked and printed as unsigned.
pub const UNSIGNED: u8 = 1 << 3;

/// How a parameter's value is read.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Bool,
    /// One of these comma-separated names (several, for MULTI_ARG flags).
    Enum(&'static str),
    /// An integer within (min, max), with numeric flags.
    Num(i64, u64, u8),
    Str,
    /// A form of its own (`client-output-buffer-limit`, `oom-score-adj-values`, ...).
    Special,
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    /// The old name it also answers to (`slaveof`), or empty.
    pub alias: &'static str,
    pub flags: u8,
    pub kind: Kind,
    pub default: &'static str,
}

/// One line of the table (see `params/table.rs`).
fn parse(line: &'static str) -> Option<Param> {
    let mut f = line.split('\t');
    let (name, alias, flags, kind, default) = (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
    let kind = match kind.split_at_checked(1)? {
        ("b", _) => Kind::Bool,
        ("e", names) => Kind::Enum(names),
        ("n", bounds) => {
            let mut b = bounds.split(',');
            Kind::Num(b.next()?.parse().ok()?, b.next()?.parse().ok()?, b.next()?.parse().ok()?)
        }
        ("s", _) => Kind::Str,
        _ => Kind::Special,
    };
    Some(Param { name, alias, flags: flags.parse().ok()?, kind, default })
}

fn all() -> impl Iterator<Item = Param> {
    table::TABLE.lines().filter_map(parse)
}

/// The parameter a lowercase name (or alias) stands for.
pub fn lookup(name: &str) -> Option<Param> {
    all().find(|p| p.name == name || (!p.alias.is_empty() && p.alias == name))
}

/// Every (name, parameter) pair CONFIG GET's patterns may list: names and aliases, no hidden.
pub fn listed() -> impl Iterator<Item = (&'static str, Param)> {
    let visible = all().filter(|p| p.flags & HIDDEN == 0);
    visible.flat_map(|p| [(p.name, p), (p.alias, p)]).filter(|(n, _)| !n.is_empty())
}

/// Values set since the start, by parameter name (the others have their default).
#[derive(Debug, Clone, Default)]
pub struct Values(BTreeMap<&'static str, String>);

impl Values {
    /// The number a parameter was set to, `None` while it keeps its default: a lookup cheap
    /// enough for every command (`min-replicas-to-write`).
    pub fn set_number(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(|v| v.parse().ok())
    }

    /// The value CONFIG GET prints.
    pub fn get(&self, param: &Param) -> &str {
        self.0.get(param.name).map_or(param.default, String::as_str)
    }

    /// CONFIG SET of one parameter; the error is the text after `CONFIG SET failed (...) - `.
    pub fn set(&mut self, param: &Param, value: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(value);
        let value = match param.kind {
            Kind::Bool => match text.to_ascii_lowercase().as_str() {
                v @ ("yes" | "no") => v.to_string(),
                _ => return Err("argument must be 'yes' or 'no'".into()),
            },
            Kind::Enum(names) => {
                let names: Vec<&str> = names.split(',').collect();
                enum_value(&names, &text, param.flags & MULTI_ARG != 0)?
            }
            Kind::Num(min, max, flags) => number(min, max, flags, &text)?,
            Kind::Str => text.into_owned(),
            Kind::Special => special(param.name, &text, self.get(param))?,
        };
        self.0.insert(param.name, value);
        Ok(())
    }
}

/// An enum's value (for MULTI_ARG, the flags given, printed in the enum's order; none is the
/// first name, `default`).
fn enum_value(names: &[&str], text: &str, multi: bool) -> Result<String, String> {
    let find = |w: &str| names.iter().position(|n| n.eq_ignore_ascii_case(w));
    let words: Vec<&str> = if multi { text.split_ascii_whitespace().collect() } else { vec![text] };
    let found: Option<Vec<usize>> = words.iter().map(|w| find(w)).collect();
    match found {
        Some(found) if !found.is_empty() => {
            if !multi {
                return Ok(names[found[0]].to_string());
            }
            let set: Vec<&str> = (1..names.len()).filter(|i| found.contains(i)).map(|i| names[i]).collect();
            Ok(if set.is_empty() { names[0].to_string() } else { set.join(" ") })
        }
        _ => Err(format!("argument(s) must be one of the following: {}", names.join(", "))),
    }
}

/// Redis's `numericParseString` and `numericBoundaryCheck`, then the value as CONFIG GET
/// prints it.
pub(crate) fn number(min: i64, max: u64, flags: u8, text: &str) -> Result<String, String> {
    let mut parsed = None;
    if flags & MEMORY != 0 {
        parsed = crate::config::parse_memory(text).map(|n| n as i64);
    }
    if parsed.is_none() && flags & PERCENT != 0 && text.len() > 1 && text.ends_with('%') {
        parsed = crate::args::parse_i64(&text.as_bytes()[..text.len() - 1]).filter(|n| *n >= 0).map(|n| -n);
    }
    if parsed.is_none() && flags & OCTAL != 0 {
        let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
        let negative = text.starts_with('-');
        parsed = match i64::from_str_radix(digits, 8) {
            Ok(n) => Some(if negative { -n } else { n }),
            Err(_) if digits.is_empty() => Some(0),
            Err(_) => None,
        };
    }
    if parsed.is_none() && flags & (MEMORY | PERCENT | OCTAL) == 0 {
        parsed = crate::args::parse_i64(text.as_bytes());
    }
    let Some(n) = parsed else {
        return Err(match flags & (MEMORY | PERCENT | OCTAL) {
            f if f == MEMORY | PERCENT => "argument must be a memory or percent value",
            MEMORY => "argument must be a memory value",
            OCTAL => "argument couldn't be parsed as an octal number",
            _ => "argument couldn't be parsed into an integer",
        }
        .into());
    };
    if flags & UNSIGNED != 0 {
        let unsigned = n as u64;
        if unsigned > max || unsigned < min as u64 {
            return Err(if flags & OCTAL != 0 {
                format!("argument must be between {min:o} and {max:o} inclusive")
            } else {
                format!("argument must be between {min} and {max} inclusive")
            });
        }
    } else if flags & PERCENT != 0 && n < 0 {
        if n < min {
            return Err(format!("percentage argument must be less or equal to {}", -min));
        }
    } else if n < min || (n >= 0 && n as u64 > max) {
        return Err(format!("argument must be between {min} and {max} inclusive"));
    }
    Ok(match n {
        n if flags & PERCENT != 0 && n < 0 => format!("{}%", -n),
        n if flags & (MEMORY | UNSIGNED) != 0 => (n as u64).to_string(),
        n if flags & OCTAL != 0 => format!("{n:o}"),
        n => n.to_string(),
    })
}

/// The special forms, checked as Redis's own setters check them.
fn special(name: &str, text: &str, current: &str) -> Result<String, String> {
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    match name {
        "client-output-buffer-limit" => {
            const BAD: &str = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            if words.len() % 4 != 0 || words.is_empty() {
                return Err("Wrong number of arguments in buffer limit configuration.".into());
            }
            // (class, hard, soft, seconds) as printed, updated class by class.
            let mut limits: Vec<Vec<String>> = current
                .split(' ')
                .collect::<Vec<_>>()
                .chunks(4)
                .map(|c| c.iter().map(|s| s.to_string()).collect())
                .collect();
            let mut updates = Vec::new();
            for group in words.chunks(4) {
                let class = match group[0].to_ascii_lowercase().as_str() {
                    "normal" => 0,
                    "slave" | "replica" => 1,
                    "pubsub" => 2,
                    _ => return Err("Invalid client class specified in buffer limit configuration.".into()),
                };
                let hard = crate::config::parse_memory(group[1]).ok_or(BAD)?;
                let soft = crate::config::parse_memory(group[2]).ok_or(BAD)?;
                let secs = crate::args::parse_i64(group[3].as_bytes()).filter(|s| *s >= 0).ok_or(BAD)?;
                updates.push((class, [hard.to_string(), soft.to_string(), secs.to_string()]));
            }
            for (class, values) in updates {
                if let Some(row) = limits.get_mut(class) {
                    row.truncate(1);
                    row.extend(values);
                }
            }
            Ok(limits.iter().map(|r| r.join(" ")).collect::<Vec<_>>().join(" "))
        }
        "oom-score-adj-values" => {
            if words.len() != 3 {
                return Err("wrong number of arguments".into());
            }
            let values: Option<Vec<i64>> = words
                .iter()
                .map(|w| crate::args::parse_i64(w.as_bytes()).filter(|v| (-2000..=2000).contains(v)))
                .collect();
            let values =
                values.ok_or("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")?;
            Ok(values.iter().map(i64::to_string).collect::<Vec<_>>().join(" "))
        }
        "latency-tracking-info-percentiles" => {
            let mut out = Vec::new();
            for w in words {
                let p = crate::float::parse_double(w.as_bytes())
                    .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
                if !(0.0..=100.0).contains(&p) {
                    return Err(
                        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]".into(),
                    );
                }
                let fixed = format!("{p:.6}");
                out.push(fixed.trim_end_matches('0').trim_end_matches('.').to_string());
            }
            Ok(out.join(" "))
        }
        _ => Ok(words.join(" ")),
    }
}
