//! The page's entry point, and the split points of the engine's lazily loaded groups: the two
//! functions below are the only code that names the groups' handlers, so `wasm-split-cli`
//! (scripts/page-wasm.sh) moves them, and everything only they reach, into chunks of their
//! own that `redis_playground::families` loads on first use.

use playground_engine::cmd::{self, FullTables, LazyGroup};
use wasm_split_helpers::{wasm_split, SplitLoaderError};

/// A load failure, as the page words it.
struct ChunkError(String);

impl From<SplitLoaderError> for ChunkError {
    fn from(error: SplitLoaderError) -> Self {
        ChunkError(format!("{error:?}"))
    }
}

const SEARCH: FullTables = cmd::search_tables();
const RARE: FullTables = cmd::rare_tables();

#[wasm_split(search, fallible)]
fn search_tables() -> Result<&'static FullTables, ChunkError> {
    Ok(&SEARCH)
}

#[wasm_split(rare, fallible)]
fn rare_tables() -> Result<&'static FullTables, ChunkError> {
    Ok(&RARE)
}

fn main() {
    redis_playground::families::set_loader(|group| {
        Box::pin(async move {
            let tables = match group {
                LazyGroup::Search => search_tables().await,
                LazyGroup::Rare => rare_tables().await,
            };
            tables.copied().map_err(|ChunkError(why)| why)
        })
    });
    redis_playground::start();
}
