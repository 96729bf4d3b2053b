//! FT.AGGREGATE as RediSearch 2.10 runs it: the query's documents in index order, then each
//! step in the order given: LOAD, GROUPBY with REDUCE, APPLY, FILTER, SORTBY [MAX], LIMIT.
//! Values print as RediSearch prints them (computed numbers with `%.12g`, hash fields as
//! stored, missing group values as nil). Groups come in RediSearch's hash table order
//! (`khash.rs`).
//!
//! `total_results` is RediSearch's counter: the groups of the last GROUPBY, else every matched
//! document once a SORTBY has read them all, else the documents read until the first row came
//! out (a streaming pipeline replies after its first row).

use super::commands::{count, err, evaluate, text, Matching};
use super::filter::{self, Expr, Val};
use super::index::{Index, Kind};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;
use std::collections::HashMap;

/// A row's value: one value, or a list (TOLIST, RANDOM_SAMPLE).
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    One(Val),
    Many(Vec<Val>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Func {
    Count,
    CountDistinct,
    CountDistinctish,
    Sum,
    Min,
    Max,
    Avg,
    StdDev,
    Quantile,
    ToList,
    FirstValue,
    RandomSample,
}

#[derive(Debug, Clone)]
struct Reducer {
    func: Func,
    args: Vec<String>,
    name: String,
}

#[derive(Debug, Clone)]
enum Step {
    Group(Vec<String>, Vec<Reducer>),
    Apply(Expr, String),
    Filter(Expr),
    Sort(Vec<(String, bool)>, Option<usize>),
    Limit(usize, usize),
}

/// A parsed FT.AGGREGATE: what each document loads, then the steps.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// (name in the row, field identifier read) for each loaded field.
    loads: Vec<(String, Bytes, bool)>,
    steps: Vec<Step>,
    /// The output keys in RediSearch's lookup order.
    keys: Vec<String>,
    /// APPLY aliases of a bare `@field`: RediSearch's sorter sees every row's value of one as
    /// equal (the rows keep their tie order, by doc id).
    refs: Vec<String>,
}

/// A row: (position of its document among those read, 1-based, and its doc id; both 0 after
/// a GROUPBY) and its values.
type Row = ((usize, u64), HashMap<String, Cell>);

fn strip(name: &str) -> &str {
    name.strip_prefix('@').unwrap_or(name)
}

fn num_text(n: f64) -> String {
    // C's printf shows a NaN's sign ("-nan" from log(-1)).
    if n.is_nan() && n.is_sign_negative() {
        return "-nan".into();
    }
    super::commands::format_score(n)
}

impl Plan {
    /// Load a schema field for a step that names it (SORTBY, GROUPBY, REDUCE read schema fields
    /// on demand); None when it is neither loaded, made by a step, nor in the schema.
    fn need(&mut self, idx: &Index, name: &str) -> Option<()> {
        if self.keys.iter().any(|k| k == name) {
            return Some(());
        }
        let f = idx.field(name)?;
        let numeric = matches!(f.kind, Kind::Numeric);
        self.loads.push((name.to_string(), f.identifier.clone(), numeric));
        self.keys.push(name.to_string());
        Some(())
    }

    /// Fields an expression reads must be loaded, made by a step, or SORTABLE.
    fn need_in_expr(&mut self, idx: &Index, e: &Expr) -> Result<(), CmdError> {
        let mut names = Vec::new();
        fields_of(e, &mut names);
        for n in names {
            if self.keys.contains(&n) {
                continue;
            }
            if !idx.field(&n).is_some_and(|f| f.sortable) {
                return Err(err(format!("Property `{n}` not loaded nor in pipeline")));
            }
            self.need(idx, &n);
        }
        Ok(())
    }
}

fn fields_of(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Field(f) => out.push(f.clone()),
        Expr::Not(a) | Expr::Neg(a) => fields_of(a, out),
        Expr::Binary(_, a, b) => {
            fields_of(a, out);
            fields_of(b, out);
        }
        Expr::Call(_, args) => args.iter().for_each(|a| fields_of(a, out)),
        _ => {}
    }
}

