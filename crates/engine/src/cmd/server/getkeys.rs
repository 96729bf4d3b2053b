//! Key specs, and COMMAND GETKEYS / GETKEYSANDFLAGS: the key arguments of a full command, with
//! how the command uses each, found as Redis 7.4 finds them (`getKeysFromCommandWithSpecs`).
//!
//! Redis describes each command's keys with key specs (`keyspecs.rs`, generated from its
//! `commands.def`): where the search begins (an index, or after a keyword) and how the keys
//! follow (a range, or a count argument). They are used first unless a spec has variable flags
//! (SET, BITFIELD); when they fail (an INCOMPLETE or unknown spec, a bad count), the command's
//! own key procedure decides, as Redis's `getkeys_proc` does (SORT, MIGRATE, GEORADIUS, XREAD,
//! the `numkeys` commands).

use super::super::CommandSpec;
use super::keyspecs::TABLE;
use crate::args::{lower, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;

// A key spec's flags, in the order COMMAND prints them.
// (RM, 1 << 3, and INSERT, 1 << 6, appear in the table only.)
pub const RO: u16 = 1;
pub const RW: u16 = 1 << 1;
pub const OW: u16 = 1 << 2;
pub const ACCESS: u16 = 1 << 4;
pub const UPDATE: u16 = 1 << 5;
pub const DELETE: u16 = 1 << 7;
pub const NOT_KEY: u16 = 1 << 8;
pub const INCOMPLETE: u16 = 1 << 9;
pub const VARIABLE_FLAGS: u16 = 1 << 10;
const FLAG_NAMES: [&str; 11] = [
    "RO",
    "RW",
    "OW",
    "RM",
    "access",
    "update",
    "insert",
    "delete",
    "not_key",
    "incomplete",
    "variable_flags",
];

/// Where a key spec's search begins: at an index, after a keyword searched from `startfrom`
/// (negative: backwards from the end), or unknown (the command's own procedure finds them).
#[derive(Debug, Clone, Copy)]
pub enum Begin {
    Index(i32),
    Keyword(&'static str, i32),
    Unknown,
}

/// How the keys follow: a range (last key relative to the first, negative from the end; step;
/// limit), a count argument (its index relative to the start, the first key's, step), unknown.
#[derive(Debug, Clone, Copy)]
pub enum Find {
    Range(i32, i32, i32),
    KeyNum(i32, i32, i32),
    Unknown,
}

/// One key spec: its notes (empty: none), flags, and how to find its keys.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    pub notes: &'static str,
    pub flags: u16,
    pub begin: Begin,
    pub find: Find,
}

/// The command tips and key specs of `spec`, named `full_name` (`object|encoding`). A module
/// command's single spec comes from its key range, as Redis's `RM_CreateCommand` makes it.
pub fn meta(spec: &CommandSpec, full_name: &str) -> (Vec<&'static str>, Vec<KeySpec>) {
    if spec.has_flag("module") {
        let (first, last, step) = spec.keys;
        if first == 0 {
            return (Vec::new(), Vec::new());
        }
        let last = if last < 0 { last } else { last - first };
        let find = Find::Range(last, step, 0);
        return (
            Vec::new(),
            vec![KeySpec { notes: "", flags: RW | ACCESS | UPDATE, begin: Begin::Index(first), find }],
        );
    }
    let row = TABLE.lines().find_map(|line| line.strip_prefix(full_name)?.strip_prefix('\t'));
    let Some(row) = row else { return (Vec::new(), Vec::new()) };
    let mut fields = row.split('\t');
    let tips = fields.next().unwrap_or("").split(' ').filter(|t| !t.is_empty()).collect();
    (tips, fields.filter_map(parse_spec).collect())
}

/// One key spec of the table: `FLAGS BEGIN FIND`, then `|notes` if any.
fn parse_spec(text: &'static str) -> Option<KeySpec> {
    let (text, notes) = text.split_once('|').unwrap_or((text, ""));
    let mut parts = text.split(' ');
    let flags = parts.next()?.parse().ok()?;
    let nums = |s: &str| -> Option<(i32, i32, i32)> {
        let mut n = s.split(',').map(|v| v.parse::<i32>());
        Some((n.next()?.ok()?, n.next()?.ok()?, n.next()?.ok()?))
    };
    let begin = parts.next()?;
    let begin = if let Some(at) = begin.strip_prefix('i') {
        Begin::Index(at.parse().ok()?)
    } else if let Some((word, from)) = begin.strip_prefix('k').and_then(|k| k.rsplit_once(',')) {
        Begin::Keyword(word, from.parse().ok()?)
    } else {
        Begin::Unknown
    };
    let find = parts.next()?;
    let find = if let Some(rest) = find.strip_prefix('r') {
        nums(rest).map(|(l, s, m)| Find::Range(l, s, m))?
    } else if let Some(rest) = find.strip_prefix('n') {
        nums(rest).map(|(i, f, s)| Find::KeyNum(i, f, s))?
    } else {
        Find::Unknown
    };
    Some(KeySpec { notes, flags, begin, find })
}

/// A set of key-spec flags as COMMAND prints them.
pub fn flags_frame(flags: u16) -> Frame {
    let names = FLAG_NAMES.iter().enumerate().filter(|(i, _)| flags & (1 << i) != 0);
    Frame::Set(names.map(|(_, n)| Frame::Simple((*n).to_string())).collect())
}

/// COMMAND INFO's key specs: a set of maps (notes, flags, begin_search, find_keys).
pub fn specs_frame(specs: &[KeySpec]) -> Frame {
    let b = Frame::bulk;
    let int = |n: i32| Frame::Integer(n.into());
    let typed = |kind: &str, spec: Vec<(Frame, Frame)>| {
        Frame::Map(vec![(b("type"), Frame::bulk(kind.to_string())), (b("spec"), Frame::Map(spec))])
    };
    let one = |s: &KeySpec| {
        let begin = match s.begin {
            Begin::Index(i) => typed("index", vec![(b("index"), int(i))]),
            Begin::Keyword(k, from) => {
                typed("keyword", vec![(b("keyword"), b(k)), (b("startfrom"), int(from))])
            }
            Begin::Unknown => typed("unknown", vec![]),
        };
        let find = match s.find {
            Find::Range(last, step, limit) => typed(
                "range",
                vec![(b("lastkey"), int(last)), (b("keystep"), int(step)), (b("limit"), int(limit))],
            ),
            Find::KeyNum(idx, first, step) => typed(
                "keynum",
                vec![(b("keynumidx"), int(idx)), (b("firstkey"), int(first)), (b("keystep"), int(step))],
            ),
            Find::Unknown => typed("unknown", vec![]),
        };
        let mut map = Vec::with_capacity(4);
        if !s.notes.is_empty() {
            map.push((b("notes"), b(s.notes)));
        }
        map.extend([(b("flags"), flags_frame(s.flags)), (b("begin_search"), begin), (b("find_keys"), find)]);
        Frame::Map(map)
    };
    Frame::Set(specs.iter().map(one).collect())
}

/// The spec a full command names and its full name: a container's subcommand when one is
/// given (`memory usage`), None for an unknown command or subcommand (Redis's `lookupCommand`).
fn lookup(argv: &[Bytes]) -> Option<(&'static CommandSpec, String)> {
    let spec = super::super::lookup(&lower(argv.first()?))?;
    match argv.get(1) {
        Some(sub) if !spec.subcommands.is_empty() => {
            let sub = lower(sub);
            let found = spec.subcommands.iter().find(|s| s.name == sub)?;
            Some((found, format!("{}|{}", spec.name, found.name)))
        }
        _ => Some((spec, spec.name.to_string())),
    }
}

/// The full name of `spec` as run by `argv` (`xinfo|stream` when `spec` is a subcommand).
fn full_name(spec: &CommandSpec, argv: &[Bytes]) -> String {
    let parent = argv.first().and_then(|n| super::super::lookup(&lower(n)));
    match parent {
        Some(p) if !std::ptr::eq(p, spec) && p.subcommands.iter().any(|s| std::ptr::eq(s, spec)) => {
            format!("{}|{}", p.name, spec.name)
        }
        _ => spec.name.to_string(),
    }
}

/// Keys by the key specs (Redis's `getKeysUsingKeySpecs`), None when a spec fails.
fn by_specs(specs: &[KeySpec], argv: &[Bytes]) -> Option<Vec<(usize, u16)>> {
    let argc = argv.len() as i64;
    let mut keys = Vec::new();
    for s in specs.iter().filter(|s| s.flags & NOT_KEY == 0) {
        let first = match s.begin {
            Begin::Index(i) => i64::from(i),
            Begin::Keyword(word, from) => {
                let from = i64::from(from);
                let start = if from > 0 { from } else { argc + from };
                let end = if from > 0 { argc - 1 } else { 1 };
                let mut i = start;
                let mut found = 0;
                while i != end && (1..argc).contains(&i) {
                    if argv[i as usize].eq_ignore_ascii_case(word.as_bytes()) {
                        found = i + 1;
                        break;
                    }
                    i += if start <= end { 1 } else { -1 };
                }
                if found == 0 {
                    continue;
                }
                found
            }
            Begin::Unknown => return None,
        };
        let (first, last, step) = match s.find {
            Find::Range(lastkey, step, limit) => {
                let last = match (lastkey, limit) {
                    (l, _) if l >= 0 => first + i64::from(l),
                    (l, 0) => argc + i64::from(l),
                    (l, limit) => first + ((argc - first) / i64::from(limit) + i64::from(l)),
                };
                (first, last, i64::from(step))
            }
            Find::KeyNum(idx, firstkey, step) => {
                let at = first + i64::from(idx);
                if i64::from(idx) >= argc || at >= argc {
                    return None;
                }
                let n = crate::args::parse_i64(&argv[at as usize]).filter(|n| *n >= 0)?;
                let first = first + i64::from(firstkey);
                (first, first.saturating_add(n) - 1, i64::from(step))
            }
            Find::Unknown => return None,
        };
        if last >= argc || last < first || first >= argc {
            return None;
        }
        let mut i = first;
        while i <= last {
            keys.push((i as usize, s.flags));
            i += step.max(1);
        }
        if s.flags & INCOMPLETE != 0 {
            return None;
        }
    }
    Some(keys)
}

/// C's `atoi` as glibc has it (`strtol` clamped, then cut to an int): `numkeys` in the key
/// procedures.
fn atoi(arg: &[u8]) -> i32 {
    let text = std::str::from_utf8(arg).unwrap_or("").trim_start();
    let (neg, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut n: i64 = 0;
    for d in digits.bytes().take_while(u8::is_ascii_digit) {
        n = n.saturating_mul(10).saturating_add(i64::from(d - b'0'));
    }
    (if neg { n.saturating_neg() } else { n }) as i32
}

/// Redis's `genericGetKeys`: `numkeys` at `count_at`, keys from `first`, a store key (listed
/// last) at `store`; no keys when the count does not fit.
fn numkeys_proc(argv: &[Bytes], store: usize, count_at: usize, first: usize) -> Vec<(usize, u16)> {
    let num = argv.get(count_at).map_or(0, |a| atoi(a));
    if num < 1 || num as usize > argv.len().saturating_sub(first) {
        return Vec::new();
    }
    let mut keys: Vec<(usize, u16)> = (first..first + num as usize).map(|i| (i, 0)).collect();
    if store > 0 {
        keys.push((store, 0));
    }
    keys
}

/// True for the commands with a key procedure of their own (Redis's `getkeys_proc`).
fn has_proc(name: &str) -> bool {
    native(name, &[]).is_some()
}

/// The command's own key procedure, None when it has none.
fn native(name: &str, argv: &[Bytes]) -> Option<Vec<(usize, u16)>> {
    let argc = argv.len();
    let is = |i: usize, word: &str| argv.get(i).is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()));
    Some(match name {
        "sintercard" | "zunion" | "zinter" | "zdiff" | "zintercard" | "lmpop" | "zmpop" => {
            numkeys_proc(argv, 0, 1, 2)
        }
        "zunionstore" | "zinterstore" | "zdiffstore" => numkeys_proc(argv, 1, 2, 3),
        "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro" | "blmpop" | "bzmpop" => {
            numkeys_proc(argv, 0, 2, 3)
        }
        "set" => {
            let get = argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"get"));
            vec![(1, if get { RW | ACCESS | UPDATE } else { OW | UPDATE })]
        }
        "bitfield" => {
            let (mut i, mut readonly) = (2, true);
            while i < argc {
                let left = argc - i - 1;
                if is(i, "get") && left >= 2 {
                    i += 2;
                } else if (is(i, "set") || is(i, "incrby")) && left >= 3 {
                    readonly = false;
                    break;
                } else if is(i, "overflow") && left >= 1 {
                    i += 1;
                } else {
                    readonly = false;
                    break;
                }
                i += 1;
            }
            vec![(1, if readonly { RO | ACCESS } else { RW | ACCESS | UPDATE })]
        }
        "sort_ro" => vec![(1, RO | ACCESS)],
        "sort" => {
            // The last STORE wins; LIMIT, GET and BY skip their arguments.
            let (mut store, mut i) = (None, 2);
            while i < argc {
                if is(i, "limit") {
                    i += 2;
                } else if is(i, "store") && i + 1 < argc {
                    store = Some((i + 1, OW | UPDATE));
                } else if is(i, "get") || is(i, "by") {
                    i += 1;
                }
                i += 1;
            }
            [Some((1, RO | ACCESS)), store].into_iter().flatten().collect()
        }
        "migrate" => {
            let (mut first, mut num) = (3, 1);
            let mut i = 6;
            while argc > 6 && i < argc {
                if is(i, "keys") {
                    if argv[3].is_empty() {
                        first = i + 1;
                        num = argc - first;
                    } else {
                        num = 0;
                    }
                    break;
                }
                i += if is(i, "auth") {
                    2
                } else if is(i, "auth2") {
                    3
                } else {
                    1
                };
            }
            (first..first + num).map(|i| (i, RW | ACCESS | DELETE)).collect()
        }
        "georadius" | "georadiusbymember" => {
            // Either STORE or STOREDIST names the stored key; the last one wins.
            let (mut stored, mut i) = (None, 5);
            while i < argc {
                if (is(i, "store") || is(i, "storedist")) && i + 1 < argc {
                    stored = Some((i + 1, 0));
                    i += 1;
                }
                i += 1;
            }
            [Some((1, 0)), stored].into_iter().flatten().collect()
        }
        "xread" | "xreadgroup" => {
            let mut i = 1;
            let mut streams = None;
            while i < argc {
                if is(i, "block") || is(i, "count") {
                    i += 1;
                } else if is(i, "group") {
                    i += 2;
                } else if is(i, "streams") {
                    streams = Some(i);
                    break;
                } else if !is(i, "noack") {
                    break;
                }
                i += 1;
            }
            let Some(at) = streams else { return Some(Vec::new()) };
            let num = argc - at - 1;
            if num == 0 || num % 2 != 0 {
                return Some(Vec::new());
            }
            (at + 1..at + 1 + num / 2).map(|i| (i, 0)).collect()
        }
        _ => return None,
    })
}

