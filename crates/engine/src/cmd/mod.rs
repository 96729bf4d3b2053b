//! The command table: one file per command family, each exporting a `COMMANDS` slice of
//! [`CommandSpec`]s, and one registry that routes a name to its spec.
//!
//! A spec carries what Redis's command table carries (arity, flags, key positions) plus our own
//! one-line summary and syntax, which the console uses for `help` and hints. The dispatcher in
//! `engine.rs` checks arity and subcommands from the spec, so handlers never repeat it.

pub mod acl;
pub mod bitmap;
pub mod blocking;
pub mod cluster;
pub mod connection;
pub mod debug;
pub mod dump;
pub mod expiry;
pub mod geo;
pub mod hash;
pub mod hash_ttl;
pub mod hyperloglog;
pub mod json;
pub mod keys;
pub mod latency;
pub mod lcs;
pub mod list;
pub mod lolwut;
pub mod monitor;
pub mod pause;
pub mod pubsub;
pub mod replication;
pub mod scripting;
pub mod server;
pub mod services;
pub mod set;
pub mod shutdown;
pub mod slowlog;
pub mod sort;
pub mod stream;
pub mod stream_group;
mod stream_replicate;
pub mod string;
pub mod tracking;
pub mod transaction;
pub mod zpop;
pub mod zrange_spec;
pub mod zset;

use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::CmdResult;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A command handler: parse the rest of the arguments, apply, return the reply.
pub type Handler = fn(&mut Ctx, &mut Args) -> CmdResult;

/// One command (or one subcommand of a container such as CLIENT or CONFIG).
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Lowercase name (`get`, `ft.search`; subcommands just `setname`).
    pub name: &'static str,
    /// Redis arity: N means exactly N arguments including the name, -N means at least N.
    pub arity: i32,
    /// Redis command flags (`write`, `readonly`, `denyoom`, `fast`, `admin`, `noscript`, ...).
    pub flags: &'static [&'static str],
    /// Key positions as COMMAND reports them (first, last, step); 0,0,0 for keyless commands.
    pub keys: (i32, i32, i32),
    /// Redis's group (`string`, `generic`, `hash`, ...), for COMMAND DOCS and the console's help.
    pub group: &'static str,
    /// Our one-line summary.
    pub summary: &'static str,
    /// Syntax after the name, as in the docs (`key value [NX | XX]`).
    pub syntax: &'static str,
    /// The handler (containers with subcommands leave it unused).
    pub run: Handler,
    /// Subcommands for containers (CLIENT, CONFIG, OBJECT, COMMAND, FT.CONFIG ...).
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    /// True if the spec has `flag`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    /// True for RediSearch's commands, which the module registers in capitals (`FT.SEARCH`) with
    /// arity -1 (it checks its own arguments): COMMAND prints them so.
    pub fn is_search_module(&self) -> bool {
        self.name.starts_with("ft.")
    }

    /// The name COMMAND LIST, INFO and DOCS print (`full_name` is this spec's lower-case name,
    /// or `container|sub`).
    pub fn registered_name(&self, full_name: &str) -> String {
        if self.is_search_module() {
            full_name.to_ascii_uppercase()
        } else {
            full_name.to_string()
        }
    }

    /// True if `argc` (name included) satisfies the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i32;
        if self.arity >= 0 {
            argc == self.arity
        } else {
            argc >= -self.arity
        }
    }
}

/// A handler for container commands: the dispatcher routes to subcommands before it runs.
pub fn container(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Err(crate::error::CmdError::syntax())
}

/// The handler of a command whose family the build leaves out (feature `core-only`): the
/// page's first wasm, which loads the family's chunk and [`install`]s its handlers before it
/// sends such a command (see [`lazy_group`]), so a learner never sees this reply.
pub fn needs_full(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Err(crate::error::CmdError::err("this command needs the full engine, which is not loaded"))
}

/// A family's table as the build has it: unchanged, or with feature `core-only` every
/// handler replaced by [`needs_full`] (names, arity, flags, keys and help stay, so COMMAND,
/// `help` and arity errors are the same). Evaluated at compile time, so the replaced handlers
/// and everything only they use are not reachable from the dispatcher: only [`full_tables`]
/// reaches them, which the page calls from a split-off wasm chunk.
pub const fn lazy<const N: usize>(table: [CommandSpec; N]) -> [CommandSpec; N] {
    #[cfg(feature = "core-only")]
    {
        let mut table = table;
        let mut i = 0;
        while i < N {
            if !table[i].subcommands.is_empty() {
                // A container (XGROUP, XINFO): its subcommand table is its own `lazy_table!`.
                i += 1;
                continue;
            }
            table[i].run = needs_full;
            i += 1;
        }
        table
    }
    #[cfg(not(feature = "core-only"))]
    table
}

