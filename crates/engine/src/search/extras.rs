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

/// How FT.CONFIG SET takes a value.
#[derive(Clone, Copy, PartialEq)]
enum Setting {
    /// Read-only at runtime.
    Fixed,
    /// An integer at least this.
    AtLeast(i64),
    Bool,
    OnTimeout,
    Dialect,
    /// A count where -1 means "unlimited".
    Limit,
}

/// RediSearch 2.10's configuration, in FT.CONFIG GET *'s order: name, default, how it is set.
const CONFIG: [(&str, Option<&str>, Setting); 36] = [
    ("EXTLOAD", None, Setting::Fixed),
    ("NOGC", Some("false"), Setting::Fixed),
    ("MINPREFIX", Some("2"), Setting::AtLeast(1)),
    ("MINSTEMLEN", Some("4"), Setting::AtLeast(2)),
    ("FORKGC_SLEEP_BEFORE_EXIT", Some("0"), Setting::AtLeast(0)),
    ("MAXDOCTABLESIZE", Some("1000000"), Setting::Fixed),
    ("MAXSEARCHRESULTS", Some("1000000"), Setting::Limit),
    ("MAXAGGREGATERESULTS", Some("unlimited"), Setting::Limit),
    ("MAXEXPANSIONS", Some("200"), Setting::AtLeast(1)),
    ("MAXPREFIXEXPANSIONS", Some("200"), Setting::AtLeast(1)),
    ("TIMEOUT", Some("500"), Setting::AtLeast(0)),
    ("FRISOINI", None, Setting::Fixed),
    ("ON_TIMEOUT", Some("return"), Setting::OnTimeout),
    ("GCSCANSIZE", Some("100"), Setting::AtLeast(1)),
    ("MIN_PHONETIC_TERM_LEN", Some("3"), Setting::AtLeast(1)),
    ("GC_POLICY", Some("fork"), Setting::Fixed),
    ("FORK_GC_RUN_INTERVAL", Some("30"), Setting::AtLeast(1)),
    ("FORK_GC_CLEAN_THRESHOLD", Some("100"), Setting::AtLeast(0)),
    ("FORK_GC_RETRY_INTERVAL", Some("5"), Setting::AtLeast(1)),
    ("FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", Some("true"), Setting::Bool),
    ("_FORK_GC_CLEAN_NUMERIC_EMPTY_NODES", Some("true"), Setting::Bool),
    ("UNION_ITERATOR_HEAP", Some("20"), Setting::AtLeast(1)),
    ("CURSOR_MAX_IDLE", Some("300000"), Setting::AtLeast(1)),
    ("NO_MEM_POOLS", Some("false"), Setting::Fixed),
    ("PARTIAL_INDEXED_DOCS", Some("false"), Setting::Fixed),
    ("UPGRADE_INDEX", Some("Upgrade config for upgrading"), Setting::Fixed),
    ("_NUMERIC_COMPRESS", Some("false"), Setting::Bool),
    ("_FREE_RESOURCE_ON_THREAD", Some("true"), Setting::Bool),
    ("_PRINT_PROFILE_CLOCK", Some("true"), Setting::Bool),
    ("RAW_DOCID_ENCODING", Some("false"), Setting::Fixed),
    ("_NUMERIC_RANGES_PARENTS", Some("0"), Setting::AtLeast(0)),
    ("DEFAULT_DIALECT", Some("1"), Setting::Dialect),
    ("VSS_MAX_RESIZE", Some("0"), Setting::AtLeast(0)),
    ("MULTI_TEXT_SLOP", Some("100"), Setting::Fixed),
    ("BG_INDEX_SLEEP_GAP", Some("100"), Setting::Fixed),
    ("_PRIORITIZE_INTERSECT_UNION_CHILDREN", Some("false"), Setting::Bool),
];

/// The current value of a configuration option (FT.CONFIG SET's, else the default).
pub fn config_value(search: &super::Indexes, name: &str) -> Option<String> {
    let (n, default, _) = CONFIG.iter().find(|(n, _, _)| *n == name)?;
    search.config.get(*n).cloned().or_else(|| default.map(str::to_string))
}