fn reducer_func(name: &str) -> Option<Func> {
    Some(match name.to_ascii_uppercase().as_str() {
        "COUNT" => Func::Count,
        "COUNT_DISTINCT" => Func::CountDistinct,
        "COUNT_DISTINCTISH" => Func::CountDistinctish,
        "SUM" => Func::Sum,
        "MIN" => Func::Min,
        "MAX" => Func::Max,
        "AVG" => Func::Avg,
        "STDDEV" => Func::StdDev,
        "QUANTILE" => Func::Quantile,
        "TOLIST" => Func::ToList,
        "FIRST_VALUE" => Func::FirstValue,
        "RANDOM_SAMPLE" => Func::RandomSample,
        _ => return None,
    })
}

/// What FT.AGGREGATE's options other than the steps say.
struct Options {
    params: HashMap<String, Bytes>,
    dialect: i64,
    matching: Matching,
    addscores: bool,
    scorer: Option<Bytes>,
    /// WITHCURSOR: rows per read and idle time (ms).
    cursor: Option<(usize, u64)>,
}

/// PARAMS and DIALECT from the arguments after the query, read ahead of the rest.
fn prescan(rest: &[Bytes], default: i64) -> (HashMap<String, Bytes>, i64) {
    let (mut params, mut dialect) = (HashMap::new(), default);
    let mut i = 0;
    while let Some(w) = rest.get(i) {
        if w.eq_ignore_ascii_case(b"DIALECT") {
            dialect = rest.get(i + 1).and_then(|d| parse_i64(d)).unwrap_or(default);
        } else if w.eq_ignore_ascii_case(b"PARAMS") {
            let n = rest.get(i + 1).and_then(|d| parse_i64(d)).unwrap_or(0).clamp(0, 1 << 16) as usize;
            for pair in rest.get(i + 2..).unwrap_or_default().chunks(2).take(n / 2) {
                if let [k, v] = pair {
                    params.insert(text(k), v.clone());
                }
            }
            i += n;
        }
        i += 1;
    }
    (params, dialect)
}

