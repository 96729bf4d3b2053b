//! Scripting's seam: EVAL, EVALSHA, FCALL and their `_RO` twins, with the Lua VM outside the
//! engine.
//!
//! The engine keeps what needs no language: the script cache by SHA-1, the function
//! libraries, the script flags (`#!lua flags=no-writes,...`), and the rules Redis applies to
//! the commands a script runs (`redis.call`): no `noscript` commands, no writes from a
//! read-only script, the OOM rule, the script's own client (its database, RESP2 unless the
//! script asks for RESP3, blocking commands that never block). A [`ScriptRunner`] (the Lua one
//! is `crates/scripting`) compiles and runs code, calling back through a [`ScriptHost`].
//!
//! The engine does not depend on the runner, so the page's first download carries no VM: with
//! no runner installed, the scripting commands answer [`NO_RUNNER`], and a host can check
//! [`needs_runner`] before a command to load the VM first and [`crate::Engine::set_script_runner`].
//!
//! A script that runs long: the runner calls [`ScriptHost::interrupt`] every so many
//! instructions, and stops the script when it answers true. [`ScriptControl`] (shared, atomic)
//! says which script runs since when, so a host that serves other connections meanwhile can
//! answer them BUSY and take SCRIPT KILL / FUNCTION KILL (`emulate` does).

use crate::frame::{Frame, Protocol};
use bytes::Bytes;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

/// The reply to a scripting command when no runner is installed.
pub const NO_RUNNER: &str = "ERR scripting is not available: the Lua engine is not loaded";

/// Runs script code for the engine (the Lua VM lives in `crates/scripting`).
pub trait ScriptRunner {
    /// Compile an EVAL script (its shebang line, if any, blanked so line numbers stay).
    /// The error is the compiler's message (`user_script:1: '=' expected near 'x'`).
    fn compile(&mut self, body: &[u8]) -> Result<(), String>;
    /// Run an EVAL script; `sha` names it in error replies (`script: <sha>, on ...`).
    fn eval(
        &mut self,
        sha: &str,
        body: &[u8],
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame;
    /// Run a library's code (FUNCTION LOAD, RESTORE): the functions it registers. The error
    /// is the text after `ERR ` (`Error registering functions: ...`).
    fn load_library(&mut self, code: &[u8]) -> Result<Vec<FunctionInfo>, String>;
    /// Call `function` of the library whose code is `code`.
    fn fcall(
        &mut self,
        code: &[u8],
        function: &str,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame;
}

/// What a running script can ask of the engine.
pub trait ScriptHost {
    /// Run a command as the script's client (`redis.call`, `redis.pcall`) under Redis's script
    /// rules; a refusal or a failure comes back as [`Frame::Error`].
    fn call(&mut self, args: Vec<Bytes>) -> Frame;
    /// The protocol of the replies [`ScriptHost::call`] gives: RESP2 unless `redis.setresp(3)`.
    fn protocol(&self) -> Protocol;
    /// `redis.setresp`.
    fn set_protocol(&mut self, proto: Protocol);
    /// Asked every so many instructions: true stops the script (SCRIPT KILL, FUNCTION KILL).
    fn interrupt(&mut self) -> bool;
    /// `redis.acl_check_cmd`: may the script's caller run `args` (ACL rules on the command,
    /// keys and channels)? `None` for an unknown command or subcommand.
    fn acl_check(&mut self, args: Vec<Bytes>) -> Option<bool>;
    /// The script's reply carries an error, as the reply itself (`top`) or inside it. One
    /// [`ScriptHost::call`] gave (`counted`: Redis's `ignore_error_stats_update`) was counted
    /// then and is not counted again; one the script made inside its reply counts now. Either
    /// way the script's command failed.
    fn reply_error(&mut self, counted: bool, top: bool, error: &str);
}

/// The runner in the engine: `Send` natively (`emulate` shares the engine between threads),
/// anything in the browser, where there are no threads and the VM holds `Rc`s.
#[cfg(not(target_arch = "wasm32"))]
pub type RunnerBox = Box<dyn ScriptRunner + Send>;
#[cfg(target_arch = "wasm32")]
pub type RunnerBox = Box<dyn ScriptRunner>;

/// A function a library registered (`redis.register_function`).
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionInfo {
    pub name: String,
    pub description: Option<String>,
    /// `no-writes`, `allow-oom`, ... as given.
    pub flags: Vec<String>,
}

/// A loaded library (FUNCTION LOAD).
#[derive(Debug, Clone)]
pub struct Library {
    pub name: String,
    pub code: Bytes,
    pub functions: Vec<FunctionInfo>,
}

/// Scripts and functions the server knows, and the runner.
#[derive(Default)]
pub struct Scripts {
    /// EVAL / SCRIPT LOAD bodies by lowercase SHA-1, with their flags.
    pub bodies: HashMap<String, (Bytes, Flags)>,
    /// Libraries by name (FUNCTION LIST sorts them).
    pub libraries: BTreeMap<String, Library>,
    /// Lowercase function name (FCALL's are case-insensitive) -> library name.
    pub functions: HashMap<String, String>,
    pub runner: Option<RunnerBox>,
    pub control: Arc<ScriptControl>,
    /// DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call `noscript` commands (Redis's tests do).
    pub allow_noscript: bool,
}

/// A script's flags (shebang `flags=` or `register_function{flags=...}`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Flags {
    /// No shebang: Redis's compatibility mode (flags from the commands it runs).
    pub compat: bool,
    pub no_writes: bool,
    pub allow_oom: bool,
    pub allow_stale: bool,
    pub no_cluster: bool,
    pub allow_cross_slot: bool,
}

impl Flags {
    /// Set one flag by its Redis name; false if unknown.
    pub fn set(&mut self, name: &str) -> bool {
        match name {
            "no-writes" => self.no_writes = true,
            "allow-oom" => self.allow_oom = true,
            "allow-stale" => self.allow_stale = true,
            "no-cluster" => self.no_cluster = true,
            "allow-cross-slot-keys" => self.allow_cross_slot = true,
            _ => return false,
        }
        true
    }
}

/// The EVAL flags in a script's shebang line, and the body with that line blanked (its line
/// feed kept, so line numbers hold). Errors as Redis words them.
pub fn shebang(body: &[u8]) -> Result<(Flags, Bytes), String> {
    if !body.starts_with(b"#!") {
        return Ok((Flags { compat: true, ..Flags::default() }, Bytes::copy_from_slice(body)));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err("Invalid script shebang".into());
    };
    let line = String::from_utf8_lossy(&body[..end]);
    let mut parts = line.split_ascii_whitespace();
    let engine = parts.next().unwrap_or("");
    if engine != "#!lua" {
        return Err(format!("Unexpected engine in script shebang: {engine}"));
    }
    let mut flags = Flags::default();
    for part in parts {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(format!("Unknown lua shebang option: {part}"));
        };
        for flag in list.split(',').filter(|f| !f.is_empty()) {
            if !flags.set(flag) {
                return Err(format!("Unexpected flag in script shebang: {flag}"));
            }
        }
    }
    let mut code = body.to_vec();
    code[..end].fill(b' ');
    Ok((flags, Bytes::from(code)))
}

