//! The page's entry point, and its split points: the functions below are the only code that
//! names the engine's lazily loaded groups (`redis_playground::families`) and the page's own
//! lazily loaded views (`redis_playground::parts`), so `wasm-split-cli` (scripts/page-wasm.sh)
//! moves them, and everything only they reach, into chunks of their own.

use playground_engine::cmd::{self, FullTables, LazyGroup};
use redis_playground::parts::{Parts, PARTS};
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

/// The page's own views that load on first use (`redis_playground::parts`).
#[wasm_split(parts, fallible)]
fn page_parts() -> Result<&'static Parts, ChunkError> {
    Ok(&PARTS)
}

fn main() {
    redis_playground::parts::set_loader(|| {
        Box::pin(async { page_parts().await.map_err(|ChunkError(why)| why) })
    });
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