/// Parse the arguments after the query.
fn parse(
    idx: &Index,
    args: &mut Args,
    seeds: Vec<String>,
    dialect: i64,
) -> Result<(Plan, Options), CmdError> {
    let seeded = seeds.len();
    let mut plan = Plan { keys: seeds, ..Plan::default() };
    let mut o = Options {
        params: HashMap::new(),
        dialect,
        matching: Matching::default(),
        cursor: None,
        addscores: false,
        scorer: None,
    };
    let bad = |what: &str| err(format!("Bad arguments for {what}: Expected an argument, but none provided"));
    while let Some(word) = args.next_opt() {
        match text(&word).to_ascii_uppercase().as_str() {
            "VERBATIM" => o.matching.verbatim = true,
            "NOSTOPWORDS" => o.matching.keep_stopwords = true,
            "ADDSCORES" => {
                o.addscores = true;
                if !plan.keys.iter().any(|k| k == "__score") {
                    let at = plan.keys.len().min(seeded);
                    plan.keys.insert(at, "__score".into());
                }
            }
            "SCORER" => o.scorer = Some(args.next_opt().ok_or_else(|| bad("SCORER"))?),
            "TIMEOUT" => {
                args.next_opt().ok_or_else(|| bad(&text(&word)))?;
            }
            "LANGUAGE" => {
                let name = args.next_opt().ok_or_else(|| bad(&text(&word)))?;
                o.matching.lang =
                    Some(super::text::Lang::parse(&name).ok_or_else(|| err("No such language"))?);
            }
            "DIALECT" => {
                let raw = args.next_opt().ok_or_else(|| err("Need an argument for DIALECT"))?;
                o.dialect = parse_i64(&raw)
                    .filter(|d| (1..=4).contains(d))
                    .ok_or_else(|| err("DIALECT requires a non negative integer >=1 and <= 4"))?;
            }
            "PARAMS" => {
                let n = count(args)?;
                for _ in 0..n / 2 {
                    let k = text(&args.next_bytes()?);
                    let v = args.next_bytes()?;
                    o.params.insert(k, v);
                }
            }
            "WITHCURSOR" => {
                let mut c = (1000, 300_000);
                loop {
                    let bounded = |args: &mut Args, what: &str| {
                        count(args).ok().filter(|n| *n > 0).ok_or_else(|| {
                            err(format!("Bad arguments for {what}: Value is outside acceptable bounds"))
                        })
                    };
                    if args.eat("COUNT") {
                        c.0 = bounded(args, "COUNT")?;
                    } else if args.eat("MAXIDLE") {
                        c.1 = bounded(args, "MAXIDLE")? as u64;
                    } else {
                        break;
                    }
                }
                o.cursor = Some(c);
            }
            "LOAD" => {
                let n = count(args)?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(text(&args.next_bytes()?));
                }
                let mut i = 0;
                while let Some(f) = items.get(i) {
                    let src = strip(f).to_string();
                    let mut name = src.clone();
                    if items.get(i + 1).is_some_and(|a| a.eq_ignore_ascii_case("AS")) {
                        name = items.get(i + 2).cloned().unwrap_or_default();
                        i += 2;
                    }
                    i += 1;
                    let field = idx.field(&src);
                    let identifier = field.map_or_else(|| Bytes::from(src.clone()), |f| f.identifier.clone());
                    let numeric = field.is_some_and(|f| matches!(f.kind, Kind::Numeric));
                    if !plan.keys.contains(&name) {
                        plan.keys.push(name.clone());
                    }
                    plan.loads.push((name, identifier, numeric));
                }
            }
            "GROUPBY" => {
                let n = count(args)?;
                let mut fields = Vec::new();
                for _ in 0..n {
                    let f = strip(&text(&args.next_bytes()?)).to_string();
                    plan.need(idx, &f).ok_or_else(|| err(format!("No such property `{f}`")))?;
                    fields.push(f);
                }
                let mut reducers = Vec::new();
                while args.eat("REDUCE") {
                    let fname = text(&args.next_bytes()?);
                    let func =
                        reducer_func(&fname).ok_or_else(|| err(format!("No such reducer: {fname}")))?;
                    let nargs = count(args)?;
                    if func == Func::Count && nargs != 0 {
                        return Err(err("Count accepts 0 values only"));
                    }
                    let mut rargs = Vec::new();
                    for _ in 0..nargs {
                        rargs.push(text(&args.next_bytes()?));
                    }
                    for a in rargs.iter().filter(|a| a.starts_with('@')) {
                        let f = strip(a);
                        plan.need(idx, f).ok_or_else(|| {
                            err(format!("Property `{f}` not present in document or pipeline"))
                        })?;
                    }
                    let name = if args.eat("AS") {
                        text(&args.next_bytes()?)
                    } else {
                        let parts: Vec<&str> = rargs.iter().map(|a| strip(a)).collect();
                        format!(
                            "__generated_alias{}{}",
                            fname.to_ascii_lowercase(),
                            parts.join(",").to_ascii_lowercase()
                        )
                    };
                    reducers.push(Reducer { func, args: rargs, name });
                }
                plan.keys = fields.iter().cloned().chain(reducers.iter().map(|r| r.name.clone())).collect();
                plan.steps.push(Step::Group(fields, reducers));
            }
            "APPLY" => {
                let e = filter::parse(&text(&args.next_bytes()?)).map_err(err)?;
                plan.need_in_expr(idx, &e)?;
                if !args.eat("AS") {
                    return Err(err("AS is required for APPLY"));
                }
                let name = text(&args.next_bytes()?);
                if !plan.keys.contains(&name) {
                    plan.keys.push(name.clone());
                }
                plan.refs.retain(|r| *r != name);
                if matches!(e, Expr::Field(_)) {
                    plan.refs.push(name.clone());
                }
                plan.steps.push(Step::Apply(e, name));
            }
            "FILTER" => {
                let e = filter::parse(&text(&args.next_bytes()?)).map_err(err)?;
                plan.need_in_expr(idx, &e)?;
                plan.steps.push(Step::Filter(e));
            }
            "SORTBY" => {
                let n = count(args)?;
                let mut keys: Vec<(String, bool)> = Vec::new();
                for _ in 0..n {
                    let w = text(&args.next_bytes()?);
                    match w.to_ascii_uppercase().as_str() {
                        "ASC" | "DESC" => {
                            if let Some(last) = keys.last_mut() {
                                last.1 = w.eq_ignore_ascii_case("DESC");
                            }
                        }
                        _ => {
                            let f = strip(&w).to_string();
                            plan.need(idx, &f)
                                .ok_or_else(|| err(format!("Property `{f}` not loaded nor in schema")))?;
                            keys.push((f, false));
                        }
                    }
                }
                let max = if args.eat("MAX") { Some(count(args)?) } else { None };
                plan.steps.push(Step::Sort(keys, max));
            }
            "LIMIT" => {
                let off = count(args)?;
                let num = count(args)?;
                plan.steps.push(Step::Limit(off, num));
            }
            "SUMMARIZE" | "HIGHLIGHT" => {
                return Err(err(format!(
                    "{} is not supported on FT.AGGREGATE",
                    text(&word).to_ascii_uppercase()
                )));
            }
            _ => {
                // Counted from the query (argv[2]), as RediSearch's argument parser does.
                let at = (args.all().len() - args.remaining()).saturating_sub(3);
                return Err(err(format!("Unknown argument `{}` at position {at} for <main>", text(&word))));
            }
        }
    }
    Ok((plan, o))
}