/// True if running `args` needs a runner the engine does not have yet: a host that loads the
/// VM lazily checks this before executing.
pub fn needs_runner(args: &[Bytes]) -> bool {
    let Some(name) = args.first() else { return false };
    let name = crate::args::lower(name);
    let sub = args.get(1).map(|s| crate::args::lower(s)).unwrap_or_default();
    matches!(name.as_str(), "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro")
        || (name == "script" && sub == "load")
        || (name == "function" && matches!(sub.as_str(), "load" | "restore"))
}

/// Which script runs, since when, and whether it was asked to stop: shared with hosts that
/// serve other connections while a script runs (`emulate`).
#[derive(Debug, Default)]
pub struct ScriptControl {
    /// 0: none; 1: an EVAL script; 2: a function.
    running: AtomicU8,
    started_ms: AtomicU64,
    /// `busy-reply-threshold` when the script started.
    threshold_ms: AtomicU64,
    kill: AtomicBool,
    wrote: AtomicBool,
    /// The running script's name (its SHA-1, or the function's name) and command, and the
    /// library and function counts, for FUNCTION STATS while it runs.
    running_info: std::sync::Mutex<(String, Vec<Bytes>, usize, usize)>,
}

impl ScriptControl {
    /// `Some(true)` while an EVAL script runs, `Some(false)` while a function runs.
    pub fn running(&self) -> Option<bool> {
        match self.running.load(Ordering::SeqCst) {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        }
    }

    /// True once the running script has called a write command (SCRIPT KILL is refused then).
    pub fn wrote(&self) -> bool {
        self.running().is_some() && self.wrote.load(Ordering::SeqCst)
    }

    /// When the running script started (the host's clock, ms).
    pub fn started_ms(&self) -> u64 {
        self.started_ms.load(Ordering::SeqCst)
    }

