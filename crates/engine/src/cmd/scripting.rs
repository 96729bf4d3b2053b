//! Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL, FCALL_RO, SCRIPT and FUNCTION.
//!
//! EVAL and FCALL run in the dispatcher (`Engine::run_now`), like EXEC, because the commands a
//! script calls need the whole engine; they start here in [`run`]. The code itself runs in
//! the installed [`ScriptRunner`](crate::script::ScriptRunner) (see `script.rs`); the cache,
//! the libraries and the rules of nested calls are the engine's.

use super::{spec, CommandSpec};
use crate::args::{lower, Args};
use crate::ctx::Ctx;
use crate::engine::Engine;
use crate::error::{CmdError, CmdResult};
use crate::frame::{Frame, Protocol};
use crate::script::{shebang, Flags, FunctionInfo, Library, ScriptHost, NO_RUNNER};
use crate::server::Client;
use bytes::Bytes;

const SCRIPTING: &str = "scripting";
const EVAL_FLAGS: &[&str] = &["noscript", "stale", "skip_monitor", "no_mandatory_keys", "movablekeys"];
const EVAL_RO_FLAGS: &[&str] =
    &["readonly", "noscript", "stale", "skip_monitor", "no_mandatory_keys", "movablekeys"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "eval",
        -3,
        EVAL_FLAGS,
        (0, 0, 0),
        SCRIPTING,
        "Run a Lua script.",
        "script numkeys [key ...] [arg ...]",
        super::container,
    ),
    spec(
        "evalsha",
        -3,
        EVAL_FLAGS,
        (0, 0, 0),
        SCRIPTING,
        "Run a cached Lua script by its SHA-1.",
        "sha1 numkeys [key ...] [arg ...]",
        super::container,
    ),
    spec(
        "eval_ro",
        -3,
        EVAL_RO_FLAGS,
        (0, 0, 0),
        SCRIPTING,
        "Run a read-only Lua script.",
        "script numkeys [key ...] [arg ...]",
        super::container,
    ),
    spec(
        "evalsha_ro",
        -3,
        EVAL_RO_FLAGS,
        (0, 0, 0),
        SCRIPTING,
        "Run a cached read-only Lua script.",
        "sha1 numkeys [key ...] [arg ...]",
        super::container,
    ),
    spec(
        "fcall",
        -3,
        EVAL_FLAGS,
        (0, 0, 0),
        SCRIPTING,
        "Call a function of a loaded library.",
        "function numkeys [key ...] [arg ...]",
        super::container,
    ),
    spec(
        "fcall_ro",
        -3,
        EVAL_RO_FLAGS,
        (0, 0, 0),
        SCRIPTING,
        "Call a read-only function.",
        "function numkeys [key ...] [arg ...]",
        super::container,
    ),
    CommandSpec {
        name: "script",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: SCRIPTING,
        summary: "Manage the script cache: LOAD, EXISTS, FLUSH, KILL.",
        syntax: "subcommand [arguments]",
        run: super::container,
        subcommands: SCRIPT_SUBCOMMANDS,
    },
    CommandSpec {
        name: "function",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: SCRIPTING,
        summary: "Manage function libraries: LOAD, LIST, DELETE, FLUSH, DUMP, RESTORE, STATS, KILL.",
        syntax: "subcommand [arguments]",
        run: super::container,
        subcommands: FUNCTION_SUBCOMMANDS,
    },
];

/// True for the commands [`run`] handles (they need the whole engine).
pub(crate) fn is_script_call(name: &str) -> bool {
    matches!(name, "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro")
}

/// Whether a script call may write, as Redis's `evalGetCommandFlags` and `fcallGetCommandFlags`
/// judge it before it runs (CLIENT PAUSE WRITE holds it then): the flags the script or function
/// declares (`no-writes` or not), else the command's own (EVAL, EVALSHA and FCALL may
/// replicate, the `_RO` ones do not).
pub(crate) fn may_write(server: &crate::server::Server, name: &str, args: &[Bytes]) -> bool {
    declared_flags(server, name, args).map_or(!name.ends_with("_ro"), |flags| !flags.no_writes)
}

