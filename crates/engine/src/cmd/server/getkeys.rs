//! COMMAND GETKEYS: the key arguments of a full command, found as Redis 7.4 finds them (key
//! specs' ranges, `numkeys` arguments, and SORT's and GEORADIUS's own key procs).

use super::super::CommandSpec;
use crate::args::{lower, parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;

/// The spec a full command names: a container's subcommand when one is given (`memory usage`).
fn lookup(argv: &[Bytes]) -> Option<&'static CommandSpec> {
    let spec = super::super::lookup(&lower(argv.first()?))?;
    match argv.get(1) {
        Some(sub) if !spec.subcommands.is_empty() => {
            let sub = lower(sub);
            spec.subcommands.iter().find(|s| s.name == sub)
        }
        _ => Some(spec),
    }
}

/// Commands whose keys follow a `numkeys` argument: (its index, the index of a leading
/// destination key if any).
fn numkeys_layout(name: &str) -> Option<(usize, Option<usize>)> {
    Some(match name {
        "zunionstore" | "zinterstore" | "zdiffstore" => (2, Some(1)),
        "zunion" | "zinter" | "zdiff" | "zintercard" | "sintercard" | "lmpop" | "zmpop" => (1, None),
        "blmpop" | "bzmpop" | "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro" => {
            (2, None)
        }
        _ => return None,
    })
}

/// Key positions in `argv` (the command name at 0), or None when the arguments cannot hold them.
pub(crate) fn key_positions(spec: &CommandSpec, argv: &[Bytes]) -> Option<Vec<usize>> {
    let argc = argv.len();
    let is = |i: usize, word: &str| argv[i].eq_ignore_ascii_case(word.as_bytes());
    if let Some((at, dest)) = numkeys_layout(spec.name) {
        let num = argv.get(at).and_then(|n| parse_i64(n)).filter(|n| *n >= 1)?;
        let last = at as i64 + num;
        if last >= argc as i64 {
            return None;
        }
        return Some(dest.into_iter().chain(at + 1..=last as usize).collect());
    }
    if spec.name == "sort" {
        // sortGetKeys: the last STORE wins; LIMIT, GET and BY skip their arguments.
        let (mut store, mut i) = (None, 2);
        while i < argc {
            if is(i, "limit") {
                i += 2;
            } else if is(i, "store") && i + 1 < argc {
                store = Some(i + 1);
            } else if is(i, "get") || is(i, "by") {
                i += 1;
            }
            i += 1;
        }
        return Some([Some(1), store].into_iter().flatten().collect());
    }
    let mut keys = Vec::new();
    let (first, last, step) = spec.keys;
    if first > 0 {
        let last = if last < 0 { argc as i32 + last } else { last };
        keys.extend((first..=last).step_by(step.max(1) as usize).map(|i| i as usize).filter(|i| *i < argc));
    }
    if let Some(from) = match spec.name {
        "georadius" => Some(6),
        "georadiusbymember" => Some(5),
        _ => None,
    } {
        // Key specs: the first STORE and the first STOREDIST keyword, each naming a key.
        for word in ["store", "storedist"] {
            if let Some(i) = (from..argc).find(|i| is(*i, word)).filter(|i| i + 1 < argc) {
                keys.push(i + 1);
            }
        }
    }
    Some(keys)
}

pub fn command_getkeys(_: &mut Ctx, args: &mut Args) -> CmdResult {
    let argv = args.rest();
    let Some(spec) = lookup(&argv) else { return Err(CmdError::err("Invalid command specified")) };
    let movable = numkeys_layout(spec.name).is_some() || spec.name == "sort";
    if spec.keys.0 == 0 && !movable {
        return Err(CmdError::err("The command has no key arguments"));
    }
    if !spec.arity_ok(argv.len()) {
        return Err(CmdError::err("Invalid number of arguments specified for command"));
    }
    let keys =
        key_positions(spec, &argv).ok_or_else(|| CmdError::err("Invalid arguments specified for command"))?;
    Ok(Frame::Array(keys.into_iter().map(|i| Frame::Bulk(argv[i].clone())).collect()))
}

/// The key arguments of a full command (none for an unknown command or arguments that cannot
/// hold its keys): what a cluster routes by.
pub fn command_keys(argv: &[Bytes]) -> Vec<Bytes> {
    let Some(spec) = lookup(argv) else { return Vec::new() };
    key_positions(spec, argv).unwrap_or_default().into_iter().filter_map(|i| argv.get(i).cloned()).collect()
}