/// One spec of a table that stays in the first wasm, whose handler comes with the rare group
/// (list the spec itself in that group's [`rare_tables`]).
pub const fn lazy_one(spec: CommandSpec) -> CommandSpec {
    let [spec] = lazy([spec]);
    spec
}

/// Declares a table the page's first wasm may leave out: `$lazy`, the one every build
/// dispatches through (see [`lazy`]), and `$full`, the same specs with their handlers, which
/// only [`full_tables`] names.
macro_rules! lazy_table {
    ($vis:vis $lazy:ident, $full:ident = [$($spec:expr),* $(,)?]) => {
        $vis const $lazy: &[$crate::cmd::CommandSpec] = &$crate::cmd::lazy([$($spec),*]);
        pub(crate) const $full: &[$crate::cmd::CommandSpec] = &[$($spec),*];
    };
}
pub(crate) use lazy_table;

/// A part of the engine that a host may load after the first command (the page splits each
/// into its own wasm chunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LazyGroup {
    /// RediSearch's FT.* commands.
    Search,
    /// Bitmaps, HyperLogLog, geo, streams, RedisJSON, SORT, LCS, DEBUG, DUMP/RESTORE, and the
    /// server's rarer parts: ACL, SCRIPT and FUNCTION (whose scripts need the Lua module anyway),
    /// LATENCY, SLOWLOG, COMMAND's subcommands, MEMORY, replication, LOLWUT, SHUTDOWN, SWAPDB,
    /// MOVE, CLIENT KILL and client-side caching's subcommands (TRACKING, CACHING...), pub/sub's
    /// commands (keyspace notifications stay in the core), ZMPOP, BZMPOP, BZPOPMIN/MAX, and the
    /// data types' rarer commands: set and sorted-set algebra, lexicographic ranges, random
    /// members, LINSERT, LPOS, the moving and multi-key list pops, COPY.
    Rare,
}

/// What one [`LazyGroup`] brings: its handlers as `(container, table)` pairs, where
/// `container` is empty for a family's top-level table and names the command (`xgroup`) of a
/// subcommand table; and `hooks`, which installs the code the core calls into (RediSearch's
/// indexer, which keeps indexes in step with writes).
#[derive(Debug)]
pub struct GroupHandlers {
    pub group: LazyGroup,
    pub tables: &'static [(&'static str, &'static [CommandSpec])],
    pub hooks: fn(),
}

/// A group's handlers, as a host hands them to [`install`].
pub type FullTables = &'static GroupHandlers;

/// The full tables of a group, for a host to [`install`].
pub fn full_tables(group: LazyGroup) -> FullTables {
    match group {
        LazyGroup::Search => search_tables(),
        LazyGroup::Rare => rare_tables(),
    }
}

/// RediSearch's handlers and indexer. The page names this only from its split-off chunk, so
/// they (and all the code only they reach) live in that chunk.
pub const fn search_tables() -> FullTables {
    &GroupHandlers {
        group: LazyGroup::Search,
        tables: &[("", crate::search::FULL)],
        hooks: crate::search::install_indexer,
    }
}

/// The rarely used families' handlers (see [`search_tables`]).
pub const fn rare_tables() -> FullTables {
    &GroupHandlers {
        group: LazyGroup::Rare,
        tables: &[
            ("", lcs::FULL),
            ("", bitmap::FULL),
            ("", dump::FULL),
            ("", debug::FULL),
            ("", geo::FULL),
            ("", hyperloglog::FULL),
            ("", stream::FULL),
            ("", stream_group::FULL),
            ("xgroup", stream_group::XGROUP_FULL),
            ("xinfo", stream_group::XINFO_FULL),
            ("", sort::FULL),
            ("", json::FULL),
            ("acl", acl::ACL_FULL),
            ("script", scripting::SCRIPT_FULL),
            ("function", scripting::FUNCTION_FULL),
            ("latency", latency::FULL),
            ("command", server::COMMAND_FULL),
            ("memory", server::MEMORY_FULL),
            ("", replication::FULL),
            ("", lolwut::FULL),
            ("", shutdown::FULL),
            ("slowlog", slowlog::FULL),
            ("", connection::FULL),
            ("client", connection::CLIENT_FULL),
            ("", pubsub::FULL),
            ("pubsub", pubsub::PUBSUB_FULL),
            ("", zpop::FULL),
            ("", set::FULL),
            ("", zset::FULL),
            ("", hash::FULL),
            ("", list::FULL),
            ("", keys::FULL),
        ],
        hooks: || {},
    }
}

/// Handlers installed from lazily loaded groups, by full name (`xadd`, `xgroup|create`), and
/// which groups they came from.
#[derive(Default)]
struct Installed {
    handlers: HashMap<String, Handler, foldhash::fast::FixedState>,
    groups: Vec<LazyGroup>,
}