/// A script call's `write` and `stale` flags as `processCommand` sees them: the declared flags
/// replace the command's own (`scriptFlagsToCmdFlags`); without any, EVAL and FCALL neither
/// write nor refuse stale data.
pub(crate) fn write_and_stale(server: &crate::server::Server, name: &str, args: &[Bytes]) -> (bool, bool) {
    declared_flags(server, name, args).map_or((false, true), |flags| (!flags.no_writes, flags.allow_stale))
}

/// The flags a script or function declares (None: none, or a script in compatibility mode).
fn declared_flags(server: &crate::server::Server, name: &str, args: &[Bytes]) -> Option<Flags> {
    let scripts = &server.scripts;
    let declared = if name.starts_with("fcall") {
        let fname = lower(&args[1]);
        let library = scripts.functions.get(&fname).and_then(|l| scripts.libraries.get(l));
        library.map(|library| {
            let mut flags = Flags::default();
            let info = library.functions.iter().find(|f| f.name.eq_ignore_ascii_case(&fname));
            for f in info.map(|i| i.flags.as_slice()).unwrap_or_default() {
                flags.set(f);
            }
            flags
        })
    } else if name.starts_with("evalsha") {
        scripts.bodies.get(&lower(&args[1])).map(|(_, flags)| *flags)
    } else {
        let sha = crate::digest::sha1_hex(&args[1]);
        scripts.bodies.get(&sha).map(|(_, flags)| *flags).or_else(|| shebang(&args[1]).ok().map(|f| f.0))
    };
    declared.filter(|flags| !flags.compat)
}

/// EVAL, EVALSHA, FCALL and their `_RO` twins.
pub(crate) fn run(engine: &mut Engine, client: &mut Client, name: &str, args: Vec<Bytes>, now: u64) -> Frame {
    run_inner(engine, client, name, args, now).unwrap_or_else(CmdError::into_frame)
}

