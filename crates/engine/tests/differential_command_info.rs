//! COMMAND INFO for every command the engine has, against Redis 7.4 + RediSearch + RedisJSON:
//! name, arity, flags, legacy key positions, tips and key specs of each command and subcommand,
//! as clients read them to route keys (cluster clients) and to know what a command may do
//! (read-only replicas, OOM), RediSearch's in capitals with arity -1 as the module registers
//! them. ACL categories are compared by the ACL tests.

mod common;
use common::{args, Session};
use playground_engine::Frame;

/// (name, arity, sorted flags, first, last, step, tips and key specs as printed) of one
/// COMMAND INFO entry.
type Head = (String, i64, Vec<String>, i64, i64, i64, String);

fn head(entry: &Frame) -> Option<Head> {
    let Frame::Array(f) = entry else { return None };
    let text = |f: &Frame| f.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned());
    let int = |f: &Frame| if let Frame::Integer(n) = f { Some(*n) } else { None };
    let mut flags: Vec<String> = match f.get(2)? {
        Frame::Array(a) | Frame::Set(a) => a.iter().filter_map(text).collect(),
        _ => return None,
    };
    flags.sort();
    let specs = format!("{:?} {:?}", f.get(7)?, f.get(8)?);
    Some((text(&f[0])?, int(&f[1])?, flags, int(&f[3])?, int(&f[4])?, int(&f[5])?, specs))
}

fn subcommands(entry: &Frame) -> Vec<Frame> {
    match entry {
        Frame::Array(f) => match f.get(9) {
            Some(Frame::Array(subs)) => subs.clone(),
            _ => vec![],
        },
        _ => vec![],
    }
}

#[test]
fn command_info_matches_redis_for_every_command() {
    let mut s = Session::on_port(common::json_oracle_port());
    let (_, ours) = s.both_frames(&args(&["COMMAND", "LIST"]));
    let Frame::Array(names) = ours else { panic!("COMMAND LIST: {ours:?}") };
    let mut differences = Vec::new();
    for name in names.iter().filter_map(|n| n.as_bytes()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let (redis, ours) = s.both_frames(&args(&["COMMAND", "INFO", &name]));
        let pick = |f: &Frame| match f {
            Frame::Array(a) => a.first().cloned(),
            _ => None,
        };
        let (Some(ours), Some(redis)) = (pick(&ours), pick(&redis)) else { continue };
        if head(&ours) != head(&redis) {
            differences.push(format!("{name}: ours {:?}, Redis {:?}", head(&ours), head(&redis)));
        }
        let redis_subs = subcommands(&redis);
        for sub in subcommands(&ours) {
            let theirs = redis_subs.iter().find(|r| head(r).map(|h| h.0) == head(&sub).map(|h| h.0));
            match theirs {
                Some(r) if head(r) == head(&sub) => {}
                _ => differences.push(format!(
                    "{name}: ours {:?}, Redis {:?}",
                    head(&sub),
                    theirs.and_then(head)
                )),
            }
        }
    }
    assert!(differences.is_empty(), "COMMAND INFO differs:\n{}", differences.join("\n"));
}

/// The whole COMMAND INFO reply, byte for byte in RESP2 and RESP3, for commands whose key specs
/// have every shape: keyword searches from the start and from the end, ranges with a limit,
/// key counts, unknown specs with notes, variable flags, subcommands, tips, module commands.
#[test]
fn command_info_bytes_with_key_specs() {
    let mut s = Session::on_port(common::json_oracle_port());
    // Containers list their subcommands in the order of Redis's dict, which its hash seed
    // decides: they are compared by full name (the test above compares them as sets).
    let names = [
        "set",
        "get",
        "lmove",
        "sort",
        "sort_ro",
        "xread",
        "xreadgroup",
        "zunionstore",
        "eval",
        "fcall",
        "georadius",
        "mset",
        "msetnx",
        "blpop",
        "lmpop",
        "bitfield",
        "keys",
        "scan",
        "dbsize",
        "ft.search",
        "ft.create",
        "json.get",
        "json.mget",
        "json.set",
        "del",
        "pfcount",
        "lcs",
        "copy",
        "rename",
        "object|encoding",
        "memory|usage",
        "xinfo|stream",
        "xgroup|create",
        "command|getkeys",
        "client|list",
        "config|set",
        "function|load",
        "script|flush",
        "ft._list",
        "ft.aggregate",
    ];
    for protocol in ["2", "3"] {
        s.run(&["HELLO", protocol]);
        for name in names {
            s.same(&["COMMAND", "INFO", name]);
        }
        s.same(&["COMMAND", "INFO", "get", "object|freq", "nosuch", "xinfo|nosuch", "lmove"]);
    }
    s.run(&["HELLO", "2"]);
}