/// `FT.CONFIG GET option|*` / `FT.CONFIG SET option value`.
pub fn ft_config(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() >= 2, "FT.CONFIG")?;
    let action = text(&args.next_bytes()?).to_ascii_uppercase();
    let name = text(&args.next_bytes()?).to_ascii_uppercase();
    let search = &mut ctx.server.search;
    match action.as_str() {
        "GET" => {
            let pairs = CONFIG
                .iter()
                .filter(|(n, _, _)| name == "*" || *n == name)
                .map(|(n, _, _)| {
                    let v = config_value(search, n).map_or(Frame::Null, Frame::bulk);
                    (Frame::Simple(n.to_string()), v)
                })
                .collect::<Vec<_>>();
            if ctx.client.protocol == crate::Protocol::Resp3 {
                return Ok(Frame::Map(pairs));
            }
            Ok(Frame::Array(pairs.into_iter().map(|(k, v)| Frame::Array(vec![k, v])).collect()))
        }
        "SET" => {
            let Some(&(n, _, how)) = CONFIG.iter().find(|(n, _, _)| *n == name) else {
                return Err(err("Invalid option"));
            };
            let Some(raw) = args.next_opt() else {
                return Err(err("Expected an argument, but none provided"));
            };
            let raw = text(&raw);
            let number =
                || raw.parse::<i64>().map_err(|_| err("Could not convert argument to expected type"));
            let bounds = || err("Value is outside acceptable bounds");
            let value = match how {
                Setting::Fixed => return Err(err("Not modifiable at runtime")),
                Setting::AtLeast(min) => {
                    let v = number()?;
                    if n == "MINSTEMLEN" && v < min {
                        return Err(err("Minimum stem length cannot be lower than 2"));
                    }
                    if v < min {
                        return Err(bounds());
                    }
                    v.to_string()
                }
                Setting::Limit => match number()? {
                    v if v < 0 => "unlimited".to_string(),
                    v => v.to_string(),
                },
                Setting::Dialect => match number()? {
                    v if v > 4 => return Err(err("Default dialect version cannot be higher than 4")),
                    // Below 1 RediSearch stores 0 and then reports the bound (measured).
                    v if v < 1 => {
                        search.config.insert(n, "0".into());
                        return Err(bounds());
                    }
                    v => v.to_string(),
                },
                Setting::OnTimeout => match raw.to_ascii_lowercase().as_str() {
                    v @ ("return" | "fail") => v.to_string(),
                    _ => return Err(err("Invalid ON_TIMEOUT value")),
                },
                Setting::Bool => match raw.to_ascii_lowercase().as_str() {
                    "true" => "true".to_string(),
                    "false" => "false".to_string(),
                    _ => return Err(err("Could not convert argument to expected type")),
                },
            };
            // MAXEXPANSIONS and MAXPREFIXEXPANSIONS are one setting.
            if n.ends_with("EXPANSIONS") {
                search.config.insert("MAXEXPANSIONS", value.clone());
                search.config.insert("MAXPREFIXEXPANSIONS", value);
            } else {
                // Tokens are given their phonetic codes as they are indexed, with the
                // setting of that moment.
                if n == "MIN_PHONETIC_TERM_LEN" {
                    let min = crate::args::parse_i64(value.as_bytes()).map_or(3, |v| v as usize);
                    search.by_name.values_mut().for_each(|i| i.phonetic_min = min);
                }
                search.config.insert(n, value);
            }
            // Extra words after the value: set all the same, and said so.
            if args.remaining() > 0 {
                return Ok(Frame::Simple("EXCESSARGS".into()));
            }
            Ok(Frame::ok())
        }
        _ => Ok(Frame::Simple("No such configuration action".into())),
    }
}

/// DEFAULT_DIALECT: the dialect of a query without DIALECT.
pub fn default_dialect(search: &super::Indexes) -> i64 {
    config_value(search, "DEFAULT_DIALECT").and_then(|v| v.parse().ok()).unwrap_or(1)
}

/// `FT.SYNUPDATE index group [SKIPINITIALSCAN] term...`: put lowercased terms in a synonym
/// group; existing documents are indexed again (their `~group` terms) unless SKIPINITIALSCAN,
/// which RediSearch only recognizes right after the group id (later, it is a term).
pub fn ft_synupdate(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() >= 3, "FT.SYNUPDATE")?;
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let group = text(&args.next_bytes()?);
    let Some(idx) = ctx.server.search.by_name.get_mut(&name) else { return Err(err("Unknown index name")) };
    let skip = args.peek().is_some_and(|a| a.eq_ignore_ascii_case(b"SKIPINITIALSCAN"));
    if skip {
        args.next_bytes()?;
    }
    while let Some(term) = args.next_opt() {
        let groups = idx.synonyms.entry(text(&term).to_lowercase()).or_default();
        if !groups.contains(&group) {
            groups.push(group.clone());
        }
    }
    idx.record_definition(args.all());
    if !skip {
        super::commands::scan_into(idx, &ctx.server.dbs[0], ctx.now);
    }
    Ok(Frame::ok())
}

/// `FT.SYNDUMP index`: each term and its groups (a map in RESP3).
pub fn ft_syndump(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 1, "FT.SYNDUMP")?;
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let Some(idx) = ctx.server.search.by_name.get(&name) else { return Err(err("Unknown index name")) };
    let groups = |g: &Vec<String>| Frame::Array(g.iter().map(|g| Frame::bulk(g.clone())).collect());
    Ok(Frame::Map(idx.synonyms.iter().map(|(t, g)| (Frame::bulk(t.clone()), groups(g))).collect()))
}

/// `FT.MGET index key...`: each key's hash as HGETALL's flat list (an array in RESP3 too),
/// null for a key the index does not hold, empty for one that is no hash (a JSON document).
pub fn ft_mget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() >= 2, "FT.MGET")?;
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let Some(idx) = ctx.server.search.by_name.get(&name) else { return Err(err("Unknown Index name")) };
    let db = &ctx.server.dbs[0];
    let doc = |key: &Bytes| match (idx.by_key.contains_key(key), db.raw_get(key).map(|e| &e.value)) {
        (false, _) => Frame::Null,
        (true, Some(crate::types::Value::Hash(h))) => Frame::Array(
            h.iter().flat_map(|(f, v)| [Frame::Bulk(f.clone()), Frame::Bulk(v.clone())]).collect(),
        ),
        (true, _) => Frame::Array(Vec::new()),
    };
    Ok(Frame::Array(args.all()[2..].iter().map(doc).collect()))
}

/// `FT.GET index key`: FT.MGET of one key.
pub fn ft_get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 2, "FT.GET")?;
    let mut reply = ft_mget(ctx, args)?;
    match &mut reply {
        Frame::Array(items) => Ok(items.pop().unwrap_or(Frame::Null)),
        _ => Ok(reply),
    }
}
