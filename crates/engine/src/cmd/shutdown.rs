//! SHUTDOWN: Redis's argument checks, then the host ends the server. `emulate` exits as Redis
//! does, without a reply (there is no file to save first: SAVE and NOSAVE change nothing); the
//! page's engine has no process to end, so there it answers why and keeps running. ABORT finds
//! no shutdown in progress: with no replicas to wait for, a shutdown here never waits.

use super::spec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [spec(
    "shutdown",
    -1,
    &["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
    (0, 0, 0),
    "server",
    "Stop the server (here: end `emulate`; the page's engine cannot stop).",
    "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]",
    shutdown,
)]);

fn shutdown(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (mut nosave, mut save, mut other, mut abort) = (false, false, false, false);
    for word in args.rest() {
        match word.to_ascii_lowercase().as_slice() {
            b"nosave" => nosave = true,
            b"save" => save = true,
            b"now" | b"force" => other = true,
            b"abort" => abort = true,
            _ => return Err(CmdError::syntax()),
        }
    }
    if (abort && (nosave || save || other)) || (nosave && save) {
        return Err(CmdError::syntax());
    }
    if abort {
        return Err(CmdError::err("No shutdown in progress."));
    }
    if !ctx.server.can_exit {
        return Err(CmdError::err(
            "this playground server cannot shut down: its engine runs in the page, which has no process to end (it keeps running)",
        ));
    }
    // The host ends the process before any reply is written.
    ctx.server.shutdown = true;
    Ok(Frame::Null)
}
