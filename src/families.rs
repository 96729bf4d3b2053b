//! The engine's lazily loaded groups: RediSearch's commands, and the commands a learner rarely
//! meets (bitmaps, HyperLogLog, geo, streams, RedisJSON, pub/sub, ACL...: see
//! `playground_engine::cmd::LazyGroup`).
//!
//! The page's first wasm is built with the engine's `core-only` feature: every command keeps its
//! table entry (COMMAND, `help`, arity errors), but these groups' handlers are reachable only
//! from two functions of `src/main.rs` that `scripts/page-wasm.sh` splits into wasm chunks of
//! their own (`wasm_split_helpers`). The first command of a group makes its sender wait here
//! while the chunk loads, [`install`](playground_engine::cmd::install)s the handlers, and then
//! runs; every later command runs at once. A native or test build has every handler, so
//! [`needed`] is always `None` there.

use bytes::Bytes;
use playground_engine::cmd::{self, FullTables, LazyGroup};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

/// What loads a group's chunk and hands back its tables (set by `main`, which owns the split
/// points); an error says why the chunk could not be fetched.
pub type Loader = fn(LazyGroup) -> Pin<Box<dyn Future<Output = Result<FullTables, String>>>>;

thread_local! {
    static LOADER: Cell<Option<Loader>> = const { Cell::new(None) };
}

/// Set the page's loader (before the app starts).
pub fn set_loader(loader: Loader) {
    LOADER.with(|l| l.set(Some(loader)));
}

/// The group `args` wait for, if its chunk is not in yet.
pub fn needed(args: &[Bytes]) -> Option<LazyGroup> {
    cmd::lazy_group(args)
}

/// True once `group`'s handlers answer (always in a full build).
pub fn is_loaded(group: LazyGroup) -> bool {
    cmd::is_installed(group)
}

/// Load `group`'s chunk (once: a loaded group returns at once) and install its handlers.
pub async fn load(group: LazyGroup) -> Result<(), String> {
    if is_loaded(group) {
        return Ok(());
    }
    let loader = LOADER.with(Cell::get).ok_or("this build of the page cannot load engine chunks")?;
    cmd::install(loader(group).await?);
    Ok(())
}

/// Load every group: for the parts whose commands cannot wait (scripts' `redis.call`, the
/// labs' and Python's synchronous bridge).
pub async fn load_all() -> Result<(), String> {
    load(LazyGroup::Search).await?;
    load(LazyGroup::Rare).await
}

/// Load what a command needs before it runs: its group's chunk (`group`, from [`needed`]) and
/// the Lua module for a script (`lua`, from `crate::lua::needs_loading`). The notes say what
/// could not be loaded (the command then gets the engine's own "not loaded" answer).
pub async fn prepare(
    session: &crate::session::SessionHandle,
    group: Option<LazyGroup>,
    lua: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(group) = group {
        if let Err(why) = load(group).await {
            notes.push(failure_note(group, &why));
        }
    }
    if lua {
        if let Err(why) = crate::lua::load(session).await {
            notes.push(format!("note: the Lua engine could not be loaded ({why})."));
        }
    }
    notes
}

/// Words for the console when a chunk could not be loaded.
pub fn failure_note(group: LazyGroup, why: &str) -> String {
    let what = match group {
        LazyGroup::Search => "RediSearch's commands",
        LazyGroup::Rare => "this command's family",
    };
    format!("note: the engine part with {what} could not be loaded ({why}); try the command again.")
}
