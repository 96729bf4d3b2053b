//! Command errors, each carrying the exact line Redis sends (kind prefix included).
//!
//! Every error a command can produce is built here, once, so the wording matches Redis 7.4 in one
//! place: a handler says `CmdError::not_integer()`, never spells the text itself.

use crate::frame::Frame;

/// An error reply: the whole line after `-`, e.g. `ERR syntax error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdError(pub String);

/// What every command handler returns.
pub type CmdResult = Result<Frame, CmdError>;

impl CmdError {
    /// Any `ERR`-kind error: `ERR {msg}`.
    pub fn err(msg: impl std::fmt::Display) -> CmdError {
        CmdError(format!("ERR {msg}"))
    }
    /// An error with its own kind prefix (`WRONGTYPE`, `OOM`, `EXECABORT`, `NOSCRIPT`, ...).
    pub fn raw(line: impl Into<String>) -> CmdError {
        CmdError(line.into())
    }
    pub fn syntax() -> CmdError {
        CmdError::err("syntax error")
    }
    pub fn wrong_type() -> CmdError {
        CmdError::raw("WRONGTYPE Operation against a key holding the wrong kind of value")
    }
    pub fn not_integer() -> CmdError {
        CmdError::err("value is not an integer or out of range")
    }
    pub fn not_float() -> CmdError {
        CmdError::err("value is not a valid float")
    }
    pub fn overflow() -> CmdError {
        CmdError::err("increment or decrement would overflow")
    }
    pub fn no_such_key() -> CmdError {
        CmdError::err("no such key")
    }
    /// Redis's `getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)`: every i64 but the most
    /// negative one (whose absolute value does not fit).
    pub fn beyond_symmetric_range() -> CmdError {
        CmdError::err(
            "value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        )
    }
    pub fn out_of_range() -> CmdError {
        CmdError::err("index out of range")
    }
    /// `ERR value is out of range, must be positive` (COUNT arguments and the like).
    pub fn must_be_positive() -> CmdError {
        CmdError::err("value is out of range, must be positive")
    }
    /// `ERR wrong number of arguments for 'get' command` (`name` as the user typed it, lowercased).
    pub fn wrong_arity(name: &str) -> CmdError {
        CmdError::err(format!("wrong number of arguments for '{name}' command"))
    }
    /// `ERR invalid expire time in 'set' command`.
    pub fn invalid_expire(name: &str) -> CmdError {
        CmdError::err(format!("invalid expire time in '{name}' command"))
    }
    /// `ERR unknown subcommand 'x'. Try OBJECT HELP.`
    pub fn unknown_subcommand(sub: &[u8], container: &str) -> CmdError {
        CmdError::err(format!(
            "unknown subcommand '{}'. Try {} HELP.",
            crate::args::truncate_for_error(sub, 128),
            container.to_ascii_uppercase()
        ))
    }
    pub fn oom() -> CmdError {
        CmdError::raw("OOM command not allowed when used memory > 'maxmemory'.")
    }
    /// The frame to send.
    pub fn into_frame(self) -> Frame {
        Frame::Error(self.0)
    }
}

impl From<CmdError> for Frame {
    fn from(e: CmdError) -> Frame {
        e.into_frame()
    }
}
