//! CLIENT PAUSE and CLIENT UNPAUSE: hold the clients' commands (all, or those that write) for a
//! while on the virtual clock, as a failover does in Redis.
//!
//! A held command is parked like a blocking one (`Engine::execute_blocking` answers
//! `Outcome::Blocked`, INFO counts it in `blocked_clients`) and runs when the pause ends (its
//! timeout passes, or CLIENT UNPAUSE), in the order the clients were held. A caller that cannot
//! wait (`Engine::execute`) runs its commands at once. While a pause lasts, keys are neither
//! expired by the active cycle nor evicted, and a read of an expired key misses without
//! deleting it (`expired_keys` moves only after the pause), as Redis keeps the dataset still.

use super::CommandSpec;
use crate::args::{lower, parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};
use bytes::Bytes;

/// CLIENT PAUSE timeout [WRITE | ALL]: a WRITE pause after an ALL one that still lasts stays
/// ALL, and the later of the two ends wins (Redis's `pauseClientsByClient`).
pub fn client_pause(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.all().len() > 4 {
        return Err(wrong_args(&args.all()[1]));
    }
    let raw = args.next_bytes()?;
    let all = match args.next_opt() {
        None => true,
        Some(mode) if mode.eq_ignore_ascii_case(b"write") => false,
        Some(mode) if mode.eq_ignore_ascii_case(b"all") => true,
        Some(_) => return Err(CmdError::err("CLIENT PAUSE mode must be WRITE or ALL")),
    };
    let ms = parse_i64(&raw).ok_or_else(|| CmdError::err("timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(CmdError::err("timeout is negative"));
    }
    let now = ctx.now;
    let end = match ms {
        0 => 0,
        ms if ms > i64::MAX - now as i64 => return Err(CmdError::err("timeout is out of range")),
        ms => now + ms as u64,
    };
    let pause = &mut ctx.server.pause;
    let was_all = pause.all && pause.active(now);
    pause.all = all || was_all;
    pause.end = if pause.active(now) { pause.end.max(end) } else { end };
    Ok(Frame::ok())
}

/// CLIENT UNPAUSE: the held commands run after this one.
pub fn client_unpause(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    ctx.server.pause = Default::default();
    Ok(Frame::ok())
}

/// Redis's error for a subcommand it knows with a count of arguments it does not take.
fn wrong_args(sub: &[u8]) -> CmdError {
    CmdError::err(format!(
        "unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
        String::from_utf8_lossy(sub)
    ))
}

/// True if the pause holds `client`'s command `spec` (`args`) at `now`: every command under
/// ALL; under WRITE, those that write or may replicate (PUBLISH, PFCOUNT, scripts that may
/// write), and EXEC of a transaction that queues one (Redis's `is_may_replicate_command`).
pub(crate) fn holds(server: &Server, client: &Client, spec: &CommandSpec, args: &[Bytes], now: u64) -> bool {
    let pause = server.pause;
    if !pause.active(now) {
        return false;
    }
    if pause.all {
        return true;
    }
    if spec.name == "exec" {
        return client.multi.iter().flatten().any(|queued| {
            super::lookup(&lower(&queued[0])).is_some_and(|s| {
                let sub = (!s.subcommands.is_empty())
                    .then(|| {
                        queued.get(1).and_then(|n| {
                            s.subcommands.iter().find(|c| n.eq_ignore_ascii_case(c.name.as_bytes()))
                        })
                    })
                    .flatten();
                may_replicate(server, sub.unwrap_or(s), queued)
            })
        });
    }
    may_replicate(server, spec, args)
}

/// Redis's `CMD_WRITE | CMD_MAY_REPLICATE` for one command line (COMMAND INFO does not print
/// `may_replicate`, so the specs do not carry it): scripts by their declared flags.
pub(crate) fn may_replicate(server: &Server, spec: &CommandSpec, args: &[Bytes]) -> bool {
    if super::scripting::is_script_call(spec.name) {
        return super::scripting::may_write(server, spec.name, args);
    }
    spec.has_flag("write") || matches!(spec.name, "publish" | "spublish" | "pfcount")
}