fn run_inner(engine: &mut Engine, client: &mut Client, name: &str, args: Vec<Bytes>, now: u64) -> CmdResult {
    let ro = name.ends_with("_ro");
    let fcall = name.starts_with("fcall");
    let numkeys = crate::args::parse_i64(&args[2]).ok_or_else(|| {
        if fcall {
            CmdError::err("Bad number of keys provided")
        } else {
            CmdError::not_integer()
        }
    })?;
    if numkeys > args.len() as i64 - 3 {
        return Err(CmdError::err("Number of keys can't be greater than number of args"));
    }
    if numkeys < 0 {
        return Err(CmdError::err("Number of keys can't be negative"));
    }
    let split = 3 + numkeys as usize;
    let (keys, argv) = (&args[3..split], &args[split..]);
    let scripts = &mut engine.server_mut().scripts;
    if scripts.runner.is_none() {
        return Err(CmdError::raw(NO_RUNNER));
    }
    // What to run: (flags, eval body or library code, function name, name in errors).
    let (flags, code, function, label) = if fcall {
        let fname = lower(&args[1]);
        let Some(library) = scripts.functions.get(&fname).and_then(|l| scripts.libraries.get(l)) else {
            return Err(CmdError::err("Function not found"));
        };
        let info = library.functions.iter().find(|f| f.name.eq_ignore_ascii_case(&fname));
        let fname = info.map_or(fname, |i| i.name.clone());
        let mut flags = Flags::default();
        for f in info.map(|i| i.flags.as_slice()).unwrap_or_default() {
            flags.set(f);
        }
        (flags, library.code.clone(), Some(fname.clone()), fname)
    } else {
        let sha = if name.starts_with("evalsha") {
            if args[1].len() != 40 {
                return Err(noscript());
            }
            lower(&args[1])
        } else {
            crate::digest::sha1_hex(&args[1])
        };
        if !scripts.bodies.contains_key(&sha) {
            if name.starts_with("evalsha") {
                return Err(noscript());
            }
            let (flags, body) = shebang(&args[1]).map_err(CmdError::err)?;
            compile(scripts.runner.as_mut(), &body)?;
            scripts.bodies.insert(sha.clone(), (body, flags));
        }
        let (body, flags) = scripts.bodies[&sha].clone();
        (flags, body, None, sha)
    };
    let server = engine.server_mut();
    let oom = server.config.maxmemory > 0 && server.used_memory() > server.config.maxmemory;
    // On a replica (`scriptPrepareForRun`): a stale link needs `allow-stale`, and a read-only
    // replica runs only scripts that declare `no-writes`.
    {
        use super::replication::{replica_refusal, MASTERDOWN, READONLY};
        let stale = replica_refusal(server, false, true).is_some();
        // Without a shebang, a script does not run on stale data at all.
        if flags.compat && stale {
            return Err(CmdError::raw(MASTERDOWN));
        }
        if !flags.compat && stale && !flags.allow_stale {
            return Err(CmdError::raw(
                "MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.",
            ));
        }
        if !flags.compat && !flags.no_writes && replica_refusal(server, true, false) == Some(READONLY) {
            return Err(CmdError::raw("READONLY Can not run script with write flag on readonly replica"));
        }
    }
    if !flags.compat && !flags.no_writes {
        if ro {
            return Err(CmdError::err("Can not execute a script with write flag using *_ro command."));
        }
        if oom && !flags.allow_oom {
            return Err(CmdError::raw(
                "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
            ));
        }
        if !crate::propagate::enough_good_replicas(server, now) {
            return Err(CmdError::raw(crate::propagate::NOREPLICAS));
        }
    }
    let Some(mut runner) = server.scripts.runner.take() else { return Err(CmdError::raw(NO_RUNNER)) };
    let control = server.scripts.control.clone();
    control.start(!fcall, now, server.config.busy_reply_threshold, &label, &args);
    control.set_counts(server.scripts.libraries.len(), server.scripts.functions.len());
    let mut host = Host {
        engine,
        client: Client {
            id: client.id,
            db: client.db,
            protocol: Protocol::Resp2,
            in_exec: true,
            // Keys the script reads are tracked for its caller (Redis's `script_caller`).
            tracking: client.tracking.clone(),
            user: client.user.clone(),
            lua: true,
            ..Client::default()
        },
        read_only: ro || (!flags.compat && flags.no_writes),
        allow_oom: !flags.compat && flags.allow_oom,
        oom,
        wrote: false,
        counted: (false, 0, false),
        now,
        control: control.clone(),
    };
    let reply = match &function {
        Some(f) => runner.fcall(&code, f, keys, argv, &mut host),
        None => runner.eval(&label, &code, keys, argv, &mut host),
    };
    control.stop();
    let server = host.engine.server_mut();
    let (top, flagged, made) = host.counted;
    server.script_errors = (top, flagged + u64::from(made));
    server.scripts.runner = Some(runner);
    Ok(reply)
}

fn noscript() -> CmdError {
    CmdError::raw("NOSCRIPT No matching script. Please use EVAL.")
}

/// Compile with the runner, answering Redis's error.
fn compile(runner: Option<&mut crate::script::RunnerBox>, body: &[u8]) -> Result<(), CmdError> {
    let runner = runner.ok_or_else(|| CmdError::raw(NO_RUNNER))?;
    runner.compile(body).map_err(|e| CmdError::err(format!("Error compiling script (new function): {e}")))
}

/// The engine as a running script sees it.
struct Host<'a> {
    engine: &'a mut Engine,
    /// The script's own client: the caller's database, RESP2 until `redis.setresp(3)`.
    client: Client,
    read_only: bool,
    allow_oom: bool,
    /// Over maxmemory when the script started.
    oom: bool,
    wrote: bool,
    /// The script's reply is an error the engine counted already; how many such it carries;
    /// whether it carries one the script made.
    counted: (bool, u64, bool),
    now: u64,
    control: std::sync::Arc<crate::script::ScriptControl>,
}