/// Compare two values as RediSearch's sorter does: numbers numerically, strings by bytes; a
/// missing value first. A number sorts before a string, which keeps the order total (a sort
/// must never see a cycle).
fn compare(a: Option<&Cell>, b: Option<&Cell>) -> std::cmp::Ordering {
    let key = |c: Option<&Cell>| match c {
        Some(Cell::One(Val::Num(n))) => (1, *n, String::new()),
        Some(Cell::One(Val::Str(s))) => (2, 0.0, s.clone()),
        Some(Cell::Many(_)) => (3, 0.0, String::new()),
        _ => (0, 0.0, String::new()),
    };
    let (x, y) = (key(a), key(b));
    x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)).then_with(|| x.2.cmp(&y.2))
}

fn reduce(r: &Reducer, rows: &[&HashMap<String, Cell>]) -> Cell {
    let key = r.args.first().map(|a| strip(a).to_string()).unwrap_or_default();
    let vals: Vec<Val> = rows
        .iter()
        .flat_map(|row| match row.get(&key) {
            Some(Cell::One(v)) if *v != Val::Null => vec![v.clone()],
            Some(Cell::Many(vs)) => vs.clone(),
            _ => Vec::new(),
        })
        .collect();
    let nums: Vec<f64> = vals.iter().filter_map(Val::number).collect();
    // From +0 (std's float `sum` starts at -0, which would print "-0").
    let total = nums.iter().fold(0.0, |a, x| a + x);
    let n = |x: f64| Cell::One(Val::Num(x));
    let distinct = || {
        let mut seen: Vec<String> = Vec::new();
        for v in &vals {
            let t = v.text().unwrap_or_default();
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        seen
    };
    match r.func {
        Func::Count => n(rows.len() as f64),
        Func::CountDistinct => n(distinct().len() as f64),
        Func::CountDistinctish => n(distinctish(&vals)),
        Func::Sum => n(total),
        Func::Avg => n(if rows.is_empty() { 0.0 } else { total / rows.len() as f64 }),
        Func::Min | Func::Max => {
            let m = if r.func == Func::Min {
                nums.iter().copied().fold(f64::INFINITY, f64::min)
            } else {
                nums.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            };
            n(if m.is_infinite() { 0.0 } else { m })
        }
        Func::StdDev => {
            // Welford's running variance, as RediSearch's deviation reducer.
            let (mut k, mut m, mut s) = (0.0f64, 0.0f64, 0.0f64);
            for &x in &nums {
                k += 1.0;
                if k == 1.0 {
                    m = x;
                    s = 0.0;
                } else {
                    let nm = m + (x - m) / k;
                    s += (x - m) * (x - nm);
                    m = nm;
                }
            }
            n(if k > 1.0 { s / (k - 1.0) } else { 0.0 }.sqrt())
        }
        Func::Quantile => {
            let q = r.args.get(1).and_then(|a| crate::decimal::parse_f64(a)).unwrap_or(0.5);
            let mut sorted = nums.clone();
            sorted.sort_by(f64::total_cmp);
            let at = ((q * (sorted.len() as f64 - 1.0)).floor().max(0.0)) as usize;
            n(sorted.get(at).copied().unwrap_or(0.0))
        }
        Func::ToList => Cell::Many(to_list(&vals)),
        Func::FirstValue => {
            let by = r.args.get(2).map(|a| strip(a).to_string());
            let desc = r.args.get(3).is_some_and(|a| a.eq_ignore_ascii_case("DESC"));
            let mut best: Option<&HashMap<String, Cell>> = None;
            for row in rows {
                let better = match (&by, best) {
                    (_, None) => true,
                    (None, _) => false,
                    (Some(b), Some(cur)) => {
                        let o = compare(row.get(b), cur.get(b));
                        if desc {
                            o.is_gt()
                        } else {
                            o.is_lt()
                        }
                    }
                };
                if better {
                    best = Some(row);
                }
            }
            best.and_then(|row| row.get(&key).cloned()).unwrap_or(Cell::One(Val::Null))
        }
        Func::RandomSample => {
            let size = r.args.get(1).and_then(|a| parse_i64(a.as_bytes())).unwrap_or(0).max(0) as usize;
            Cell::Many(vals.into_iter().take(size).collect())
        }
    }
}

/// COUNT_DISTINCTISH: RediSearch's own HyperLogLog (`src/hll`, 256 one-byte registers), fed
/// each value's FNV-1a hash folded to 32 bits, and its estimate truncated to an integer.
fn distinctish(vals: &[Val]) -> f64 {
    const BITS: u32 = 8;
    let mut registers = [0u8; 1 << BITS];
    for v in vals {
        let h = value_hash(v, 0x5f61_767a);
        let h32 = (h as u32) ^ ((h >> 32) as u32);
        let index = (h32 >> (32 - BITS)) as usize;
        let rank = (h32.trailing_zeros() + 1).min(32 - BITS + 1) as u8;
        registers[index] = registers[index].max(rank);
    }
    let size = registers.len() as f64;
    let alpha_mm = 0.7213 / (1.0 + 1.079 / size) * size * size;
    let sum: f64 = registers.iter().map(|&r| 1.0 / f64::from(1u32 << r)).sum();
    let mut estimate = alpha_mm / sum;
    let zeros = registers.iter().filter(|&&r| r == 0).count();
    if estimate <= 2.5 * size && zeros > 0 {
        estimate = size * (size / zeros as f64).ln();
    }
    (estimate as u64) as f64
}

/// TOLIST's distinct values in the order RediSearch's dict lists them (`dict_order.rs`).
fn to_list(vals: &[Val]) -> Vec<Val> {
    let mut dict = super::dict_order::Dict::default();
    let texts: Vec<String> = vals.iter().map(|v| v.text().unwrap_or_default()).collect();
    for (i, v) in vals.iter().enumerate() {
        dict.add(value_hash(v, 0), i, |other| texts[other] == texts[i]);
    }
    dict.in_order().map(|i| Val::Str(texts[i].clone())).collect()
}

/// A group: its values (as text, None when missing) and the rows in it.
type Group = (Vec<Option<String>>, Vec<usize>);

/// RediSearch's `RSValue_Hash` from `h`: FNV-1a over a string's bytes or a number's, plus one
/// for null, each element of a list in turn. The grouper, TOLIST and COUNT_DISTINCTISH file
/// values by it.
fn value_hash(v: &Val, h: u64) -> u64 {
    use super::khash::fnv_64a;
    match v {
        Val::Num(x) => fnv_64a(&x.to_le_bytes(), h),
        Val::Str(s) => fnv_64a(s.as_bytes(), h),
        Val::Null => h.wrapping_add(1),
        Val::Arr(items) => items.iter().fold(h, |h, item| value_hash(item, h)),
        Val::Err(_) => h,
    }
}

/// The hash RediSearch's grouper files a row's group under: its values' hashes in turn from 0,
/// a missing value counting as null.
fn group_hash(fields: &[String], row: &HashMap<String, Cell>) -> u64 {
    fields.iter().fold(0, |h, f| match row.get(f) {
        Some(Cell::One(v)) => value_hash(v, h),
        _ => value_hash(&Val::Null, h),
    })
}

/// Run the plan: the result rows in order, each with the position of the document it came
/// from (1-based; 0 after a GROUPBY), and the total a blocking step (GROUPBY, SORTBY) leaves
/// (None for a streaming pipeline, whose total is counted per reply: see [`Cursor::chunk`]).
fn run(
    idx: &Index,
    plan: &Plan,
    ids: &[u64],
    extra: &HashMap<u64, Vec<(String, Val)>>,
    db: &crate::db::Db,
    trace: &mut Vec<usize>,
) -> Result<(Vec<Row>, Option<usize>), CmdError> {
    trace.clear();
    let mut rows: Vec<Row> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(doc) = idx.docs.get(id) else { continue };
        let value = db.raw_get(&doc.key).map(|e| &e.value);
        let mut row: HashMap<String, Cell> =
            extra.get(id).into_iter().flatten().map(|(n, v)| (n.clone(), Cell::One(v.clone()))).collect();
        for (name, identifier, numeric) in &plan.loads {
            if let Some(v) = super::index::field_of(value, identifier) {
                let s = String::from_utf8_lossy(&v).into_owned();
                let val = match crate::decimal::parse_f64(&s) {
                    Some(x) if *numeric => Val::Num(x),
                    _ => Val::Str(s),
                };
                row.insert(name.clone(), Cell::One(val));
            }
        }
        rows.push(((i + 1, *id), row));
    }
    let mut total = None;
    let mut sorted = false;
    for step in &plan.steps {
        match step {
            Step::Group(fields, reducers) => {
                let mut groups: Vec<Group> = Vec::new();
                let mut table = super::khash::KHash::default();
                // A group is its values' hash, as RediSearch files it.
                for (i, (_, row)) in rows.iter().enumerate() {
                    let hash = group_hash(fields, row);
                    match table.get(hash) {
                        Some(g) => groups[g].1.push(i),
                        None => {
                            let key = fields
                                .iter()
                                .map(|f| match row.get(f) {
                                    Some(Cell::One(v)) => v.text(),
                                    _ => None,
                                })
                                .collect();
                            table.insert(hash, groups.len());
                            groups.push((key, vec![i]));
                        }
                    }
                }
                // RediSearch yields its groups in its hash table's order.
                let mut slots: Vec<Option<Group>> = groups.into_iter().map(Some).collect();
                let groups: Vec<_> = table.in_order().filter_map(|g| slots[g].take()).collect();
                let mut out = Vec::new();
                for (key, members) in &groups {
                    let member_rows: Vec<&HashMap<String, Cell>> =
                        members.iter().map(|&i| &rows[i].1).collect();
                    let mut row = HashMap::new();
                    for (f, v) in fields.iter().zip(key) {
                        let first = member_rows.first().and_then(|r| r.get(f)).cloned();
                        let cell = match v {
                            Some(_) => first.unwrap_or(Cell::One(Val::Null)),
                            None => Cell::One(Val::Null),
                        };
                        row.insert(f.clone(), cell);
                    }
                    for r in reducers {
                        row.insert(r.name.clone(), reduce(r, &member_rows));
                    }
                    out.push(((0, 0), row));
                }
                total = Some(out.len());
                rows = out;
            }
            Step::Apply(e, name) => {
                for (_, row) in rows.iter_mut() {
                    let v = filter::eval_with(e, &|f: &str| match row.get(f) {
                        Some(Cell::One(v)) => v.clone(),
                        Some(Cell::Many(vs)) => Val::Arr(vs.clone()),
                        _ => Val::Null,
                    });
                    let cell = match v {
                        Val::Err(msg) => return Err(err(msg)),
                        Val::Arr(items) => Cell::Many(items),
                        v => Cell::One(v),
                    };
                    row.insert(name.clone(), cell);
                }
            }
            Step::Filter(e) => rows.retain(|(_, row)| {
                let v = filter::eval_with(e, &|f: &str| match row.get(f) {
                    Some(Cell::One(v)) => v.clone(),
                    _ => Val::Null,
                });
                v.truthy() == Some(true)
            }),
            Step::Sort(keys, max) => {
                sorted = true;
                crate::order::sort_by(&mut rows, |a, b| {
                    for (k, desc) in keys.iter().filter(|k| !plan.refs.contains(&k.0)) {
                        let o = compare(a.1.get(k), b.1.get(k));
                        let o = if *desc { o.reverse() } else { o };
                        if o.is_ne() {
                            return o;
                        }
                    }
                    // Ties by doc id, in the first key's direction.
                    let o = a.0 .1.cmp(&b.0 .1);
                    if keys.first().is_some_and(|k| k.1) {
                        o.reverse()
                    } else {
                        o
                    }
                });
                if let Some(m) = max {
                    rows.truncate(*m);
                }
            }
            Step::Limit(off, num) => {
                rows = rows.into_iter().skip(*off).take(*num).collect();
            }
        }
        trace.push(rows.len());
    }
    Ok((rows, total.or(sorted.then_some(ids.len()))))
}

