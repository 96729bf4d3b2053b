//! FT.CREATE, FT.SEARCH, FT.DROPINDEX, FT._LIST and FT.INFO with RediSearch 2.10's replies.

use super::hnsw::Params;
use super::index::{Algo, Field, Index, Kind, VecType, VectorSpec};
use super::query::{self, Node};
use super::score::{Scorer, Scoring};
use super::text::StopWords;
use super::vector::Metric;
use crate::args::{parse_i64, Args};
use crate::cmd::CommandSpec;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;
use rand_core::RngCore;
use std::collections::{BTreeSet, HashMap};

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    CommandSpec {
        name: "ft.create",
        arity: -5,
        flags: &["write", "denyoom", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Creates a search index over hashes or JSON documents with the given prefixes and schema.",
        syntax: "index [ON HASH|JSON] [PREFIX count prefix...] SCHEMA field type [options]...",
        run: ft_create,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.search",
        arity: -2,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Queries an index: filters, text, tags, numbers and KNN vector search.",
        syntax: "index query [NOCONTENT] [FILTER field min max] [GEOFILTER field lon lat radius m|km|mi|ft] [RETURN count field...] [SORTBY field [ASC|DESC]] [LIMIT offset num] [PARAMS nargs name value...] [DIALECT n]",
        run: ft_search,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.aggregate",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Runs a query through a pipeline: LOAD, GROUPBY/REDUCE, APPLY, FILTER, SORTBY, LIMIT.",
        syntax: "index query [LOAD n field...] [GROUPBY n field... [REDUCE fn n arg... [AS name]]...] [APPLY expr AS name] [FILTER expr] [SORTBY n field [ASC|DESC]... [MAX m]] [LIMIT offset num] [WITHCURSOR [COUNT c] [MAXIDLE ms]] [PARAMS n name value...] [DIALECT d]",
        run: super::aggregate::ft_aggregate,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.cursor",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (2, 2, 1),
        group: "module",
        summary: "Reads more rows from an FT.AGGREGATE cursor, or deletes it.",
        syntax: "READ index cursor_id [COUNT n] | DEL index cursor_id",
        run: super::aggregate::ft_cursor,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.tagvals",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "The distinct values of a TAG field.",
        syntax: "index field",
        run: super::extras::ft_tagvals,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.aliasadd",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 2, 1),
        group: "module",
        summary: "Adds an alias for an index.",
        syntax: "alias index",
        run: super::extras::ft_aliasadd,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.aliasupdate",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 2, 1),
        group: "module",
        summary: "Points an alias at an index (adding it if new).",
        syntax: "alias index",
        run: super::extras::ft_aliasupdate,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.aliasdel",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Removes an alias.",
        syntax: "alias",
        run: super::extras::ft_aliasdel,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.dictadd",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (0, 0, 0),
        group: "module",
        summary: "Adds terms to a dictionary; how many were new.",
        syntax: "dict term...",
        run: super::extras::ft_dictadd,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.dictdel",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (0, 0, 0),
        group: "module",
        summary: "Removes terms from a dictionary; how many were there.",
        syntax: "dict term...",
        run: super::extras::ft_dictdel,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.dictdump",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (0, 0, 0),
        group: "module",
        summary: "Lists a dictionary's terms.",
        syntax: "dict",
        run: super::extras::ft_dictdump,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.explain",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Shows how a query is parsed and expanded, as a tree.",
        syntax: "index query [VERBATIM] [NOSTOPWORDS] [PARAMS n name value...] [DIALECT d]",
        run: super::explain::ft_explain,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.explaincli",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "FT.EXPLAIN's tree, one line per array element.",
        syntax: "index query [VERBATIM] [NOSTOPWORDS] [PARAMS n name value...] [DIALECT d]",
        run: super::explain::ft_explaincli,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.synupdate",
        arity: -1,
        flags: &["write", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Adds terms to a synonym group of an index; queries for one find the others.",
        syntax: "index group_id [SKIPINITIALSCAN] term...",
        run: super::extras::ft_synupdate,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.syndump",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Lists an index's synonym terms and the groups of each.",
        syntax: "index",
        run: super::extras::ft_syndump,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.spellcheck",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Suggests indexed terms (and dictionary terms) for the query's misspelled words.",
        syntax: "index query [DISTANCE d] [TERMS INCLUDE|EXCLUDE dict]... [DIALECT n]",
        run: super::spell::ft_spellcheck,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.mget",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, -1, 1),
        group: "module",
        summary: "The fields of indexed hashes, by key (null for a key the index lacks).",
        syntax: "index key...",
        run: super::extras::ft_mget,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.get",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 2, 1),
        group: "module",
        summary: "The fields of one indexed hash (null if the index lacks it).",
        syntax: "index key",
        run: super::extras::ft_get,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.sugadd",
        arity: -1,
        flags: &["write", "denyoom", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Adds a string to an auto-complete dictionary (or raises its score with INCR).",
        syntax: "key string score [INCR] [PAYLOAD payload]",
        run: super::sug::ft_sugadd,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.sugget",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Completes a prefix from an auto-complete dictionary, best scores first.",
        syntax: "key prefix [FUZZY] [MAX n] [WITHSCORES] [WITHPAYLOADS] [TRIM]",
        run: super::sug::ft_sugget,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.sugdel",
        arity: -1,
        flags: &["write", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Removes a string from an auto-complete dictionary.",
        syntax: "key string",
        run: super::sug::ft_sugdel,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.suglen",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "The number of strings in an auto-complete dictionary.",
        syntax: "key",
        run: super::sug::ft_suglen,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.profile",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Runs FT.SEARCH or FT.AGGREGATE and describes how: iterators and result processors.",
        syntax: "index SEARCH|AGGREGATE [LIMITED] QUERY query [options]",
        run: super::profile::ft_profile,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.config",
        arity: -1,
        flags: &["readonly", "module"],
        keys: (0, 0, 0),
        group: "module",
        summary: "Reads or changes RediSearch's configuration options.",
        syntax: "GET option|* | SET option value",
        run: super::extras::ft_config,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.alter",
        arity: -5,
        flags: &["write", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Adds fields to an index's schema; existing documents are indexed again with them.",
        syntax: "index [SKIPINITIALSCAN] SCHEMA ADD field type [options]...",
        run: ft_alter,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.dropindex",
        arity: -2,
        flags: &["write", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Deletes an index (and its documents with DD).",
        syntax: "index [DD]",
        run: ft_dropindex,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft._list",
        arity: 1,
        flags: &["readonly", "module"],
        keys: (0, 0, 0),
        group: "module",
        summary: "Lists the names of all indexes.",
        syntax: "",
        run: ft_list,
        subcommands: &[],
    },
    CommandSpec {
        name: "ft.info",
        arity: -2,
        flags: &["readonly", "module"],
        keys: (1, 1, 1),
        group: "module",
        summary: "Describes an index: definition, attributes and counters.",
        syntax: "index",
        run: ft_info,
        subcommands: &[],
    },
]);

pub(super) fn err(msg: impl Into<String>) -> CmdError {
    CmdError::raw(msg)
}

pub(super) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub(super) fn count(args: &mut Args) -> Result<usize, CmdError> {
    let raw = args.next_bytes()?;
    parse_i64(&raw).and_then(|n| usize::try_from(n).ok()).ok_or_else(|| err("Bad arguments"))
}

fn ft_create(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    if ctx.server.search.by_name.contains_key(&name) {
        return Err(err("Index already exists"));
    }
    let mut prefixes = Vec::new();
    let mut on_json = false;
    let mut filter = None;
    let mut stopwords = StopWords::default();
    let (mut language, mut language_field) = (super::text::Lang::default(), None);
    while !args.eat("SCHEMA") {
        let Some(word) = args.next_opt() else { return Err(err("No schema found")) };
        let w = text(&word).to_ascii_uppercase();
        match w.as_str() {
            "ON" => {
                let on = args.next_bytes()?;
                on_json = on.eq_ignore_ascii_case(b"JSON");
                if !on_json && !on.eq_ignore_ascii_case(b"HASH") {
                    return Err(err("Only HASH and JSON indexes are supported here"));
                }
            }
            "PREFIX" => {
                let n = count(args)?;
                for _ in 0..n {
                    prefixes.push(args.next_bytes()?);
                }
            }
            "STOPWORDS" => {
                let n = count(args)?;
                let mut words = BTreeSet::new();
                for _ in 0..n {
                    words.insert(text(&args.next_bytes()?).to_ascii_lowercase());
                }
                stopwords = StopWords::Custom(words);
            }
            "FILTER" => {
                let source = text(&args.next_bytes()?);
                let expr = super::filter::parse(&source).map_err(err)?;
                filter = Some((source, expr));
            }
            "LANGUAGE" => {
                language =
                    super::text::Lang::parse(&args.next_bytes()?).ok_or_else(|| err("Invalid language"))?;
            }
            "LANGUAGE_FIELD" => language_field = Some(args.next_bytes()?),
            "SCORE" | "SCORE_FIELD" | "PAYLOAD_FIELD" | "TEMPORARY" => {
                args.next_bytes()?;
            }
            _ => {}
        }
    }
    if prefixes.is_empty() {
        prefixes.push(Bytes::new());
    }
    let fields = parse_fields(args, true, &[])?;
    if fields.is_empty() {
        return Err(err("Fields arguments are missing"));
    }
    let seed = ctx.server.rng.next_u64();
    let mut index = Index::new(name.clone(), prefixes, fields, seed);
    index.filter = filter;
    index.on_json = on_json;
    index.stopwords = stopwords;
    index.language = language;
    index.language_field = language_field;
    index.kernel = ctx.server.search.kernel;
    index.phonetic_min = super::extras::config_value(&ctx.server.search, "MIN_PHONETIC_TERM_LEN")
        .and_then(|v| parse_i64(v.as_bytes()))
        .map_or(3, |v| v as usize);
    index.record_definition(args.all());
    scan_into(&mut index, &ctx.server.dbs[0], ctx.now);
    ctx.server.search.by_name.insert(name, index);
    ctx.server.track_changes = true;
    Ok(Frame::ok())
}

/// The schema's fields, from the current argument to the end: `identifier [AS attribute] type
/// [options]...` (FT.ALTER takes no `AS`: there the word is read as the next field's name, as
/// RediSearch does). A name already in `existing` or twice in the list is an error.
fn parse_fields(args: &mut Args, aliases: bool, existing: &[Field]) -> Result<Vec<Field>, CmdError> {
    let mut fields: Vec<Field> = Vec::new();
    while let Some(identifier) = args.next_opt() {
        let mut attribute = text(&identifier);
        if aliases && args.eat("AS") {
            attribute = text(&args.next_bytes()?);
        }
        let Some(ty) = args.next_opt() else {
            return Err(err(format!("Field `{attribute}` does not have a type")));
        };
        // WITHSUFFIXTRIE, INDEXEMPTY, INDEXMISSING (see `type_option`).
        let mut opts = (false, false, false);
        let mut phonetic = false;
        // Options of the type first, then the ones every type takes (SORTABLE [UNF], NOINDEX),
        // as RediSearch reads them: a type option after SORTABLE is read as the next field.
        let kind = match text(&ty).to_ascii_uppercase().as_str() {
            "TEXT" => {
                let (mut weight, mut nostem) = (1.0, false);
                loop {
                    if args.eat("PHONETIC") {
                        let matcher = args.next_opt().ok_or_else(|| err("PHONETIC requires an argument"))?;
                        if !super::phonetic::valid_matcher(&matcher) {
                            return Err(err("Matcher Format: <2 chars algorithm>:<2 chars language>. Support algorithms: double metaphone (dm). Supported languages: English (en), French (fr), Portuguese (pt) and Spanish (es)"));
                        }
                        phonetic = true;
                        continue;
                    }
                    if args.eat("WEIGHT") {
                        weight = args.next_opt().and_then(|w| crate::float::parse_double(&w)).ok_or_else(
                            || err("Bad arguments for weight: Could not convert argument to expected type"),
                        )?;
                    } else if args.eat("NOSTEM") {
                        nostem = true;
                    } else if !type_option(args, &mut opts) {
                        break;
                    }
                }
                Kind::Text { weight, nostem }
            }
            "TAG" => {
                let (mut separator, mut case_sensitive) = (b',', false);
                loop {
                    if args.eat("SEPARATOR") {
                        separator = args.next_bytes()?.first().copied().unwrap_or(b',');
                    } else if args.eat("CASESENSITIVE") {
                        case_sensitive = true;
                    } else if !type_option(args, &mut opts) {
                        break;
                    }
                }
                Kind::Tag { separator, case_sensitive }
            }
            "NUMERIC" => {
                opts.2 = args.eat("INDEXMISSING");
                Kind::Numeric
            }
            "GEO" => {
                opts.2 = args.eat("INDEXMISSING");
                Kind::Geo
            }
            "GEOSHAPE" => {
                let flat = args.eat("FLAT");
                if !flat {
                    args.eat("SPHERICAL");
                }
                opts.2 = args.eat("INDEXMISSING");
                Kind::GeoShape { flat }
            }
            "VECTOR" => {
                let spec = vector_spec(args)?;
                opts.2 = args.eat("INDEXMISSING");
                Kind::Vector(spec)
            }
            _ => return Err(err(format!("Invalid field type for field `{attribute}`"))),
        };
        let mut field = Field::new(identifier, attribute, kind);
        (field.suffix_trie, field.index_empty, field.index_missing) = opts;
        field.phonetic = phonetic;
        if !matches!(field.kind, Kind::Vector(_)) {
            loop {
                if args.eat("SORTABLE") {
                    field.sortable = true;
                    // UNF once, right after SORTABLE; numbers are never normalized.
                    field.unf |= args.eat("UNF") || matches!(field.kind, Kind::Numeric);
                } else if args.eat("NOINDEX") {
                    field.noindex = true;
                } else {
                    break;
                }
            }
        }
        let attribute = &field.attribute;
        if fields.iter().chain(existing).any(|f| &f.attribute == attribute) {
            return Err(err(format!("Duplicate field in schema - {attribute}")));
        }
        fields.push(field);
    }
    Ok(fields)
}

/// WITHSUFFIXTRIE, INDEXEMPTY or INDEXMISSING among a TEXT or TAG field's options: read it
/// into `opts` (in that order) and say so.
fn type_option(args: &mut Args, opts: &mut (bool, bool, bool)) -> bool {
    if args.eat("WITHSUFFIXTRIE") {
        opts.0 = true;
    } else if args.eat("INDEXEMPTY") {
        opts.1 = true;
    } else if args.eat("INDEXMISSING") {
        opts.2 = true;
    } else {
        return false;
    }
    true
}

/// Index every live hash of db 0 under the index's prefixes, in scan order (creation order).
pub(super) fn scan_into(index: &mut Index, db: &crate::db::Db, now: u64) {
    let mut keys: Vec<Bytes> = Vec::new();
    let mut cursor = 0;
    loop {
        let (batch, next) = db.scan_ids(cursor, 1024);
        keys.extend(batch.into_iter().filter(|k| index.matches_prefix(k)));
        if next == 0 {
            break;
        }
        cursor = next;
    }
    index.scanning = true;
    for key in keys {
        if !db.is_expired(&key, now) {
            index.update(&key, db.raw_get(&key).map(|e| &e.value));
        }
    }
    index.scanning = false;
}

/// `FT.ALTER index [SKIPINITIALSCAN] SCHEMA ADD field type [options]...`: new fields for an
/// index; existing documents are indexed again with them unless SKIPINITIALSCAN (then only
/// documents written from now on have the new fields indexed). All or nothing, as RediSearch.
fn ft_alter(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    let Some(index) = ctx.server.search.by_name.get(&name) else { return Err(err("Unknown index name")) };
    let skip_scan = args.eat("SKIPINITIALSCAN");
    if !args.eat("SCHEMA") {
        return Err(err("ALTER must be followed by SCHEMA"));
    }
    if !args.eat("ADD") {
        return Err(err("Unknown action passed to ALTER SCHEMA"));
    }
    let added = parse_fields(args, false, &index.fields)?;
    let seed = ctx.server.rng.next_u64();
    let Some(index) = ctx.server.search.by_name.get_mut(&name) else { return Err(err("Unknown index name")) };
    index.add_fields(added, seed);
    index.record_definition(args.all());
    if !skip_scan {
        scan_into(index, &ctx.server.dbs[0], ctx.now);
    }
    Ok(Frame::ok())
}

fn vector_spec(args: &mut Args) -> Result<VectorSpec, CmdError> {
    let algo_raw = args.next_bytes()?;
    let algo = match text(&algo_raw).to_ascii_uppercase().as_str() {
        "FLAT" => Algo::Flat,
        "HNSW" => Algo::Hnsw,
        _ => return Err(err("Bad arguments for vector similarity algorithm")),
    };
    let algo_name = if algo == Algo::Hnsw { "HNSW" } else { "FLAT" };
    let n = count(args)?;
    if args.remaining() < n {
        return Err(err(format!("Expected {n} parameters but got {}", args.remaining())));
    }
    let bad = |what: &str| err(format!("Bad arguments for vector similarity {algo_name} index {what}"));
    let (mut ty, mut dim, mut metric) = (None, None, None);
    let mut params = Params::default();
    let mut initial_cap = 0;
    let mut left = n;
    while left >= 2 {
        let key = text(&args.next_bytes()?).to_ascii_uppercase();
        let value = args.next_bytes()?;
        left -= 2;
        let num = || parse_i64(&value).and_then(|v| usize::try_from(v).ok());
        match key.as_str() {
            "TYPE" => {
                ty = Some(match text(&value).to_ascii_uppercase().as_str() {
                    "FLOAT32" => VecType::F32,
                    "FLOAT64" => VecType::F64,
                    _ => return Err(bad("type: Unsupported type")),
                })
            }
            "DIM" => dim = Some(num().filter(|d| *d > 0).ok_or_else(|| bad("dim: Bad arguments"))?),
            "DISTANCE_METRIC" => {
                metric = Some(match text(&value).to_ascii_uppercase().as_str() {
                    "L2" => Metric::L2,
                    "IP" => Metric::Ip,
                    "COSINE" => Metric::Cosine,
                    _ => return Err(bad("metric: Unknown argument")),
                })
            }
            "M" => params.m = num().ok_or_else(|| bad("m: Bad arguments"))?,
            "EF_CONSTRUCTION" => {
                params.ef_construction = num().ok_or_else(|| bad("efConstruction: Bad arguments"))?
            }
            "EF_RUNTIME" => params.ef_runtime = num().ok_or_else(|| bad("efRuntime: Bad arguments"))?,
            "EPSILON" => {
                params.epsilon =
                    crate::float::parse_double(&value).ok_or_else(|| bad("epsilon: Bad arguments"))?
            }
            "INITIAL_CAP" => initial_cap = num().ok_or_else(|| bad("initial cap: Bad arguments"))?,
            "BLOCK_SIZE" => {}
            _ => return Err(bad("argument: Unknown argument")),
        }
    }
    if left != 0 {
        return Err(err("Bad number of arguments for vector similarity index: got an odd number"));
    }
    let missing = |what: &str| {
        err(format!(
            "Missing mandatory parameter: cannot create {algo_name} index without specifying {what} argument"
        ))
    };
    let ty = ty.ok_or_else(|| missing("TYPE"))?;
    let dim = dim.ok_or_else(|| missing("DIM"))?;
    let metric = metric.ok_or_else(|| missing("DISTANCE_METRIC"))?;
    Ok(VectorSpec { algo, ty, dim, metric, params, initial_cap })
}

/// C's `%g` (6 significant digits), as FT.EXPLAIN and FT.PROFILE print numbers.
pub fn format_g(v: f64) -> String {
    format_score(crate::float::parse_double(format!("{v:.5e}").as_bytes()).unwrap_or(v))
}

/// Format a distance as RediSearch prints it (`%.12g` of the double).
pub fn format_score(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{:.11e}", v);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..12).contains(&exp) {
        let body = if exp >= 0 {
            let (a, b) = digits.split_at((exp as usize + 1).min(digits.len()));
            format!("{a}.{b}")
        } else {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        };
        let body = body.trim_end_matches('0').trim_end_matches('.');
        format!("{sign}{body}")
    } else {
        let (a, b) = digits.split_at(1);
        let b = b.trim_end_matches('0');
        let dot = if b.is_empty() { String::new() } else { format!(".{b}") };
        format!("{sign}{a}{dot}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// The documents whose INDEXEMPTY field `field` is empty (`@t:""`, `@g:{""}`).
fn empty_docs(idx: &Index, field: &str) -> Result<BTreeSet<u64>, CmdError> {
    match idx.field(field) {
        Some(f) if !f.index_empty => {
            Err(err("Use `INDEXEMPTY` in field creation in order to index and query for empty strings"))
        }
        _ => Ok(idx
            .docs
            .iter()
            .filter(|(_, d)| d.empty.iter().any(|e| e == field))
            .map(|(id, _)| *id)
            .collect()),
    }
}

/// Docs matching a filter, by doc id. `yields` collects VECTOR_RANGE distances.
/// The documents whose TEXT field `field` (any TEXT field when `None`) passes `hit`.
fn docs_with_text(
    idx: &Index,
    field: Option<&str>,
    hit: impl Fn(&super::text::Terms) -> bool,
) -> BTreeSet<u64> {
    idx.docs
        .iter()
        .filter(|(_, d)| match field {
            Some(f) => super::index::scope_fields(f).any(|f| d.words.get(f).is_some_and(&hit)),
            None => d.words.values().any(&hit),
        })
        .map(|(id, _)| *id)
        .collect()
}

/// A stop word (negated or optional too) that RediSearch takes out of the query before running it.
fn removed_stopword(idx: &Index, node: &Node, how: Matching) -> bool {
    match node {
        Node::Word { word, .. } => !how.keep_stopwords && idx.stopwords.contains(word),
        Node::Not(inner) | Node::Optional(inner) => removed_stopword(idx, inner, how),
        _ => false,
    }
}

pub(super) fn evaluate(
    idx: &Index,
    node: &Node,
    how: Matching,
    yields: &mut HashMap<u64, (String, f64)>,
) -> Result<BTreeSet<u64>, CmdError> {
    // Taken out of the query, it finds nothing (`-the` alone is an empty query).
    if removed_stopword(idx, node, how) {
        return Ok(BTreeSet::new());
    }
    let all = || idx.docs.keys().copied().collect::<BTreeSet<u64>>();
    Ok(match node {
        Node::All => all(),
        Node::Scoped { node, .. } => evaluate(idx, node, how, yields)?,
        Node::Attr { node, slop, inorder, phonetic, .. } => {
            let how = Matching {
                slop: slop.or(how.slop),
                inorder: inorder.unwrap_or(how.inorder),
                phonetic: *phonetic,
                ..how
            };
            match &**node {
                // A phrase given attributes stays exact (slop 0) but in order only if asked:
                // `"hello world"=>{$slop:2}` finds `world hello`, as RediSearch's phrase does.
                Node::Phrase { field, words } if slop.is_some() || inorder.is_some() => {
                    let parts = words
                        .iter()
                        .map(|(_, w)| Node::Word { field: field.clone(), word: w.to_ascii_lowercase() })
                        .collect();
                    evaluate(
                        idx,
                        &Node::And(parts),
                        Matching { verbatim: true, slop: Some(0), ..how },
                        yields,
                    )?
                }
                _ => evaluate(idx, node, how, yields)?,
            }
        }
        Node::Word { field, word } => {
            let word_stem = how.stem(idx, word);
            let mut groups = Vec::new();
            if !how.verbatim {
                groups = idx.synonym_terms(word);
                groups.extend(idx.phonetic_term(word, field.as_deref(), how.phonetic).map_err(err)?);
            }
            let hit = |t: &super::text::Terms| {
                t.matches(word, word_stem.as_deref()) || groups.iter().any(|g| t.tokens.contains(g))
            };
            docs_with_text(idx, field.as_deref(), hit)
        }
        Node::Prefix { field, prefix } => {
            // RediSearch expands prefixes of at least `MINPREFIX` (2) characters only.
            let hit = |t: &super::text::Terms| {
                prefix.len() >= 2 && t.tokens.iter().any(|w| w.starts_with(prefix.as_str()))
            };
            docs_with_text(idx, field.as_deref(), hit)
        }
        // Suffixes and infixes run over every term of the index, stems included (`*ach` finds
        // `caching` through its stem `cach`), two characters at least, as in RediSearch.
        Node::Suffix { field, suffix } => {
            let hit =
                |t: &super::text::Terms| suffix.len() >= 2 && t.any_term(|w| w.ends_with(suffix.as_str()));
            docs_with_text(idx, field.as_deref(), hit)
        }
        Node::Contains { field, infix } => {
            let hit = |t: &super::text::Terms| infix.len() >= 2 && t.any_term(|w| w.contains(infix.as_str()));
            docs_with_text(idx, field.as_deref(), hit)
        }
        Node::Phrase { field, words } => {
            // Stop words are not indexed, so a phrase cannot hold one: RediSearch says where.
            if let Some((at, word)) =
                words.iter().find(|(_, w)| idx.stopwords.contains(&w.to_ascii_lowercase()))
            {
                return Err(err(format!("Syntax error at offset {at} near {word}")));
            }
            let words: Vec<String> = words.iter().map(|(_, w)| w.to_ascii_lowercase()).collect();
            let hit = |t: &super::text::Terms| t.has_phrase(&words);
            docs_with_text(idx, field.as_deref(), hit)
        }
        Node::Tag { field, values } => {
            let case_sensitive =
                matches!(idx.field(field).map(|f| &f.kind), Some(Kind::Tag { case_sensitive: true, .. }));
            let wanted: Vec<String> = values
                .iter()
                .map(|v| if case_sensitive { v.clone() } else { v.to_ascii_lowercase() })
                .collect();
            let mut found: BTreeSet<u64> = idx
                .docs
                .iter()
                .filter(|(_, d)| d.tags.get(field).is_some_and(|t| t.iter().any(|x| wanted.contains(x))))
                .map(|(id, _)| *id)
                .collect();
            if values.iter().any(String::is_empty) {
                found.extend(empty_docs(idx, field)?);
            }
            found
        }
        Node::Empty { field } => empty_docs(idx, field)?,
        Node::Fuzzy { field, word, dist } => {
            // Any indexed term (a token, `+stem` or `~synonym`) within `dist` edits, as
            // RediSearch's automaton counts them.
            let q: Vec<char> = word.chars().collect();
            let mask = idx.mask_of(field.as_deref());
            let near =
                |t: &str| super::fuzzy::filter(&q, &t.chars().collect::<Vec<_>>(), *dist, false).is_some();
            idx.docs
                .iter()
                .filter(|(_, d)| d.fwd.terms.iter().any(|(t, dt)| dt.mask & mask != 0 && near(t)))
                .map(|(id, _)| *id)
                .collect()
        }
        Node::Missing { field } => match idx.field(field) {
            None => BTreeSet::new(),
            Some(f) if !f.index_missing => {
                return Err(err(format!(
                    "'ismissing' requires field '{field}' to be defined with 'INDEXMISSING'"
                )))
            }
            Some(_) => {
                idx.docs.iter().filter(|(_, d)| d.missing.contains(field)).map(|(id, _)| *id).collect()
            }
        },
        Node::Numeric { field, lo, lo_incl, hi, hi_incl } => idx
            .docs
            .iter()
            .filter(|(_, d)| {
                d.numbers.get(field).is_some_and(|&n| {
                    (if *lo_incl { n >= *lo } else { n > *lo }) && (if *hi_incl { n <= *hi } else { n < *hi })
                })
            })
            .map(|(id, _)| *id)
            .collect(),
        Node::Geo { field, lon, lat, radius, unit } => {
            let within = radius * unit.metres();
            let geo = matches!(idx.field(field).map(|f| &f.kind), Some(Kind::Geo));
            idx.docs
                .iter()
                .filter(|(_, d)| {
                    geo && d
                        .geos
                        .get(field)
                        .is_some_and(|&(x, y)| crate::geohash::distance(*lon, *lat, x, y) <= within)
                })
                .map(|(id, _)| *id)
                .collect()
        }
        Node::GeoShape { field, op, wkt } => {
            let Some(Kind::GeoShape { flat }) = idx.field(field).map(|f| &f.kind) else {
                return Ok(BTreeSet::new());
            };
            let shape = super::geoshape::from_wkt(wkt, *flat)
                .map_err(|e| err(format!("Error querying geoshape index: {e}")))?;
            idx.docs
                .iter()
                .filter(|(_, d)| d.shapes.get(field).is_some_and(|s| op.test(s, &shape, *flat)))
                .map(|(id, _)| *id)
                .collect()
        }
        Node::Range { field, radius, blob, yield_as, .. } => {
            let found =
                idx.range(field, blob, *radius).map_err(|size| blob_error(blob.len(), size, "range"))?;
            let name = yield_as.clone().unwrap_or_else(|| format!("__{field}_score"));
            found
                .into_iter()
                .map(|(d, id)| {
                    yields.insert(id, (name.clone(), d));
                    id
                })
                .collect()
        }
        Node::Optional(_) => all(),
        // RediSearch expands words (stems) under unions and phrases only: a negated word is
        // matched as typed (`-cache` keeps a document that says `caching`).
        Node::Not(inner) => {
            let hit = evaluate(idx, inner, Matching { verbatim: true, ..how }, yields)?;
            all().difference(&hit).copied().collect()
        }
        Node::And(parts) => {
            let mut acc: Option<BTreeSet<u64>> = None;
            // Stop words leave a phrase of words (`the model` looks for `model`, `model -the` too).
            // Optional clauses do not narrow the match; only optional ones match everything.
            let required: Vec<&Node> = parts
                .iter()
                .filter(|p| !removed_stopword(idx, p, how) && !matches!(p, Node::Optional(_)))
                .collect();
            let optional = |p: &&Node| matches!(p, Node::Optional(_)) && !removed_stopword(idx, p, how);
            if required.is_empty() && parts.iter().any(|p| optional(&p)) {
                return Ok(all());
            }
            for p in &required {
                let s = evaluate(idx, p, how, yields)?;
                acc = Some(match acc {
                    None => s,
                    Some(a) => a.intersection(&s).copied().collect(),
                });
            }
            let mut found = acc.unwrap_or_default();
            if how.slop.is_some() || how.inorder {
                found.retain(|id| {
                    idx.docs.get(id).is_some_and(|d| super::slop::within(idx, d, &required, how))
                });
            }
            found
        }
        Node::Or(parts) => {
            let mut acc = BTreeSet::new();
            for p in parts {
                acc.extend(evaluate(idx, p, how, yields)?);
            }
            acc
        }
    })
}

fn blob_error(got: usize, expected: usize, _what: &str) -> CmdError {
    err(format!(
        "Error parsing vector similarity query: query vector blob size ({got}) does not match index's expected size ({expected})."
    ))
}

struct Options {
    nocontent: bool,
    returns: Option<Vec<(Bytes, Bytes)>>,
    sortby: Option<(String, bool)>,
    offset: usize,
    limit: usize,
    params: HashMap<String, Bytes>,
    dialect: i64,
    matching: Matching,
    withscores: bool,
    explain: bool,
    /// SCORER's name, checked once the index is known (RediSearch's order of errors).
    scorer: Option<Bytes>,
    /// INKEYS: only these documents. INFIELDS: unscoped words look in these fields only.
    inkeys: Option<Vec<Bytes>>,
    infields: Option<Vec<String>>,
    /// HIGHLIGHT and SUMMARIZE (None: neither given).
    summary: Option<super::highlight::Summary>,
    /// FILTER and GEOFILTER: clauses every result must also match.
    filters: Vec<Node>,
}

/// How query words meet indexed text: FT.SEARCH's VERBATIM (no stem expansion),
/// NOSTOPWORDS (keep stop words in the query) and LANGUAGE (the stemmer of the query's words;
/// the index's LANGUAGE when not given).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Matching {
    pub(super) verbatim: bool,
    pub(super) keep_stopwords: bool,
    pub(super) lang: Option<super::text::Lang>,
    /// SLOP and INORDER: how far apart (and in what order) an intersection's words may be.
    pub(super) slop: Option<i64>,
    pub(super) inorder: bool,
    /// A word's `$phonetic` attribute (see [`Index::phonetic_term`]).
    pub(super) phonetic: Option<bool>,
}

impl Matching {
    /// The stem of a query word, unless VERBATIM.
    pub(super) fn stem(&self, idx: &Index, word: &str) -> Option<String> {
        (!self.verbatim).then(|| super::text::stem_in(word, self.lang.unwrap_or(idx.language)))
    }
}

/// FT.SEARCH / FT.AGGREGATE `LANGUAGE name`.
pub(super) fn query_language(args: &mut Args) -> Result<super::text::Lang, CmdError> {
    super::text::Lang::parse(&args.next_bytes()?).ok_or_else(|| err("No such language"))
}

fn parse_options(args: &mut Args, dialect: i64) -> Result<Options, CmdError> {
    let mut o = Options {
        nocontent: false,
        returns: None,
        sortby: None,
        offset: 0,
        limit: 10,
        params: HashMap::new(),
        dialect,
        matching: Matching::default(),
        withscores: false,
        explain: false,
        scorer: None,
        inkeys: None,
        infields: None,
        summary: None,
        filters: Vec::new(),
    };
    while let Some(word) = args.next_opt() {
        match text(&word).to_ascii_uppercase().as_str() {
            "NOCONTENT" => o.nocontent = true,
            "VERBATIM" => o.matching.verbatim = true,
            "NOSTOPWORDS" => o.matching.keep_stopwords = true,
            "WITHSCORES" => o.withscores = true,
            "EXPLAINSCORE" => o.explain = true,
            "WITHPAYLOADS" | "WITHSORTKEYS" => {}
            "RETURN" => {
                let n = count(args)?;
                let mut names = Vec::new();
                for _ in 0..n {
                    names.push(args.next_bytes()?);
                }
                let mut list = Vec::new();
                let mut i = 0;
                while let Some(f) = names.get(i) {
                    if names.get(i + 1).is_some_and(|a| a.eq_ignore_ascii_case(b"AS")) {
                        let alias = names.get(i + 2).cloned().ok_or_else(CmdError::syntax)?;
                        list.push((f.clone(), alias));
                        i += 3;
                    } else {
                        list.push((f.clone(), f.clone()));
                        i += 1;
                    }
                }
                o.returns = Some(list);
            }
            "SORTBY" => {
                let f = text(&args.next_bytes()?);
                let f = f.strip_prefix('@').map(str::to_string).unwrap_or(f);
                let desc = if args.eat("DESC") {
                    true
                } else {
                    args.eat("ASC");
                    false
                };
                o.sortby = Some((f, desc));
            }
            "LIMIT" => {
                o.offset = count(args)?;
                o.limit = count(args)?;
            }
            "PARAMS" => {
                let n = count(args)?;
                for _ in 0..n / 2 {
                    let k = text(&args.next_bytes()?);
                    let v = args.next_bytes()?;
                    o.params.insert(k, v);
                }
            }
            "DIALECT" => {
                let raw = args.next_opt().ok_or_else(|| err("Need an argument for DIALECT"))?;
                o.dialect = parse_i64(&raw)
                    .ok_or_else(|| err("DIALECT requires a non negative integer >=1 and <= 4"))?;
            }
            "SCORER" => {
                o.scorer = Some(args.next_opt().ok_or_else(|| {
                    err("Bad arguments for SCORER: Expected an argument, but none provided")
                })?);
            }
            "LANGUAGE" => o.matching.lang = Some(query_language(args)?),
            "INORDER" => o.matching.inorder = true,
            "SLOP" => {
                let raw = args
                    .next_opt()
                    .ok_or_else(|| err("Bad arguments for SLOP: Expected an argument, but none provided"))?;
                o.matching.slop = Some(parse_i64(&raw).ok_or_else(|| {
                    err("Bad arguments for SLOP: Could not convert argument to expected type")
                })?);
            }
            "INKEYS" | "INFIELDS" => {
                let what = text(&word).to_ascii_uppercase();
                let bad = |why: &str| err(format!("Bad arguments for {what}: {why}"));
                let raw = args.next_opt().ok_or_else(|| bad("Expected an argument, but none provided"))?;
                let n = parse_i64(&raw)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| bad("Could not convert argument to expected type"))?;
                if args.remaining() < n {
                    return Err(bad("Expected an argument, but none provided"));
                }
                let list: Vec<Bytes> = (0..n).map(|_| args.next_bytes()).collect::<Result<_, _>>()?;
                if what == "INKEYS" {
                    o.inkeys = Some(list);
                } else {
                    o.infields = Some(list.iter().map(|f| text(f)).collect());
                }
            }
            "PAYLOAD" => {
                args.next_bytes()?;
            }
            "HIGHLIGHT" | "SUMMARIZE" => {
                let summary = o.summary.get_or_insert_with(Default::default);
                summary.parse(args, word.eq_ignore_ascii_case(b"HIGHLIGHT"))?;
            }
            "TIMEOUT" | "EXPANDER" => {
                args.next_bytes()?;
            }
            "FILTER" => {
                if args.remaining() < 3 {
                    return Err(err("FILTER requires 3 arguments"));
                }
                // The field's name as written: `@pop` names no field here.
                let field = text(&args.next_bytes()?);
                let bound = |args: &mut Args, name: &str| -> Result<(f64, bool), CmdError> {
                    let raw = args.next_bytes()?;
                    let (exclusive, digits) = match raw.strip_prefix(b"(") {
                        Some(rest) => (true, rest),
                        None => (false, &raw[..]),
                    };
                    let v = match digits.to_ascii_lowercase().as_slice() {
                        b"-inf" => f64::NEG_INFINITY,
                        b"+inf" | b"inf" => f64::INFINITY,
                        d => crate::float::parse_double(d)
                            .ok_or_else(|| err(format!("Bad {name} range: {}", text(&raw))))?,
                    };
                    Ok((v, exclusive))
                };
                let (lo, lo_ex) = bound(args, "lower")?;
                let (hi, hi_ex) = bound(args, "upper")?;
                o.filters.push(Node::Numeric { field, lo, lo_incl: !lo_ex, hi, hi_incl: !hi_ex });
            }
            "GEOFILTER" => {
                if args.remaining() < 5 {
                    return Err(err("GEOFILTER requires 5 arguments"));
                }
                // The field's name as written: `@loc` names no field here.
                let field = text(&args.next_bytes()?);
                let mut number = |what: &str| -> Result<f64, CmdError> {
                    let bad = |why: &str| err(format!("Bad arguments for <{what}>: {why}"));
                    let raw =
                        args.next_opt().ok_or_else(|| bad("Expected an argument, but none provided"))?;
                    crate::float::parse_double(&raw)
                        .ok_or_else(|| bad("Could not convert argument to expected type"))
                };
                let lon = number("lon")?;
                let lat = number("lat")?;
                let radius = number("radius")?;
                let unit = args.next_opt().unwrap_or_default();
                if query::GeoUnit::parse(&unit).is_none() {
                    return Err(err(format!("Unknown distance unit {}", text(&unit))));
                }
                o.filters.push(query::geo_filter(field, lon, lat, radius, &unit).map_err(err)?);
            }
            _ => return Err(err(format!("Unknown argument `{}`", text(&word)))),
        }
    }
    if o.explain && !o.withscores {
        return Err(err("EXPLAINSCORE must be accompanied with WITHSCORES"));
    }
    // RETURN's fields join HIGHLIGHT's and SUMMARIZE's list after theirs (measured).
    if let (Some(summary), Some(list)) = (&mut o.summary, &o.returns) {
        list.iter().for_each(|(_, alias)| _ = summary.listed(&text(alias)));
    }
    Ok(o)
}

/// A row's SORTBY value: numeric, or lowercased text; neither when the doc lacks it.
type SortKey = (Option<f64>, Option<Bytes>);

/// One result row: doc id, its key, and the yielded (name, distance) fields.
struct Row {
    id: u64,
    key: Bytes,
    yielded: Vec<(String, f64)>,
    score: f64,
    /// EXPLAINSCORE's tree.
    explained: Option<Frame>,
}

pub(super) fn ft_search(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let query_text = args.next_opt().ok_or_else(|| err("No query string provided"))?;
    let opts = parse_options(args, super::extras::default_dialect(&ctx.server.search))?;
    let Some(idx) = ctx.server.search.by_name.get(&name) else {
        return Err(err(format!("{}: no such index", text(&name))));
    };
    let scorer = match &opts.scorer {
        None => Scorer::default(),
        Some(name) => Scorer::parse(name).ok_or_else(|| err(format!("No such scorer {}", text(name))))?,
    };
    let mut q = query::parse(&query_text, &opts.params, opts.dialect).map_err(err)?;
    if !opts.filters.is_empty() {
        let mut all: Vec<Node> = Some(std::mem::replace(&mut q.filter, Node::All))
            .filter(|f| *f != Node::All)
            .into_iter()
            .collect();
        all.extend(opts.filters.iter().cloned());
        q.filter = if all.len() == 1 { all.remove(0) } else { Node::And(all) };
    }
    if let Some(fields) = &opts.infields {
        q.filter = query::in_fields(q.filter, fields);
    }
    let hybrid = q.filter != Node::All;
    if let Some(knn) = q.knn.as_mut() {
        let hnsw = idx.vector_spec(&knn.field).is_some_and(|v| v.algo == Algo::Hnsw);
        knn.check_attrs(hnsw, hybrid).map_err(err)?;
    }
    if let Some((field, _)) = &opts.sortby {
        // Only a query that returns rows sorts them (LIMIT 0 0 only counts).
        if opts.limit > 0 && idx.field(field).is_none() && !q.yielded_names().contains(field) {
            return Err(err(format!("Property `{field}` not loaded nor in schema")));
        }
    }
    let mut yields = HashMap::new();
    // A pure KNN query (`*=>[KNN ...]`) needs no filter pass over every document.
    let inkeys: Option<BTreeSet<u64>> =
        opts.inkeys.as_ref().map(|keys| keys.iter().filter_map(|k| idx.by_key.get(k).copied()).collect());
    let mut matched = if q.knn.is_some() && q.filter == Node::All {
        BTreeSet::new()
    } else {
        evaluate(idx, &q.filter, opts.matching, &mut yields)?
    };
    if let Some(ids) = &inkeys {
        matched.retain(|id| ids.contains(id));
    }
    let mut rows: Vec<Row> = match &q.knn {
        Some(knn) => {
            let among = if q.filter == Node::All { inkeys.as_ref() } else { Some(&matched) };
            let found = idx
                .knn(&knn.field, &knn.blob, knn.k, knn.ef_runtime, among, None)
                .map_err(|size| blob_error(knn.blob.len(), size, "knn"))?;
            let score_name = knn.score_as.clone().unwrap_or_else(|| format!("__{}_score", knn.field));
            found
                .into_iter()
                .filter_map(|(d, id)| {
                    let doc = idx.docs.get(&id)?;
                    let mut yielded: Vec<(String, f64)> = yields.get(&id).cloned().into_iter().collect();
                    yielded.insert(0, (score_name.clone(), d));
                    Some(Row { id, key: doc.key.clone(), yielded, score: 0.0, explained: None })
                })
                .collect()
        }
        None => matched
            .iter()
            .filter_map(|id| {
                let doc = idx.docs.get(id)?;
                Some(Row {
                    id: *id,
                    key: doc.key.clone(),
                    yielded: yields.get(id).cloned().into_iter().collect(),
                    score: 0.0,
                    explained: None,
                })
            })
            .collect(),
    };
    let db = &ctx.server.dbs[0];
    let hash_field = |key: &Bytes, field: &str| -> Option<Bytes> {
        let identifier = idx
            .field(field)
            .map(|f| f.identifier.clone())
            .unwrap_or_else(|| Bytes::copy_from_slice(field.as_bytes()));
        super::index::field_of(db.raw_get(key).map(|e| &e.value), &identifier)
    };
    crate::order::sort_by_key(&mut rows, |r| r.id);
    let scoring = Scoring::new(idx, scorer, opts.matching);
    for row in rows.iter_mut() {
        if let Some(doc) = idx.docs.get(&row.id) {
            (row.score, row.explained) = scoring.scored(&q.filter, doc, q.knn.is_some(), opts.explain);
        }
    }
    // The heap below keeps only the page's worth; the count is of all matches.
    let total = rows.len() as i64;
    // Without SORTBY, text hits rank by score (ties by doc id); KNN results by distance,
    // unless WITHSCORES or SCORER asks for scores (then by score too, as RediSearch).
    if opts.sortby.is_none() && (q.knn.is_none() || opts.withscores || opts.scorer.is_some()) {
        if rows.iter().any(|r| r.score.is_nan()) {
            // A NaN score ties with every other: only RediSearch's own heap gives its order.
            use std::cmp::Ordering::{Greater, Less};
            let keep = opts.offset.saturating_add(opts.limit);
            // `cmpByScore`: by score where comparable, else the older document first.
            rows = super::heap::best(rows, keep, |a, b| match a.score.partial_cmp(&b.score) {
                Some(Less) => Less,
                Some(Greater) => Greater,
                _ if a.id > b.id => Less,
                _ => Greater,
            });
        } else {
            crate::order::sort_by(&mut rows, |a, b| b.score.total_cmp(&a.score));
        }
    }
    if let Some((field, desc)) = &opts.sortby {
        let numeric = matches!(idx.field(field).map(|f| &f.kind), Some(Kind::Numeric));
        // A SORTABLE text or tag sorts by its case-folded form (RediSearch folds with nunicode;
        // Rust's lowercase is the same fold but for a few letters such as `ß`); any other field
        // by the bytes as written.
        let folded = idx.field(field).is_some_and(Field::sorts_folded);
        let key_of = |r: &Row| -> SortKey {
            if let Some((_, d)) = r.yielded.iter().find(|(n, _)| n == field) {
                return (Some(*d), None);
            }
            let raw = hash_field(&r.key, field);
            if numeric {
                (raw.as_deref().and_then(crate::float::parse_double), None)
            } else {
                (
                    None,
                    raw.map(
                        |b| if folded { Bytes::from(super::text::unicode_lowercase(&text(&b))) } else { b },
                    ),
                )
            }
        };
        let mut keyed: Vec<(SortKey, Row)> = rows.into_iter().map(|r| (key_of(&r), r)).collect();
        // Docs without the field come last either way; each group by (value, doc id), and DESC
        // reverses that whole order (ties too: the newest doc first), as RediSearch does.
        crate::order::sort_by(&mut keyed, |a, b| {
            let ord = match (&a.0, &b.0) {
                ((Some(x), _), (Some(y), _)) => x.total_cmp(y),
                ((None, Some(x)), (None, Some(y))) => x.cmp(y),
                ((None, None), (None, None)) => std::cmp::Ordering::Equal,
                ((None, None), _) => return std::cmp::Ordering::Greater,
                (_, (None, None)) => return std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Equal,
            };
            let ord = ord.then(a.1.id.cmp(&b.1.id));
            if *desc {
                ord.reverse()
            } else {
                ord
            }
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    let page: Vec<&Row> = rows.iter().skip(opts.offset).take(opts.limit).collect();
    let nocontent = opts.nocontent || opts.returns.as_ref().is_some_and(|r| r.is_empty());
    // RediSearch loads the SORTBY field first, so it leads each document's fields; a RETURN list
    // names each output once.
    let sort_field = opts.sortby.as_ref().map(|(f, _)| f.as_str());
    let sort_identifier: Option<Bytes> = sort_field
        .filter(|f| !q.yielded_names().iter().any(|n| n == f))
        .map(|f| idx.field(f).map_or_else(|| Bytes::copy_from_slice(f.as_bytes()), |x| x.identifier.clone()));
    let returns: Option<Vec<(Bytes, Bytes)>> = opts.returns.as_ref().map(|list| {
        let mut unique: Vec<(Bytes, Bytes)> = Vec::new();
        for (f, alias) in list {
            if !unique.iter().any(|(_, a)| a == alias) {
                unique.push((f.clone(), alias.clone()));
            }
        }
        if let Some(pos) =
            sort_field.and_then(|s| unique.iter().position(|(f, _)| f.as_ref() == s.as_bytes()))
        {
            let first = unique.remove(pos);
            unique.insert(0, first);
        }
        unique
    });
    let mut results = Vec::new();
    for row in page {
        let mut fields: Vec<(Frame, Frame)> = Vec::new();
        if !nocontent {
            match &returns {
                None => {
                    for (n, d) in &row.yielded {
                        fields.push((Frame::bulk(n.clone()), Frame::bulk(format_score(*d))));
                    }
                    let value = db.raw_get(&row.key).map(|e| &e.value);
                    // A JSON document leads with the SORTBY attribute, named as in the query.
                    if let (Some(crate::types::Value::Json(_)), Some(field), Some(id)) =
                        (value, sort_field, sort_identifier.as_ref())
                    {
                        if let Some(v) = super::index::field_of(value, id) {
                            fields.push((Frame::bulk(field.to_string()), Frame::Bulk(v)));
                        }
                    }
                    if let Some(h) = super::index::hash_of(value) {
                        let leading = sort_identifier.as_ref().and_then(|f| h.get_key_value(f));
                        if let Some((k, v)) = leading {
                            fields.push((Frame::Bulk(k.clone()), Frame::Bulk(v.clone())));
                        }
                        for (k, v) in h.iter() {
                            if leading.is_none_or(|(first, _)| first != k) {
                                fields.push((Frame::Bulk(k.clone()), Frame::Bulk(v.clone())));
                            }
                        }
                    }
                }
                Some(list) => {
                    for (n, d) in &row.yielded {
                        if let Some((_, alias)) = list.iter().find(|(f, _)| f.as_ref() == n.as_bytes()) {
                            fields.push((Frame::Bulk(alias.clone()), Frame::bulk(format_score(*d))));
                        }
                    }
                    for (f, alias) in list {
                        let fname = text(f);
                        if row.yielded.iter().any(|(n, _)| *n == fname) {
                            continue;
                        }
                        if let Some(v) = hash_field(&row.key, &fname) {
                            fields.push((Frame::Bulk(alias.clone()), Frame::Bulk(v)));
                        }
                    }
                }
            }
        }
        if let (Some(h), Some(doc)) = (&opts.summary, idx.docs.get(&row.id)) {
            if returns.is_some() {
                // The SORTBY field leads, then the fields with their own settings.
                let sorted = |k: &[u8]| {
                    sort_identifier.as_deref() == Some(k) || sort_field.is_some_and(|f| f.as_bytes() == k)
                };
                let rank = |k: &Frame| {
                    k.as_bytes().and_then(|k| if sorted(k) { Some(0) } else { h.rank(k).map(|r| r + 1) })
                };
                let (mut lead, rest): (Vec<_>, Vec<_>) =
                    fields.drain(..).partition(|(k, _)| rank(k).is_some());
                crate::order::sort_by_key(&mut lead, |(k, _)| rank(k));
                lead.extend(rest);
                fields = lead;
            }
            // HIGHLIGHT's and SUMMARIZE's fields are loaded right after the SORTBY field.
            if returns.is_none() {
                let mut at = usize::from(
                    sort_identifier.is_some()
                        && fields.first().is_some_and(|(k, _)| k.as_bytes() == sort_identifier.as_deref()),
                );
                for (name, _) in &h.fields {
                    let id =
                        idx.field(name).map_or_else(|| Bytes::from(name.clone()), |f| f.identifier.clone());
                    if let Some(pos) = fields.iter().position(|(k, _)| k.as_bytes() == Some(&id[..])) {
                        if pos >= at {
                            let moved = fields.remove(pos);
                            fields.insert(at, moved);
                            at += 1;
                        }
                    }
                }
            }
            let hits = scoring.offsets(&q.filter, doc);
            for (k, v) in fields.iter_mut() {
                let (Frame::Bulk(name), Frame::Bulk(raw)) = (&*k, &*v) else { continue };
                let Some(spec) = h.spec(idx, name) else { continue };
                // RETURN loads a NUMERIC field as a number, which is left alone.
                let number = |f: &Field| f.identifier == *name && matches!(f.kind, Kind::Numeric);
                if returns.is_some() && idx.fields.iter().any(number) {
                    continue;
                }
                if let Some(out) = super::highlight::apply(idx, doc, &hits, name, raw, &spec) {
                    *v = Frame::Bulk(Bytes::from(out));
                }
            }
        }
        let score = opts.withscores.then(|| match &row.explained {
            Some(tree) => Frame::Array(vec![Frame::Double(row.score), tree.clone()]),
            None => Frame::Double(row.score),
        });
        results.push((row.key.clone(), score, fields));
    }
    // Whole documents list their fields in the order each name first appears over the page
    // (RediSearch's lookup keys are created as rows are loaded).
    if returns.is_none() {
        let name = |f: &Frame| match f {
            Frame::Bulk(b) => b.clone(),
            _ => Bytes::new(),
        };
        let mut order: Vec<Bytes> = Vec::new();
        for (_, _, fields) in &results {
            for (k, _) in fields {
                let k = name(k);
                if !order.contains(&k) {
                    order.push(k);
                }
            }
        }
        for (_, _, fields) in results.iter_mut() {
            crate::order::sort_by_key(fields, |(k, _)| order.iter().position(|o| *o == name(k)));
        }
    }
    if ctx.client.protocol == crate::Protocol::Resp3 {
        let items = results
            .into_iter()
            .map(|(key, score, fields)| {
                let mut m = vec![(Frame::Simple("id".into()), Frame::Bulk(key))];
                if let Some(score) = score {
                    m.push((Frame::Simple("score".into()), score));
                }
                if !nocontent {
                    m.push((Frame::Simple("extra_attributes".into()), Frame::Map(fields)));
                }
                m.push((Frame::Simple("values".into()), Frame::Array(Vec::new())));
                Frame::Map(m)
            })
            .collect();
        return Ok(Frame::Map(vec![
            (Frame::Simple("attributes".into()), Frame::Array(Vec::new())),
            (Frame::Simple("total_results".into()), Frame::Integer(total)),
            (Frame::Simple("format".into()), Frame::Simple("STRING".into())),
            (Frame::Simple("results".into()), Frame::Array(items)),
            (Frame::Simple("warning".into()), Frame::Array(Vec::new())),
        ]));
    }
    let mut out = vec![Frame::Integer(total)];
    for (key, score, fields) in results {
        out.push(Frame::Bulk(key));
        if let Some(score) = score {
            out.push(score);
        }
        if !nocontent {
            out.push(Frame::Array(fields.into_iter().flat_map(|(k, v)| [k, v]).collect()));
        }
    }
    Ok(Frame::Array(out))
}

fn ft_dropindex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    // `index [DD]`: RediSearch checks the count itself, then the index, and ignores a third
    // word that is not DD.
    if args.remaining() > 2 {
        return Err(CmdError::wrong_arity("FT.DROPINDEX"));
    }
    let name = args.next_bytes()?;
    let dd = args.eat("DD");
    let Some(idx) = ctx.server.search.by_name.shift_remove(&name) else {
        return Err(err("Unknown Index name"));
    };
    ctx.server.search.aliases.retain(|_, target| *target != name);
    if dd {
        for doc in idx.docs.values() {
            ctx.delete(&doc.key);
        }
    }
    if ctx.server.search.by_name.is_empty() {
        ctx.server.track_changes = false;
        ctx.server.changed.clear();
    }
    Ok(Frame::ok())
}

fn ft_list(ctx: &mut Ctx, _args: &mut Args) -> CmdResult {
    Ok(Frame::Set(ctx.server.search.by_name.keys().map(|k| Frame::Simple(text(k))).collect()))
}

fn ft_info(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let Some(idx) = ctx.server.search.by_name.get(&name) else {
        return Err(err("Unknown index name"));
    };
    let resp3 = ctx.client.protocol == crate::Protocol::Resp3;
    let s = |t: &str| Frame::Simple(t.to_string());
    let int = |n: usize| Frame::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    let attributes = idx
        .fields
        .iter()
        .map(|f| {
            let mut pairs = vec![
                (s("identifier"), s(&text(&f.identifier))),
                (s("attribute"), s(&f.attribute)),
                (s("type"), s("")),
            ];
            let mut flags = Vec::new();
            match &f.kind {
                Kind::Text { weight, .. } => {
                    pairs[2].1 = s("TEXT");
                    pairs.push((s("WEIGHT"), Frame::Double(*weight)));
                }
                Kind::Tag { separator, case_sensitive } => {
                    pairs[2].1 = s("TAG");
                    // JSON tags are not split (FT.INFO shows no separator).
                    let sep = if idx.on_json { String::new() } else { text(&[*separator]) };
                    pairs.push((s("SEPARATOR"), s(&sep)));
                    if *case_sensitive {
                        flags.push("CASESENSITIVE");
                    }
                }
                Kind::Numeric => pairs[2].1 = s("NUMERIC"),
                Kind::Geo => pairs[2].1 = s("GEO"),
                Kind::GeoShape { flat } => {
                    pairs[2].1 = s("GEOSHAPE");
                    pairs.push((s("coord_system"), s(if *flat { "FLAT" } else { "SPHERICAL" })));
                }
                Kind::Vector(v) => {
                    pairs[2].1 = s("VECTOR");
                    pairs.extend([
                        (s("algorithm"), s(if v.algo == Algo::Hnsw { "HNSW" } else { "FLAT" })),
                        (s("data_type"), s(if v.ty == VecType::F32 { "FLOAT32" } else { "FLOAT64" })),
                        (s("dim"), int(v.dim)),
                        (s("distance_metric"), s(v.metric.name())),
                    ]);
                    if v.algo == Algo::Hnsw {
                        pairs.push((s("M"), int(v.params.m)));
                        pairs.push((s("ef_construction"), int(v.params.ef_construction)));
                    }
                }
            }
            // In RediSearch's order: SORTABLE [UNF], NOSTEM, NOINDEX (a CASESENSITIVE tag is
            // never normalized, so it shows UNF too).
            if f.sortable {
                flags.push("SORTABLE");
                if f.unf || matches!(f.kind, Kind::Tag { case_sensitive: true, .. }) {
                    flags.push("UNF");
                }
            }
            if matches!(f.kind, Kind::Text { nostem: true, .. }) {
                flags.push("NOSTEM");
            }
            if f.noindex {
                flags.push("NOINDEX");
            }
            for (on, flag) in [
                (f.suffix_trie, "WITHSUFFIXTRIE"),
                (f.index_empty, "INDEXEMPTY"),
                (f.index_missing, "INDEXMISSING"),
            ] {
                if on {
                    flags.push(flag);
                }
            }
            if resp3 {
                pairs.push((s("flags"), Frame::Array(flags.iter().map(|f| s(f)).collect())));
                Frame::Map(pairs)
            } else {
                let mut flat: Vec<Frame> = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
                flat.extend(flags.iter().map(|f| s(f)));
                Frame::Array(flat)
            }
        })
        .collect();
    let errors = |count: u64, last: Option<&(String, Bytes)>| {
        let (msg, key) = match last {
            Some((m, k)) => (m.clone(), Frame::Bulk(k.clone())),
            None => ("N/A".to_string(), Frame::bulk("N/A")),
        };
        Frame::Map(vec![
            (s("indexing failures"), Frame::Integer(count as i64)),
            (s("last indexing error"), s(&msg)),
            (s("last indexing error key"), key),
        ])
    };
    // RediSearch's inverted index has one term per token and one `+stem` per stemmed token
    // whose stem differs, and one record per term and document.
    let doc_terms =
        |d: &super::index::Doc| d.words.values().flat_map(|t| t.index_terms()).collect::<BTreeSet<String>>();
    let mut num_terms: BTreeSet<String> = BTreeSet::new();
    let mut num_records = idx.vectors.len() * idx.docs.len();
    for d in idx.docs.values() {
        let terms = doc_terms(d);
        num_records += terms.len() + d.tags.len() + d.numbers.len() + d.geos.len();
        num_terms.extend(terms);
    }
    let per_doc = if idx.docs.is_empty() { 0.0 } else { num_records as f64 / idx.docs.len() as f64 };
    let vector_mb: f64 = idx
        .fields
        .iter()
        .filter_map(|f| match &f.kind {
            Kind::Vector(v) => {
                let size = if v.ty == VecType::F32 { 4 } else { 8 };
                Some((idx.docs.len() * (v.dim * size + 2 * v.params.m * 4 + 16)) as f64 / (1024.0 * 1024.0))
            }
            _ => None,
        })
        .sum();
    let d = Frame::Double;
    let field_stats = idx
        .fields
        .iter()
        .map(|f| {
            let e = idx.field_errors.get(&f.attribute);
            Frame::Map(vec![
                (s("identifier"), s(&text(&f.identifier))),
                (s("attribute"), s(&f.attribute)),
                (
                    s("Index Errors"),
                    errors(e.map_or(0, |e| e.0), e.map(|e| (e.1.clone(), e.2.clone())).as_ref()),
                ),
            ])
        })
        .collect();
    let mut info = vec![
        (s("index_name"), s(&text(&idx.name))),
        (s("index_options"), Frame::Array(Vec::new())),
        (
            s("index_definition"),
            Frame::Map(
                [
                    Some((s("key_type"), s(if idx.on_json { "JSON" } else { "HASH" }))),
                    Some((s("prefixes"), Frame::Array(idx.prefixes.iter().map(|p| s(&text(p))).collect()))),
                    idx.filter.as_ref().map(|(source, _)| (s("filter"), s(source))),
                    (idx.language != super::text::Lang::ENGLISH)
                        .then(|| (s("default_language"), s(idx.language.name()))),
                    idx.language_field.as_ref().map(|f| (s("language_field"), s(&text(f)))),
                    Some((s("default_score"), d(1.0))),
                ]
                .into_iter()
                .flatten()
                .collect(),
            ),
        ),
        (s("attributes"), Frame::Array(attributes)),
        (s("num_docs"), int(idx.docs.len())),
        (s("max_doc_id"), Frame::Integer(idx.max_doc_id as i64)),
        (s("num_terms"), int(num_terms.len())),
        (s("num_records"), int(num_records)),
        (s("inverted_sz_mb"), d(0.0)),
        (s("vector_index_sz_mb"), d(vector_mb)),
        (s("total_inverted_index_blocks"), int(num_terms.len())),
        (s("offset_vectors_sz_mb"), d(0.0)),
        (s("doc_table_size_mb"), d(0.0)),
        (s("sortable_values_size_mb"), d(0.0)),
        (s("key_table_size_mb"), d(0.0)),
        (s("tag_overhead_sz_mb"), d(0.0)),
        (s("text_overhead_sz_mb"), d(0.0)),
        (s("total_index_memory_sz_mb"), d(0.0)),
        (s("geoshapes_sz_mb"), d(0.0)),
        (s("records_per_doc_avg"), d(per_doc)),
        (s("bytes_per_record_avg"), d(0.0)),
        (s("offsets_per_term_avg"), d(0.0)),
        (s("offset_bits_per_record_avg"), d(0.0)),
        (s("hash_indexing_failures"), Frame::Integer(idx.failures as i64)),
        (s("total_indexing_time"), d(0.0)),
        (s("indexing"), Frame::Integer(0)),
        (s("percent_indexed"), d(1.0)),
        (s("number_of_uses"), Frame::Integer(1)),
        (s("cleaning"), Frame::Integer(0)),
        (
            s("gc_stats"),
            Frame::Map(vec![
                (s("bytes_collected"), d(0.0)),
                (s("total_ms_run"), d(0.0)),
                (s("total_cycles"), d(0.0)),
                (s("average_cycle_time_ms"), d(f64::NAN)),
                (s("last_run_time_ms"), d(0.0)),
                (s("gc_numeric_trees_missed"), d(0.0)),
                (s("gc_blocks_denied"), d(0.0)),
            ]),
        ),
        (
            s("cursor_stats"),
            Frame::Map(vec![
                (s("global_idle"), Frame::Integer(0)),
                (s("global_total"), Frame::Integer(0)),
                (s("index_capacity"), Frame::Integer(128)),
                (s("index_total"), Frame::Integer(0)),
            ]),
        ),
        (
            s("dialect_stats"),
            Frame::Map((1..=4).map(|n| (s(&format!("dialect_{n}")), Frame::Integer(0))).collect()),
        ),
        (s("Index Errors"), errors(idx.failures, idx.last_error.as_ref())),
        (s("field statistics"), Frame::Array(field_stats)),
    ];
    // An index with its own stop words lists them (sorted, lowercase) before dialect_stats.
    if let StopWords::Custom(words) = &idx.stopwords {
        let at = info.len() - 3;
        info.insert(
            at,
            (
                s("stopwords_list"),
                Frame::Array(words.iter().map(|w| Frame::bulk_from(w.as_bytes())).collect()),
            ),
        );
    }
    Ok(Frame::Map(info))
}
