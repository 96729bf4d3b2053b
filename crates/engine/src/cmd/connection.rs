//! Connection commands: PING, ECHO, SELECT, HELLO, CLIENT.

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "ping",
        arity: -1,
        flags: &["fast"],
        keys: (0, 0, 0),
        group: "connection",
        summary: "Check the connection: replies PONG, or echoes the message given.",
        syntax: "[message]",
        run: ping,
        subcommands: &[],
    },
    CommandSpec {
        name: "echo",
        arity: 2,
        flags: &["fast"],
        keys: (0, 0, 0),
        group: "connection",
        summary: "Return the message given.",
        syntax: "message",
        run: echo,
        subcommands: &[],
    },
];

fn ping(_: &mut Ctx, args: &mut Args) -> CmdResult {
    match args.remaining() {
        0 => Ok(Frame::Simple("PONG".into())),
        1 => Ok(Frame::Bulk(args.next_bytes()?)),
        _ => Err(CmdError::wrong_arity("ping")),
    }
}

fn echo(_: &mut Ctx, args: &mut Args) -> CmdResult {
    Ok(Frame::Bulk(args.next_bytes()?))
}