    /// True while a script has run for `busy-reply-threshold` or longer at `now` (the host's
    /// clock): other clients then get [`ScriptControl::busy_reply`].
    pub fn busy(&self, now: u64) -> bool {
        self.running().is_some()
            && now.saturating_sub(self.started_ms()) >= self.threshold_ms.load(Ordering::SeqCst)
    }

    /// The reply to SCRIPT KILL (`eval`) or FUNCTION KILL while a script runs; on success the
    /// script stops at its next interrupt check.
    pub fn kill(&self, eval: bool) -> Frame {
        let Some(running_eval) = self.running() else {
            return Frame::Error("NOTBUSY No scripts in execution right now.".into());
        };
        if self.wrote.load(Ordering::SeqCst) {
            return Frame::Error(
                "UNKILLABLE Sorry the script already executed write commands against the dataset. You can \
                 either wait the script termination or kill the server in a hard way using the SHUTDOWN \
                 NOSAVE command."
                    .into(),
            );
        }
        if eval != running_eval {
            return Frame::Error(busy_error(running_eval).into());
        }
        self.kill.store(true, Ordering::SeqCst);
        Frame::ok()
    }

    /// What another client gets at `now` (the host's clock) while a script has run past
    /// `busy-reply-threshold`: SCRIPT KILL and FUNCTION KILL act, FUNCTION STATS tells what
    /// runs, anything else is refused BUSY.
    pub fn busy_reply(&self, args: &[Bytes], now: u64) -> Frame {
        let name = args.first().map(|a| crate::args::lower(a)).unwrap_or_default();
        let sub = args.get(1).map(|a| crate::args::lower(a)).unwrap_or_default();
        match (name.as_str(), sub.as_str(), args.len()) {
            ("script", "kill", 2) => self.kill(true),
            ("function", "kill", 2) => self.kill(false),
            ("function", "stats", 2) => self.stats(now),
            _ => Frame::Error(busy_error(self.running().unwrap_or(true)).into()),
        }
    }

    /// FUNCTION STATS: the running script (nil if none) and the engine's counts.
    pub fn stats(&self, now: u64) -> Frame {
        let info = self.running_info.lock().unwrap_or_else(|e| e.into_inner());
        let bulk = |s: &str| Frame::bulk(Bytes::copy_from_slice(s.as_bytes()));
        let running = match self.running() {
            Some(_) => Frame::Map(vec![
                (bulk("name"), bulk(&info.0)),
                (bulk("command"), Frame::Array(info.1.iter().cloned().map(Frame::Bulk).collect())),
                (bulk("duration_ms"), Frame::Integer(now.saturating_sub(self.started_ms()) as i64)),
            ]),
            None => Frame::Null,
        };
        let lua = Frame::Map(vec![
            (bulk("libraries_count"), Frame::Integer(info.2 as i64)),
            (bulk("functions_count"), Frame::Integer(info.3 as i64)),
        ]);
        Frame::Map(vec![
            (bulk("running_script"), running),
            (bulk("engines"), Frame::Map(vec![(bulk("LUA"), lua)])),
        ])
    }

    /// Record the library and function counts FUNCTION STATS reports.
    pub(crate) fn set_counts(&self, libraries: usize, functions: usize) {
        let mut info = self.running_info.lock().unwrap_or_else(|e| e.into_inner());
        (info.2, info.3) = (libraries, functions);
    }

    pub(crate) fn start(&self, eval: bool, now: u64, threshold_ms: u64, name: &str, command: &[Bytes]) {
        {
            let mut info = self.running_info.lock().unwrap_or_else(|e| e.into_inner());
            (info.0, info.1) = (name.to_string(), command.to_vec());
        }
        self.kill.store(false, Ordering::SeqCst);
        self.threshold_ms.store(threshold_ms, Ordering::SeqCst);
        self.wrote.store(false, Ordering::SeqCst);
        self.started_ms.store(now, Ordering::SeqCst);
        self.running.store(if eval { 1 } else { 2 }, Ordering::SeqCst);
    }

    pub(crate) fn stop(&self) {
        self.running.store(0, Ordering::SeqCst);
        self.kill.store(false, Ordering::SeqCst);
    }

    pub(crate) fn set_wrote(&self) {
        self.wrote.store(true, Ordering::SeqCst);
    }

    pub(crate) fn kill_requested(&self) -> bool {
        self.kill.load(Ordering::SeqCst)
    }
}

/// The BUSY error for an EVAL script (`true`) or a function.
pub fn busy_error(eval: bool) -> &'static str {
    if eval {
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
    } else {
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
    }
}
