//! String commands.

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arity: 2,
        flags: &["readonly", "fast"],
        keys: (1, 1, 1),
        group: "string",
        summary: "Return the string stored at a key, or nil when the key does not exist.",
        syntax: "key",
        run: get,
        subcommands: &[],
    },
    CommandSpec {
        name: "set",
        arity: -3,
        flags: &["write", "denyoom"],
        keys: (1, 1, 1),
        group: "string",
        summary: "Store a string at a key, optionally with an expiry and only-if conditions.",
        syntax: "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
        run: set,
        subcommands: &[],
    },
];

/// The string at `key` for reading: `Ok(None)` if missing, WRONGTYPE if not a string.
pub fn read_string(ctx: &mut Ctx, key: &[u8]) -> Result<Option<bytes::Bytes>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

fn get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(read_string(ctx, &key)?.map_or(Frame::Null, Frame::Bulk))
}

fn set(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    args.finish()?;
    ctx.set(key, Value::Str(value), None);
    Ok(Frame::ok())
}
