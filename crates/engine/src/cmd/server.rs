//! Server commands: DBSIZE, FLUSHDB/FLUSHALL, INFO, CONFIG, TIME, COMMAND.

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::CmdResult;
use crate::frame::Frame;

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "dbsize",
    arity: 1,
    flags: &["readonly", "fast"],
    keys: (0, 0, 0),
    group: "server",
    summary: "Count the keys in the selected database.",
    syntax: "",
    run: dbsize,
    subcommands: &[],
}];

fn dbsize(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(ctx.db().len() as i64))
}