impl ScriptHost for Host<'_> {
    fn call(&mut self, args: Vec<Bytes>) -> Frame {
        if args.is_empty() {
            return Frame::Error("ERR Please specify at least one argument for this redis lib call".into());
        }
        let name = lower(&args[0]);
        // A refusal (`scriptCall`'s `error:`) counts in errorstats, and as the command's
        // rejected call.
        let Some((spec, start)) = self.engine.resolve_for_script(&name, &args) else {
            return self.engine.script_refusal(
                None,
                &name,
                "ERR Unknown Redis command called from script".into(),
            );
        };
        let spec = match spec {
            Ok(spec) => spec,
            Err(spec) => {
                let e = "ERR Wrong number of args calling Redis command from script".into();
                return self.engine.script_refusal(Some((spec, start)), &name, e);
            }
        };
        let refused = |host: &mut Self, e: String| host.engine.script_refusal(Some((spec, start)), &name, e);
        if spec.has_flag("noscript") && !self.engine.server().scripts.allow_noscript {
            return refused(self, "ERR This Redis command is not allowed from script".into());
        }
        if !self.engine.server().acl.open {
            if let Some(e) = self.engine.acl_refusal(&self.client, spec, &args, "lua", self.now) {
                return refused(self, format!("ERR ACL failure in script: {e}"));
            }
        }
        let write = spec.has_flag("write");
        // A replica's checks (`scriptVerifyWriteCommandAllow`, `scriptVerifyAllowStale`).
        let replica = |write, stale| super::replication::replica_refusal(self.engine.server(), write, stale);
        if let Some(e) = replica(write, false) {
            return refused(self, e.into());
        }
        if replica(false, !spec.has_flag("stale")).is_some() {
            return refused(self, "ERR Can not execute the command on a stale replica".into());
        }
        if self.read_only && (write || super::pause::may_replicate(self.engine.server(), spec, &args)) {
            return refused(self, "ERR Write commands are not allowed from read-only scripts.".into());
        }
        if self.oom && !self.allow_oom && !self.wrote && spec.has_flag("denyoom") {
            let Frame::Error(e) = CmdError::oom().into_frame() else { return Frame::Null };
            return refused(self, e);
        }
        if write && !crate::propagate::enough_good_replicas(self.engine.server(), self.now) {
            return Frame::Error(crate::propagate::NOREPLICAS.into());
        }
        if write {
            self.wrote = true;
            self.control.set_wrote();
        }
        self.engine.run_for_script(&mut self.client, spec, start, &name, args, self.now)
    }

    fn protocol(&self) -> Protocol {
        self.client.protocol
    }

    fn set_protocol(&mut self, proto: Protocol) {
        self.client.protocol = proto;
    }

    fn interrupt(&mut self) -> bool {
        self.control.kill_requested()
    }

    fn acl_check(&mut self, args: Vec<Bytes>) -> Option<bool> {
        // Redis's `lookupCommand`: no arity check, a container alone is itself.
        let spec = self.engine.lookup_for_acl(&args)?;
        Some(super::acl::check_quiet(self.engine.server(), &self.client, spec, &args).is_ok())
    }

    fn reply_error(&mut self, counted: bool, top: bool, error: &str) {
        if !counted && !top {
            self.engine.server_mut().stats.count_error(error);
        }
        let (was_top, flagged, made) = self.counted;
        self.counted = (was_top || (counted && top), flagged + u64::from(counted), made || !counted);
    }
}

fn script_exists(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let bodies = &ctx.server.scripts.bodies;
    Ok(Frame::Array(
        args.rest().iter().map(|sha| Frame::Integer(bodies.contains_key(&lower(sha)) as i64)).collect(),
    ))
}

/// The SYNC / ASYNC argument of SCRIPT FLUSH and FUNCTION FLUSH.
fn flush_mode(args: &mut Args, error: &str) -> Result<(), CmdError> {
    match args.rest().as_slice() {
        [] => Ok(()),
        [mode] if mode.eq_ignore_ascii_case(b"sync") || mode.eq_ignore_ascii_case(b"async") => Ok(()),
        _ => Err(CmdError::err(error)),
    }
}

fn script_flush(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    flush_mode(args, "SCRIPT FLUSH only support SYNC|ASYNC option")?;
    ctx.server.scripts.bodies.clear();
    Ok(Frame::ok())
}

fn script_kill(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(ctx.server.scripts.control.kill(true))
}

fn function_kill(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(ctx.server.scripts.control.kill(false))
}

