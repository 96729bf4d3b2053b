//! The smaller FT.* commands as RediSearch 2.10 answers them: FT.TAGVALS, FT.ALIASADD /
//! ALIASUPDATE / ALIASDEL (an alias names an index wherever FT.SEARCH, FT.AGGREGATE and
//! FT.INFO take one), and FT.DICTADD / DICTDEL / DICTDUMP (dictionaries live beside the
//! keyspace: FLUSHALL keeps them).

use super::commands::{err, text};
use super::index::Kind;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;
use std::collections::BTreeSet;

/// RediSearch checks its own argument counts (COMMAND INFO says -1 for every FT.* command).
fn arity(ok: bool, name: &str) -> Result<(), CmdError> {
    if ok {
        Ok(())
    } else {
        Err(CmdError::wrong_arity(name))
    }
}

/// `FT.TAGVALS index field`: a TAG field's distinct values (as indexed: trimmed, lowercase
/// unless CASESENSITIVE), sorted.
pub fn ft_tagvals(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 2, "FT.TAGVALS")?;
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let field = text(&args.next_bytes()?);
    let Some(idx) = ctx.server.search.by_name.get(&name) else { return Err(err("Unknown Index name")) };
    match idx.field(&field).map(|f| &f.kind) {
        None => return Err(err("No such field")),
        Some(Kind::Tag { .. }) => {}
        Some(_) => return Err(err("Not a tag field")),
    }
    let values: BTreeSet<&String> = idx.docs.values().filter_map(|d| d.tags.get(&field)).flatten().collect();
    Ok(Frame::Set(values.into_iter().map(|v| Frame::bulk(v.clone())).collect()))
}

/// `FT.ALIASADD alias index` / `FT.ALIASUPDATE alias index`.
pub fn ft_aliasadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    alias_set(ctx, args, false)
}

pub fn ft_aliasupdate(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    alias_set(ctx, args, true)
}

fn alias_set(ctx: &mut Ctx, args: &mut Args, update: bool) -> CmdResult {
    let cmd = if update { "FT.ALIASUPDATE" } else { "FT.ALIASADD" };
    arity(args.remaining() == 2, cmd)?;
    let alias = args.next_bytes()?;
    let index = args.next_bytes()?;
    let search = &mut ctx.server.search;
    if !update && search.aliases.contains_key(&alias) {
        return Err(err("Alias already exists"));
    }
    if !search.by_name.contains_key(&index) {
        return Err(err("Unknown index name (or name is an alias itself)"));
    }
    search.aliases.insert(alias, index);
    Ok(Frame::ok())
}

/// `FT.ALIASDEL alias`.
pub fn ft_aliasdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 1, "FT.ALIASDEL")?;
    let alias = args.next_bytes()?;
    match ctx.server.search.aliases.remove(&alias) {
        Some(_) => Ok(Frame::ok()),
        None => Err(err("Alias does not exist")),
    }
}

/// `FT.DICTADD dict term...`: how many terms were new.
pub fn ft_dictadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() >= 2, "FT.DICTADD")?;
    let name = args.next_bytes()?;
    let dict = ctx.server.search.dicts.entry(name).or_default();
    let mut added = 0;
    while let Some(term) = args.next_opt() {
        added += i64::from(dict.insert(term));
    }
    Ok(Frame::Integer(added))
}

/// `FT.DICTDEL dict term...`: how many terms were there (the dictionary is created if missing).
pub fn ft_dictdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() >= 2, "FT.DICTDEL")?;
    let name = args.next_bytes()?;
    let dict = ctx.server.search.dicts.entry(name).or_default();
    let mut removed = 0;
    while let Some(term) = args.next_opt() {
        removed += i64::from(dict.remove(&term));
    }
    Ok(Frame::Integer(removed))
}

/// `FT.DICTDUMP dict`: its terms, sorted by bytes.
pub fn ft_dictdump(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 1, "FT.DICTDUMP")?;
    let name = args.next_bytes()?;
    let Some(dict) = ctx.server.search.dicts.get(&name) else { return Err(err("could not open dict key")) };
    Ok(Frame::Set(dict.iter().map(|t: &Bytes| Frame::Bulk(t.clone())).collect()))
}
