//! SLOWLOG's container (its log is `slowlog.rs`) and MODULE: the modules are the search module
//! and RedisJSON (as HELLO says). Loading modules is left out (unknown subcommand), not faked. FUNCTION
//! lives with EVAL in `scripting.rs`.

use super::connection::help_lines;
use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;

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
        "Inspect the log of slow commands (those past slowlog-log-slower-than).",
        super::slowlog::SUBCOMMANDS
    ),
    container!("module", "server", "Inspect loaded modules (RedisJSON and RediSearch).", MODULE_SUBCOMMANDS),
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

fn module_list(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Array(crate::cmd::connection::modules()))
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