fn script_load(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let body = args.next_bytes()?;
    let sha = crate::digest::sha1_hex(&body);
    let scripts = &mut ctx.server.scripts;
    if scripts.runner.is_none() {
        return Err(CmdError::raw(NO_RUNNER));
    }
    if !scripts.bodies.contains_key(&sha) {
        let (flags, code) = shebang(&body).map_err(CmdError::err)?;
        compile(scripts.runner.as_mut(), &code)?;
        scripts.bodies.insert(sha.clone(), (code, flags));
    }
    Ok(Frame::bulk(sha))
}

fn help(lines: &[&str]) -> CmdResult {
    Ok(Frame::Array(lines.iter().map(|l| Frame::Simple((*l).into())).collect()))
}

fn script_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    help(&[
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Print this help.",
    ])
}

fn function_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    help(&[
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
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
        "HELP",
        "    Print this help.",
    ])
}

/// The library name in a library's shebang (`#!lua name=mylib`), as functions.c checks it.
fn library_name(code: &[u8]) -> Result<String, CmdError> {
    if !code.starts_with(b"#!") {
        return Err(CmdError::err("Missing library metadata"));
    }
    let Some(end) = code.iter().position(|&b| b == b'\n') else {
        return Err(CmdError::err("Invalid library metadata"));
    };
    let parts = split_args(&String::from_utf8_lossy(&code[..end]));
    let Some(first) = parts.first() else { return Err(CmdError::err("Invalid library metadata")) };
    let engine = first.get(2..).unwrap_or("");
    let mut name = None;
    for part in &parts[1..] {
        match part.strip_prefix("name=") {
            Some(_) if name.is_some() => {
                return Err(CmdError::err("Invalid metadata value, name argument was given multiple times"));
            }
            Some(n) => name = Some(n.to_string()),
            None => return Err(CmdError::err(format!("Invalid metadata value given: {part}"))),
        }
    }
    let Some(name) = name else { return Err(CmdError::err("Library name was not given")) };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(CmdError::err(
            "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
        ));
    }
    if !engine.eq_ignore_ascii_case("lua") {
        return Err(CmdError::err(format!("Engine '{engine}' not found")));
    }
    Ok(name)
}

/// The words of a shebang line as Redis's `sdssplitargs` reads them: split at spaces, quotes
/// (`name="foo"`) grouping and dropped.
fn split_args(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quote, mut in_word) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_ascii_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// Load one library's code (FUNCTION LOAD, RESTORE): its name and functions, checked against
/// the libraries already loaded unless `replace`.
fn load_library(ctx: &mut Ctx, code: Bytes, replace: bool, restoring: bool) -> Result<String, CmdError> {
    let name = library_name(&code)?;
    // Function names are case-insensitive, library names are not (as Redis's dicts of them).
    let key = name.clone();
    let scripts = &mut ctx.server.scripts;
    if scripts.libraries.contains_key(&key) && !replace {
        // FUNCTION LOAD quotes the name, FUNCTION RESTORE does not.
        let quoted = if restoring { name.clone() } else { format!("'{name}'") };
        return Err(CmdError::err(format!("Library {quoted} already exists")));
    }
    let runner = scripts.runner.as_mut().ok_or_else(|| CmdError::raw(NO_RUNNER))?;
    let functions = runner.load_library(&code).map_err(CmdError::err)?;
    if functions.is_empty() {
        return Err(CmdError::err("No functions registered"));
    }
    for f in &functions {
        if scripts.functions.get(&f.name.to_ascii_lowercase()).is_some_and(|owner| *owner != key) {
            return Err(CmdError::err(format!("Function {} already exists", f.name)));
        }
    }
    remove_library(scripts, &key);
    for f in &functions {
        scripts.functions.insert(f.name.to_ascii_lowercase(), key.clone());
    }
    scripts.libraries.insert(key, Library { name: name.clone(), code, functions });
    Ok(name)
}

fn remove_library(scripts: &mut crate::script::Scripts, name: &str) -> bool {
    let Some(library) = scripts.libraries.remove(name) else { return false };
    for f in &library.functions {
        scripts.functions.remove(&f.name.to_ascii_lowercase());
    }
    true
}

fn function_load(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut replace = false;
    let mut rest = args.rest();
    while rest.len() > 1 {
        let opt = rest.remove(0);
        if !opt.eq_ignore_ascii_case(b"replace") {
            return Err(CmdError::err(format!("Unknown option given: {}", String::from_utf8_lossy(&opt))));
        }
        replace = true;
    }
    let Some(code) = rest.pop() else { return Err(CmdError::err("Function code is missing")) };
    let name = load_library(ctx, code, replace, false)?;
    Ok(Frame::bulk(name))
}

