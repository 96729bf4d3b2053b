//! Generic key commands: existence, deletion, TTL, scanning.

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::CmdResult;
use crate::frame::Frame;

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "del",
        arity: -2,
        flags: &["write"],
        keys: (1, -1, 1),
        group: "generic",
        summary: "Delete keys; returns how many existed.",
        syntax: "key [key ...]",
        run: del,
        subcommands: &[],
    },
    CommandSpec {
        name: "exists",
        arity: -2,
        flags: &["readonly", "fast"],
        keys: (1, -1, 1),
        group: "generic",
        summary: "Count how many of the given keys exist (a key named twice counts twice).",
        syntax: "key [key ...]",
        run: exists,
        subcommands: &[],
    },
];

fn del(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut deleted = 0;
    for key in args.rest() {
        if ctx.delete(&key) {
            deleted += 1;
        }
    }
    Ok(Frame::Integer(deleted))
}

fn exists(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut count = 0;
    for key in args.rest() {
        if ctx.peek(&key).is_some() {
            count += 1;
        }
    }
    Ok(Frame::Integer(count))
}