fn installed() -> std::sync::MutexGuard<'static, Installed> {
    static INSTALLED: OnceLock<Mutex<Installed>> = OnceLock::new();
    INSTALLED.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn installed_handler(full_name: &str) -> Option<Handler> {
    installed().handlers.get(full_name).copied()
}

/// True if `group`'s handlers answer: always in a full build, after [`install`] in a
/// `core-only` one.
pub fn is_installed(group: LazyGroup) -> bool {
    !cfg!(feature = "core-only") || installed().groups.contains(&group)
}

/// Make a loaded group's handlers answer its commands (idempotent).
pub fn install(group: FullTables) {
    (group.hooks)();
    let mut installed = installed();
    if !installed.groups.contains(&group.group) {
        installed.groups.push(group.group);
    }
    for (container, table) in group.tables {
        for spec in table.iter().filter(|spec| spec.subcommands.is_empty()) {
            let name = if container.is_empty() {
                spec.name.to_string()
            } else {
                format!("{container}|{}", spec.name)
            };
            installed.handlers.insert(name, spec.run);
        }
    }
}

/// The handler that runs `spec` (`full_name`: `name` or `container|sub`): its own, or the one
/// installed for it once its group is loaded.
pub fn handler(spec: &CommandSpec, full_name: impl FnOnce() -> String) -> Handler {
    if std::ptr::fn_addr_eq(spec.run, needs_full as Handler) {
        installed_handler(&full_name()).unwrap_or(spec.run)
    } else {
        spec.run
    }
}

/// The group `args` need loaded before they run: `Some` for a command (or subcommand) whose
/// handler this build leaves out and no host installed yet. None for unknown commands and in
/// a full build.
pub fn lazy_group(args: &[bytes::Bytes]) -> Option<LazyGroup> {
    let name = String::from_utf8_lossy(args.first()?).to_ascii_lowercase();
    let spec = lookup(&name)?;
    let group = if spec.is_search_module() { LazyGroup::Search } else { LazyGroup::Rare };
    let (spec, full_name) = match args.get(1) {
        Some(sub) if !spec.subcommands.is_empty() => {
            let sub = String::from_utf8_lossy(sub).to_ascii_lowercase();
            let found = spec.subcommands.iter().find(|s| s.name == sub)?;
            (found, format!("{name}|{sub}"))
        }
        _ => (spec, name),
    };
    let missing = std::ptr::fn_addr_eq(handler(spec, || full_name.clone()), needs_full as Handler);
    missing.then_some(group)
}

/// Every family's table, in one list.
/// (A slice, not an array: a family added needs no count to change.)
fn families() -> &'static [&'static [CommandSpec]] {
    &[
        string::COMMANDS,
        lcs::COMMANDS,
        bitmap::COMMANDS,
        keys::COMMANDS,
        dump::COMMANDS,
        debug::COMMANDS,
        hash::COMMANDS,
        hash_ttl::COMMANDS,
        list::COMMANDS,
        set::COMMANDS,
        zset::COMMANDS,
        geo::COMMANDS,
        hyperloglog::COMMANDS,
        zpop::COMMANDS,
        stream::COMMANDS,
        stream_group::COMMANDS,
        sort::COMMANDS,
        server::COMMANDS,
        services::COMMANDS,
        replication::COMMANDS,
        shutdown::COMMANDS,
        lolwut::COMMANDS,
        latency::COMMANDS,
        pubsub::COMMANDS,
        connection::COMMANDS,
        cluster::COMMANDS,
        acl::COMMANDS,
        monitor::COMMANDS,
        transaction::COMMANDS,
        scripting::COMMANDS,
        crate::search::COMMANDS,
        json::COMMANDS,
    ]
}

/// Look up a command by lowercase name.
pub fn lookup(name: &str) -> Option<&'static CommandSpec> {
    // A fixed-seed fast hash: the names are ours, not an attacker's, and it runs per command.
    type Table = HashMap<&'static str, &'static CommandSpec, foldhash::fast::FixedState>;
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE
        .get_or_init(|| families().iter().flat_map(|f| f.iter()).map(|spec| (spec.name, spec)).collect())
        .get(name)
        .copied()
}

/// All commands, for COMMAND, COMMAND COUNT and the console's completion.
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    families().iter().flat_map(|f| f.iter())
}

/// A command spec without subcommands, in one line per command (the tables read like Redis's
/// command reference: name, arity, flags, key positions, group, our summary, syntax, handler).
#[allow(clippy::too_many_arguments)]
pub const fn spec(
    name: &'static str,
    arity: i32,
    flags: &'static [&'static str],
    keys: (i32, i32, i32),
    group: &'static str,
    summary: &'static str,
    syntax: &'static str,
    run: Handler,
) -> CommandSpec {
    CommandSpec { name, arity, flags, keys, group, summary, syntax, run, subcommands: &[] }
}
