//! SLOWLOG, MODULE and FUNCTION: the introspection of services the playground does not
//! run, answered as Redis 7.4 answers with none in use. Every command runs in microseconds, far below
//! `slowlog-log-slower-than`'s 10 ms, so the slow log stays empty; the one module is the search
//! module (as HELLO says) and there is no Lua, so no function library. Loading modules or
//! functions is left out (unknown subcommand), not faked.

use super::connection::{help_lines, search_module};
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
    container!("module", "server", "Inspect loaded modules (the search module).", MODULE_SUBCOMMANDS),
    container!(
        "function",
        "scripting",
        "Inspect function libraries (none: the playground has no Lua).",
        FUNCTION_SUBCOMMANDS
    ),
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

const FUNCTION_SUBCOMMANDS: &[CommandSpec] = &[
    spec(
        "list",
        -2,
        &["noscript"],
        (0, 0, 0),
        "scripting",
        "The function libraries (none here).",
        "[LIBRARYNAME library-name-pattern] [WITHCODE]",
        function_list,
    ),
    spec(
        "stats",
        2,
        &["noscript", "allow_busy"],
        (0, 0, 0),
        "scripting",
        "The running function (none) and the engines.",
        "",
        function_stats,
    ),
    spec(
        "flush",
        -2,
        &["write", "noscript"],
        (0, 0, 0),
        "scripting",
        "Delete every function library.",
        "[ASYNC | SYNC]",
        function_flush,
    ),
    spec(
        "delete",
        3,
        &["write", "noscript"],
        (0, 0, 0),
        "scripting",
        "Delete a function library.",
        "library-name",
        function_delete,
    ),
    spec(
        "kill",
        2,
        &["noscript", "allow_busy"],
        (0, 0, 0),
        "scripting",
        "Stop the running function (none runs).",
        "",
        function_kill,
    ),
    spec("help", 2, HELP, (0, 0, 0), "scripting", "Show FUNCTION's subcommands.", "", function_help),
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
    Ok(Frame::Array(vec![search_module()]))
}

fn function_list(_: &mut Ctx, args: &mut Args) -> CmdResult {
    let (mut with_code, mut name) = (false, false);
    while let Some(arg) = args.next_opt() {
        if !with_code && arg.eq_ignore_ascii_case(b"withcode") {
            with_code = true;
        } else if !name && arg.eq_ignore_ascii_case(b"libraryname") {
            if args.next_opt().is_none() {
                return Err(CmdError::err("library name argument was not given"));
            }
            name = true;
        } else {
            return Err(CmdError::err(format!("Unknown argument {}", String::from_utf8_lossy(&arg))));
        }
    }
    Ok(Frame::Array(vec![]))
}

fn function_stats(_: &mut Ctx, _: &mut Args) -> CmdResult {
    let lua = Frame::Map(vec![
        (Frame::bulk("libraries_count"), Frame::Integer(0)),
        (Frame::bulk("functions_count"), Frame::Integer(0)),
    ]);
    Ok(Frame::Map(vec![
        (Frame::bulk("running_script"), Frame::Null),
        (Frame::bulk("engines"), Frame::Map(vec![(Frame::bulk("LUA"), lua)])),
    ]))
}

fn function_flush(_: &mut Ctx, args: &mut Args) -> CmdResult {
    match args.remaining() {
        0 => Ok(Frame::ok()),
        1 if args.eat("ASYNC") || args.eat("SYNC") => Ok(Frame::ok()),
        1 => Err(CmdError::err("FUNCTION FLUSH only supports SYNC|ASYNC option")),
        _ => Err(syntax_error(args, "FUNCTION")),
    }
}

fn function_delete(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Err(CmdError::err("Library not found"))
}

fn function_kill(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Err(CmdError::raw("NOTBUSY No scripts in execution right now."))
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

fn function_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "FUNCTION",
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    ))
}