fn function_delete(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = String::from_utf8_lossy(&args.next_bytes()?).into_owned();
    if !remove_library(&mut ctx.server.scripts, &name) {
        return Err(CmdError::err("Library not found"));
    }
    Ok(Frame::ok())
}

fn function_flush(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() > 1 {
        // Redis names the subcommand as it was typed.
        let typed = args.all().get(1).map(|s| String::from_utf8_lossy(s).into_owned()).unwrap_or_default();
        return Err(CmdError::err(format!(
            "unknown subcommand or wrong number of arguments for '{typed}'. Try FUNCTION HELP."
        )));
    }
    let lazy = match args.peek() {
        Some(mode) => mode.eq_ignore_ascii_case(b"async"),
        None => ctx.server.config.is_on("lazyfree-lazy-user-flush"),
    };
    flush_mode(args, "FUNCTION FLUSH only supports SYNC|ASYNC option")?;
    // `freeFunctionsAsync`: past LAZYFREE_THRESHOLD functions, they and the engine go to the
    // lazyfree thread, which counts them freed.
    let functions = ctx.server.scripts.functions.len() as u64;
    if lazy && functions > 64 {
        ctx.server.stats.lazyfreed_objects += functions + 1;
    }
    ctx.server.scripts.libraries.clear();
    ctx.server.scripts.functions.clear();
    Ok(Frame::ok())
}

fn function_list(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (mut pattern, mut with_code) = (None, false);
    while let Some(arg) = args.next_opt() {
        if arg.eq_ignore_ascii_case(b"withcode") && !with_code {
            with_code = true;
        } else if arg.eq_ignore_ascii_case(b"libraryname") && pattern.is_none() {
            pattern =
                Some(args.next_opt().ok_or_else(|| CmdError::err("library name argument was not given"))?);
        } else {
            return Err(CmdError::err(format!("Unknown argument {}", String::from_utf8_lossy(&arg))));
        }
    }
    let bulk = |s: &str| Frame::bulk(Bytes::copy_from_slice(s.as_bytes()));
    let libraries = ctx.server.scripts.libraries.values();
    let listed =
        libraries.filter(|l| pattern.as_ref().is_none_or(|p| crate::glob::glob_match(p, l.name.as_bytes())));
    let reply = listed
        .map(|l| {
            let functions = l.functions.iter().map(|f| function_entry(f, &bulk)).collect();
            let mut entry = vec![
                (bulk("library_name"), bulk(&l.name)),
                (bulk("engine"), bulk("LUA")),
                (bulk("functions"), Frame::Array(functions)),
            ];
            if with_code {
                entry.push((bulk("library_code"), Frame::Bulk(l.code.clone())));
            }
            Frame::Map(entry)
        })
        .collect();
    Ok(Frame::Array(reply))
}

fn function_entry(f: &FunctionInfo, bulk: &dyn Fn(&str) -> Frame) -> Frame {
    Frame::Map(vec![
        (bulk("name"), bulk(&f.name)),
        (bulk("description"), f.description.as_deref().map_or(Frame::Null, bulk)),
        (bulk("flags"), Frame::Set(f.flags.iter().map(|s| Frame::Simple(s.clone())).collect())),
    ])
}

fn function_stats(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let scripts = &ctx.server.scripts;
    scripts.control.set_counts(scripts.libraries.len(), scripts.functions.len());
    Ok(scripts.control.stats(ctx.now))
}

fn function_dump(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let libraries = ctx.server.scripts.libraries.values();
    Ok(Frame::bulk(crate::rdb::dump_functions(libraries.map(|l| &l.code[..]))))
}