fn cell_frame(c: &Cell) -> Frame {
    let one = |v: &Val| match v {
        Val::Num(n) => Frame::bulk(num_text(*n)),
        Val::Str(s) => Frame::bulk(s.clone()),
        Val::Arr(items) => {
            Frame::Array(items.iter().map(|i| Frame::bulk(i.text().unwrap_or_default())).collect())
        }
        Val::Null | Val::Err(_) => Frame::Null,
    };
    match c {
        Cell::One(v) => one(v),
        Cell::Many(vs) => Frame::Array(vs.iter().map(one).collect()),
    }
}

/// The reply for `rows` (a cursor's chunk too): RESP2 `[total, [k, v, ...]...]`, RESP3 a map.
fn reply(rows: &[&HashMap<String, Cell>], keys: &[String], total: usize, resp3: bool) -> Frame {
    let fields = |row: &HashMap<String, Cell>| -> Vec<(Frame, Frame)> {
        keys.iter().filter_map(|k| row.get(k).map(|c| (Frame::bulk(k.clone()), cell_frame(c)))).collect()
    };
    if resp3 {
        let s = |t: &str| Frame::Simple(t.to_string());
        let results = rows
            .iter()
            .map(|r| {
                Frame::Map(vec![
                    (s("extra_attributes"), Frame::Map(fields(r))),
                    (s("values"), Frame::Array(vec![])),
                ])
            })
            .collect();
        return Frame::Map(vec![
            (s("attributes"), Frame::Array(vec![])),
            (s("total_results"), Frame::Integer(total as i64)),
            (s("format"), s("STRING")),
            (s("results"), Frame::Array(results)),
            (s("warning"), Frame::Array(vec![])),
        ]);
    }
    let mut out = vec![Frame::Integer(total as i64)];
    for r in rows {
        out.push(Frame::Array(fields(r).into_iter().flat_map(|(k, v)| [k, v]).collect()));
    }
    Frame::Array(out)
}