/// Keys and their flags in `argv` for `spec` named `full` (Redis's
/// `getKeysFromCommandWithSpecs`): empty when the arguments cannot hold them.
fn keys_and_flags(spec: &CommandSpec, full: &str, argv: &[Bytes]) -> Vec<(usize, u16)> {
    let (_, specs) = meta(spec, full);
    let has_spec = specs.iter().any(|s| s.flags & NOT_KEY == 0);
    let variable = specs.iter().any(|s| s.flags & VARIABLE_FLAGS != 0);
    if has_spec && !variable {
        if let Some(keys) = by_specs(&specs, argv) {
            return keys;
        }
    }
    native(full, argv).unwrap_or_default()
}

/// Key positions in `argv` (the command name at 0): ACL key patterns, tracking and cluster
/// routing use them. None when the arguments hold no keys.
pub(crate) fn key_positions(spec: &CommandSpec, argv: &[Bytes]) -> Option<Vec<usize>> {
    let keys = keys_and_flags(spec, &full_name(spec, argv), argv);
    Some(keys.into_iter().map(|k| k.0).collect())
}

/// COMMAND GETKEYS (`with_flags`: GETKEYSANDFLAGS) full-command.
fn getkeys(args: &mut Args, with_flags: bool) -> CmdResult {
    let argv = args.rest();
    let Some((spec, full)) = lookup(&argv) else { return Err(CmdError::err("Invalid command specified")) };
    let (_, specs) = meta(spec, &full);
    if !has_proc(&full) && !specs.iter().any(|s| s.flags & NOT_KEY == 0) {
        return Err(CmdError::err("The command has no key arguments"));
    }
    let arity = if spec.is_search_module() { -1 } else { spec.arity };
    let argc = argv.len() as i32;
    if (arity > 0 && arity != argc) || argc < -arity {
        return Err(CmdError::err("Invalid number of arguments specified for command"));
    }
    let keys = keys_and_flags(spec, &full, &argv);
    if keys.is_empty() && !spec.has_flag("no_mandatory_keys") {
        return Err(CmdError::err("Invalid arguments specified for command"));
    }
    let reply = keys.into_iter().map(|(i, flags)| {
        let key = Frame::Bulk(argv[i].clone());
        if with_flags {
            Frame::Array(vec![key, flags_frame(flags)])
        } else {
            key
        }
    });
    Ok(Frame::Array(reply.collect()))
}

pub fn command_getkeys(_: &mut Ctx, args: &mut Args) -> CmdResult {
    getkeys(args, false)
}

pub fn command_getkeysandflags(_: &mut Ctx, args: &mut Args) -> CmdResult {
    getkeys(args, true)
}

/// The key arguments of a full command (none for an unknown command or arguments that cannot
/// hold its keys): what a cluster routes by.
pub fn command_keys(argv: &[Bytes]) -> Vec<Bytes> {
    let Some((spec, full)) = lookup(argv) else { return Vec::new() };
    keys_and_flags(spec, &full, argv).into_iter().filter_map(|(i, _)| argv.get(i).cloned()).collect()
}