fn function_restore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() > 2 {
        let sub = String::from_utf8_lossy(&args.all()[1]).into_owned();
        return Err(CmdError::err(format!(
            "unknown subcommand or wrong number of arguments for '{sub}'. Try FUNCTION HELP."
        )));
    }
    let payload = args.next_bytes()?;
    let policy = match args.next_opt() {
        None => b"APPEND".to_vec(),
        Some(p) => p.to_ascii_uppercase(),
    };
    if !matches!(policy.as_slice(), b"FLUSH" | b"APPEND" | b"REPLACE") {
        return Err(CmdError::err(
            "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
        ));
    }
    let codes = crate::rdb::restore_functions(&payload, ctx.server.skip_checksum).map_err(CmdError::err)?;
    // Restore into a copy: any failure leaves the libraries as they were.
    let saved = (ctx.server.scripts.libraries.clone(), ctx.server.scripts.functions.clone());
    if policy == b"FLUSH" {
        ctx.server.scripts.libraries.clear();
        ctx.server.scripts.functions.clear();
    }
    for code in codes {
        if let Err(e) = load_library(ctx, code, policy == b"REPLACE", true) {
            (ctx.server.scripts.libraries, ctx.server.scripts.functions) = saved;
            return Err(e);
        }
    }
    Ok(Frame::ok())
}

crate::cmd::lazy_table!(
    SCRIPT_SUBCOMMANDS,
    SCRIPT_FULL = [
        spec(
            "exists",
            -3,
            &["noscript"],
            (0, 0, 0),
            SCRIPTING,
            "Which SHA-1s the cache has (1 or 0 each).",
            "sha1 [sha1 ...]",
            script_exists,
        ),
        spec(
            "flush",
            -2,
            &["noscript"],
            (0, 0, 0),
            SCRIPTING,
            "Empty the script cache.",
            "[ASYNC | SYNC]",
            script_flush,
        ),
        spec("help", 2, &["loading", "stale"], (0, 0, 0), SCRIPTING, "What SCRIPT can do.", "", script_help,),
        spec(
            "kill",
            2,
            &["noscript", "allow_busy"],
            (0, 0, 0),
            SCRIPTING,
            "Stop the running script (if it wrote nothing).",
            "",
            script_kill,
        ),
        spec(
            "load",
            3,
            &["noscript", "stale"],
            (0, 0, 0),
            SCRIPTING,
            "Compile and cache a script; answers its SHA-1.",
            "script",
            script_load,
        ),
    ]
);

crate::cmd::lazy_table!(
    FUNCTION_SUBCOMMANDS,
    FUNCTION_FULL = [
        spec(
            "delete",
            3,
            &["write", "noscript"],
            (0, 0, 0),
            SCRIPTING,
            "Delete a library and its functions.",
            "library-name",
            function_delete,
        ),
        spec("dump", 2, &["noscript"], (0, 0, 0), SCRIPTING, "Serialise every library.", "", function_dump,),
        spec(
            "flush",
            -2,
            &["write", "noscript"],
            (0, 0, 0),
            SCRIPTING,
            "Delete every library.",
            "[ASYNC | SYNC]",
            function_flush,
        ),
        spec(
            "help",
            2,
            &["loading", "stale"],
            (0, 0, 0),
            SCRIPTING,
            "What FUNCTION can do.",
            "",
            function_help,
        ),
        spec(
            "kill",
            2,
            &["noscript", "allow_busy"],
            (0, 0, 0),
            SCRIPTING,
            "Stop the running function (if it wrote nothing).",
            "",
            function_kill,
        ),
        spec(
            "list",
            -2,
            &["noscript"],
            (0, 0, 0),
            SCRIPTING,
            "The libraries, their functions and flags.",
            "[LIBRARYNAME pattern] [WITHCODE]",
            function_list,
        ),
        spec(
            "load",
            -3,
            &["write", "denyoom", "noscript"],
            (0, 0, 0),
            SCRIPTING,
            "Load a library (#!lua name=...).",
            "[REPLACE] code",
            function_load,
        ),
        spec(
            "restore",
            -3,
            &["write", "denyoom", "noscript"],
            (0, 0, 0),
            SCRIPTING,
            "Load libraries from FUNCTION DUMP's payload.",
            "payload [FLUSH | APPEND | REPLACE]",
            function_restore,
        ),
        spec(
            "stats",
            2,
            &["noscript", "allow_busy"],
            (0, 0, 0),
            SCRIPTING,
            "The running script and the engines.",
            "",
            function_stats,
        ),
    ]
);