/// A pipeline's rows not yet replied (all of them, or a WITHCURSOR read's rest).
#[derive(Debug, Clone)]
pub struct Cursor {
    index: Bytes,
    rows: std::collections::VecDeque<Row>,
    keys: Vec<String>,
    /// A blocking pipeline's total, replied with its first chunk (later ones say 0).
    blocked: Option<usize>,
    blocking: bool,
    /// Documents the query matched, and the position of the last one replied.
    docs: usize,
    read: usize,
    count: usize,
    idle_ms: u64,
    last_ms: u64,
}

impl Cursor {
    /// The next `count` rows as a reply, and whether the pipeline ran dry (fewer rows than
    /// asked: RediSearch only learns of the end by reading past it). Each reply's total is
    /// RediSearch's counter for that read: a blocking step's total the first time, else the
    /// documents read until the reply's first row (to the end when it has none).
    fn chunk(&mut self, count: usize, resp3: bool) -> (Frame, bool) {
        let take = count.min(self.rows.len());
        let rows: Vec<Row> = self.rows.drain(..take).collect();
        let total = if self.blocking {
            self.blocked.take().unwrap_or(0)
        } else {
            let total = rows.first().map_or(self.docs, |r| r.0 .0).saturating_sub(self.read);
            self.read = if take < count { self.docs } else { rows.last().map_or(self.read, |r| r.0 .0) };
            total
        };
        let maps: Vec<&HashMap<String, Cell>> = rows.iter().map(|r| &r.1).collect();
        (reply(&maps, &self.keys, total, resp3), take < count)
    }
}

