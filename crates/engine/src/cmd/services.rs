//! SLOWLOG and MODULE: the introspection of services the playground does not run, answered as
//! Redis 7.4 answers with none in use. Every command runs in microseconds, far below
//! `slowlog-log-slower-than`'s 10 ms, so the slow log stays empty; the one module is the search
//! module (as HELLO says). Loading modules is left out (unknown subcommand), not faked. FUNCTION
//! lives with EVAL in `scripting.rs`.

use super::connection::help_lines;
use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;

const ADMIN: &[&str] = &["admin", "loading", "stale"];
const HELP: &[&str] = &["loading", "stale"];

macro_rules! container {
    ($name:literal, $group:literal, $summary:literal, $subs:expr) => {
        CommandSpec {
            name: $name,
            arity: -2,
            flags: &[],
            keys: (0, 0, 0),
            group: $group,
            summary: $summary,
            syntax: "subcommand [argument ...]",
            run: super::container,
            subcommands: $subs,
        }
    };
}

pub const COMMANDS: &[CommandSpec] = &[
    container!(
        "slowlog",
        "server",
        "Inspect the log of slow commands (empty: commands here take microseconds).",
        SLOWLOG_SUBCOMMANDS
    ),
    container!("module", "server", "Inspect loaded modules (RedisJSON and RediSearch).", MODULE_SUBCOMMANDS),
];

const SLOWLOG_SUBCOMMANDS: &[CommandSpec] = &[
    spec("get", -2, ADMIN, (0, 0, 0), "server", "The latest slow log entries.", "[count]", slowlog_get),
    spec("len", 2, ADMIN, (0, 0, 0), "server", "How many entries the slow log holds.", "", slowlog_len),
    spec("reset", 2, ADMIN, (0, 0, 0), "server", "Empty the slow log.", "", ok),
    spec("help", 2, HELP, (0, 0, 0), "server", "Show SLOWLOG's subcommands.", "", slowlog_help),
];

const MODULE_SUBCOMMANDS: &[CommandSpec] = &[
    spec("list", 2, &["admin", "noscript"], (0, 0, 0), "server", "The loaded modules.", "", module_list),
    spec("help", 2, HELP, (0, 0, 0), "server", "Show MODULE's subcommands.", "", module_help),
];

/// Redis's `addReplySubcommandSyntaxError`: the subcommand as typed.
pub(crate) fn syntax_error(args: &Args, command: &str) -> CmdError {
    let typed = args.all().get(1).map(|s| crate::args::truncate_for_error(s, 128)).unwrap_or_default();
    CmdError::err(format!(
        "unknown subcommand or wrong number of arguments for '{typed}'. Try {command} HELP."
    ))
}

fn ok(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::ok())
}

fn slowlog_get(_: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() > 1 {
        return Err(syntax_error(args, "SLOWLOG"));
    }
    if let Some(count) = args.next_opt() {
        if parse_i64(&count).is_none_or(|n| n < -1) {
            return Err(CmdError::err("count should be greater than or equal to -1"));
        }
    }
    Ok(Frame::Array(vec![]))
}

fn slowlog_len(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(0))
}

fn module_list(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Array(crate::cmd::connection::modules()))
}

fn slowlog_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "SLOWLOG",
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    ))
}

fn module_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "MODULE",
        &[
            "LIST",
            "    Return a list of loaded modules.",
            "LOAD <path> [<arg> ...]",
            "    Load a module library from <path>, passing to it any optional arguments.",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library from <path>, while passing it module configurations and optional arguments.",
            "UNLOAD <name>",
            "    Unload a module.",
        ],
    ))
}
