//! RediSearch-compatible vector search: FT.CREATE / FT.SEARCH over an HNSW or FLAT index.

use crate::cmd::CommandSpec;

pub const COMMANDS: &[CommandSpec] = &[];

/// Re-index keys changed by the last command (called only while an index exists).
pub(crate) fn sync_keys(_server: &mut crate::server::Server, _changed: &[(usize, bytes::Bytes)]) {}