/// `FT.AGGREGATE index query [steps and options]`.
pub fn ft_aggregate(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let query_text = args.next_opt().ok_or_else(|| err("No query string provided"))?;
    let Some(idx) = ctx.server.search.by_name.get(&name) else {
        return Err(err(format!("{}: no such index", text(&name))));
    };
    // The query's own names (KNN and range distances) lead the row: read PARAMS and DIALECT
    // ahead to parse it, but report its errors after the arguments'.
    let default = super::extras::default_dialect(&ctx.server.search);
    let (params, dialect) = prescan(args.all().get(3..).unwrap_or_default(), default);
    let parsed = super::query::parse(&query_text, &params, dialect);
    let seeds = parsed.as_ref().map(|q| q.yielded_names()).unwrap_or_default();
    let (plan, o) = parse(idx, args, seeds, default)?;
    let mut q = super::query::parse(&query_text, &o.params, o.dialect).map_err(err)?;
    let hybrid = q.filter != super::query::Node::All;
    if let Some(knn) = q.knn.as_mut() {
        let hnsw = idx.vector_spec(&knn.field).is_some_and(|v| v.algo == super::index::Algo::Hnsw);
        knn.check_attrs(hnsw, hybrid).map_err(err)?;
    }
    let scorer = match &o.scorer {
        None => super::score::Scorer::default(),
        Some(n) => {
            super::score::Scorer::parse(n).ok_or_else(|| err(format!("No such scorer {}", text(n))))?
        }
    };
    let mut yields = HashMap::new();
    let matched = evaluate(idx, &q.filter, o.matching, &mut yields)?;
    // KNN rows come nearest first; others in index order.
    let mut extra: HashMap<u64, Vec<(String, Val)>> = HashMap::new();
    for (id, (n, d)) in yields {
        extra.entry(id).or_default().push((n, Val::Num(d)));
    }
    let ids: Vec<u64> = match &q.knn {
        Some(knn) => {
            let among = hybrid.then_some(&matched);
            let found = idx.knn(&knn.field, &knn.blob, knn.k, knn.ef_runtime, among, None).map_err(|size| {
                err(format!("Error parsing vector similarity query: query vector blob size ({}) does not match index's expected size ({size}).", knn.blob.len()))
            })?;
            let name = knn.score_as.clone().unwrap_or_else(|| format!("__{}_score", knn.field));
            found
                .into_iter()
                .map(|(d, id)| {
                    extra.entry(id).or_default().insert(0, (name.clone(), Val::Num(d)));
                    id
                })
                .collect()
        }
        None => matched.into_iter().collect(),
    };
    if o.addscores {
        let scoring = super::score::Scoring::new(idx, scorer, o.matching);
        for id in &ids {
            if let Some(doc) = idx.docs.get(id) {
                extra
                    .entry(*id)
                    .or_default()
                    .push(("__score".into(), Val::Num(scoring.score(&q.filter, doc, q.knn.is_some()))));
            }
        }
    }
    let mut trace = Vec::new();
    let (rows, blocked) = run(idx, &plan, &ids, &extra, &ctx.server.dbs[0], &mut trace)?;
    ctx.server.search.steps = trace;
    let resp3 = ctx.client.protocol == crate::Protocol::Resp3;
    let (count, idle_ms) = o.cursor.unwrap_or((usize::MAX, 0));
    let mut cursor = Cursor {
        index: name,
        rows: rows.into(),
        keys: plan.keys,
        blocking: blocked.is_some(),
        blocked,
        docs: ids.len(),
        read: 0,
        count,
        idle_ms,
        last_ms: ctx.now,
    };
    let (body, done) = cursor.chunk(count, resp3);
    if o.cursor.is_none() {
        return Ok(body);
    }
    let id = if done { 0 } else { keep(ctx, cursor, None) };
    Ok(Frame::Array(vec![body, Frame::Integer(id as i64)]))
}

/// Keep `cursor` under `id` (a new random one when None) and return the id.
fn keep(ctx: &mut Ctx, mut cursor: Cursor, id: Option<u64>) -> u64 {
    use rand_core::RngCore;
    let id = id.unwrap_or_else(|| (ctx.server.rng.next_u64() >> 33) | 1);
    cursor.last_ms = ctx.now;
    ctx.server.search.cursors.insert(id, cursor);
    id
}

/// `FT.CURSOR READ index id [COUNT n]` / `FT.CURSOR DEL index id`. A cursor left idle longer
/// than its MAXIDLE (on the engine's clock) is gone.
pub fn ft_cursor(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 3 {
        return Err(CmdError::wrong_arity("FT.CURSOR"));
    }
    let sub = text(&args.next_bytes()?).to_ascii_uppercase();
    let name = args.next_bytes()?;
    let id = args
        .next_opt()
        .and_then(|b| parse_i64(&b))
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| err("Bad cursor ID"))?;
    let now = ctx.now;
    ctx.server.search.cursors.retain(|_, c| now.saturating_sub(c.last_ms) <= c.idle_ms);
    let found = ctx.server.search.cursors.get(&id).is_some_and(|c| c.index == name);
    match sub.as_str() {
        "READ" => {
            let count = if args.eat("COUNT") { Some(count(args)?) } else { None };
            let Some(mut cursor) = ctx.server.search.cursors.remove(&id).filter(|_| found) else {
                return Err(err("Cursor not found"));
            };
            // A COUNT given to READ stays the cursor's read size.
            cursor.count = count.unwrap_or(cursor.count).max(1);
            let n = cursor.count;
            let resp3 = ctx.client.protocol == crate::Protocol::Resp3;
            let (body, done) = cursor.chunk(n, resp3);
            let id = if done { 0 } else { keep(ctx, cursor, Some(id)) };
            Ok(Frame::Array(vec![body, Frame::Integer(id as i64)]))
        }
        "DEL" => {
            if !found {
                return Err(err("Cursor does not exist"));
            }
            ctx.server.search.cursors.remove(&id);
            Ok(Frame::ok())
        }
        _ => Err(err("Unknown subcommand")),
    }
}
