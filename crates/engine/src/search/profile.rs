//! FT.PROFILE SEARCH|AGGREGATE [LIMITED] QUERY ...: the command's own reply, then its profile
//! in RediSearch 2.10's shape (profile.c): times (the engine's own: its virtual clock does not
//! move while a command runs, so 0), the iterator tree of the query (TEXT terms as the index
//! holds them, UNIONs of a word's expansions, TAG, NUMERIC, INTERSECT, NOT, WILDCARD, EMPTY)
//! with how many documents each yields, and the result processors' chain.

use super::commands::{err, evaluate, text, Matching};
use super::index::Index;
use super::query::{self, Node};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;
use std::collections::BTreeSet;

/// One iterator of the tree.
struct It {
    ty: &'static str,
    /// A union's kind (UNION, TAG).
    query_type: Option<&'static str>,
    term: Option<String>,
    counter: usize,
    size: Option<usize>,
    children: Vec<It>,
}

impl It {
    fn leaf(ty: &'static str, term: String, n: usize) -> It {
        It { ty, query_type: None, term: Some(term), counter: n, size: Some(n), children: Vec::new() }
    }

    fn frame(&self, resp3: bool, limited: bool) -> Frame {
        let s = |t: &str| Frame::Simple(t.to_string());
        let mut pairs = vec![(s("Type"), s(self.ty))];
        if let Some(q) = self.query_type {
            pairs.push((s("Query type"), s(q)));
        }
        if let Some(t) = &self.term {
            pairs.push((s("Term"), s(t)));
        }
        pairs.push((s("Time"), Frame::Double(0.0)));
        pairs.push((s("Counter"), Frame::Integer(self.counter as i64)));
        if let Some(n) = self.size {
            pairs.push((s("Size"), Frame::Integer(n as i64)));
        }
        let kids: Vec<Frame> = if limited && self.query_type == Some("TAG") {
            vec![s(&format!("The number of iterators in the union is {}", self.children.len()))]
        } else {
            self.children.iter().map(|c| c.frame(resp3, limited)).collect()
        };
        let label = if self.ty == "NOT" { "Child iterator" } else { "Child iterators" };
        if resp3 {
            if !kids.is_empty() {
                // A single child (NOT's) or LIMITED's count stands alone.
                let alone = self.ty == "NOT" || (limited && self.query_type == Some("TAG"));
                let value =
                    if alone { kids.into_iter().next().unwrap_or(Frame::Null) } else { Frame::Array(kids) };
                pairs.push((s(label), value));
            }
            return Frame::Map(pairs);
        }
        let mut flat: Vec<Frame> = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
        if !kids.is_empty() {
            flat.push(s(label));
            flat.extend(kids);
        }
        Frame::Array(flat)
    }
}

/// Documents holding `term` in a field of `mask`.
fn term_docs(idx: &Index, term: &str, mask: u64) -> BTreeSet<u64> {
    idx.docs
        .iter()
        .filter(|(_, d)| d.fwd.terms.get(term).is_some_and(|t| t.mask & mask != 0))
        .map(|(id, _)| *id)
        .collect()
}

fn tree(idx: &Index, node: &Node, how: Matching) -> Result<It, CmdError> {
    let docs = |n: &Node| evaluate(idx, n, how, &mut Default::default());
    Ok(match node {
        Node::All => It {
            ty: "WILDCARD",
            query_type: None,
            term: None,
            counter: idx.docs.len(),
            size: None,
            children: vec![],
        },
        Node::Word { field, word } => {
            let mask = idx.mask_of(field.as_deref());
            let mut terms = vec![word.clone()];
            if !how.verbatim {
                terms.extend(idx.synonym_terms(word));
                terms.extend(idx.phonetic_term(word, field.as_deref(), how.phonetic).map_err(err)?);
            }
            if let Some(s) = how.stem(idx, word) {
                terms.push(format!("+{s}"));
                if s != *word {
                    terms.push(s);
                }
            }
            let mut leaves: Vec<It> = terms
                .into_iter()
                .filter_map(|t| {
                    let n = term_docs(idx, &t, mask).len();
                    (n > 0).then(|| It::leaf("TEXT", t, n))
                })
                .collect();
            match leaves.len() {
                0 => {
                    It { ty: "EMPTY", query_type: None, term: None, counter: 0, size: None, children: vec![] }
                }
                1 => leaves.remove(0),
                _ => It {
                    ty: "UNION",
                    query_type: Some("UNION"),
                    term: None,
                    counter: docs(node)?.len(),
                    size: None,
                    children: leaves,
                },
            }
        }
        Node::Tag { field, values } => {
            let mut leaves: Vec<It> = Vec::new();
            for v in values {
                let n = docs(&Node::Tag { field: field.clone(), values: vec![v.clone()] })?.len();
                if n > 0 {
                    leaves.push(It::leaf("TAG", v.to_ascii_lowercase(), n));
                }
            }
            match leaves.len() {
                0 => {
                    It { ty: "EMPTY", query_type: None, term: None, counter: 0, size: None, children: vec![] }
                }
                1 => leaves.remove(0),
                _ => It {
                    ty: "UNION",
                    query_type: Some("TAG"),
                    term: None,
                    counter: docs(node)?.len(),
                    size: None,
                    children: leaves,
                },
            }
        }
        Node::Numeric { field, .. } => {
            let values: Vec<f64> = idx.docs.values().filter_map(|d| d.numbers.get(field).copied()).collect();
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let n = docs(node)?.len();
            let g = super::commands::format_g;
            It { size: Some(values.len()), ..It::leaf("NUMERIC", format!("{} - {}", g(lo), g(hi)), n) }
        }
        // The shape index answers with the list of its matches (none for another field).
        Node::GeoShape { field, .. } => {
            let n = docs(node)?.len();
            let shape =
                matches!(idx.field(field).map(|f| &f.kind), Some(super::index::Kind::GeoShape { .. }));
            let ty = if shape { "ID-LIST" } else { "EMPTY" };
            It { ty, query_type: None, term: None, counter: n, size: None, children: vec![] }
        }
        Node::Not(inner) => {
            let child = tree(idx, inner, Matching { verbatim: true, ..how })?;
            It {
                ty: "NOT",
                query_type: None,
                term: None,
                counter: docs(node)?.len(),
                size: None,
                children: vec![child],
            }
        }
        Node::Or(parts) => {
            let children = parts.iter().map(|p| tree(idx, p, how)).collect::<Result<_, _>>()?;
            It {
                ty: "UNION",
                query_type: Some("UNION"),
                term: None,
                counter: docs(node)?.len(),
                size: None,
                children,
            }
        }
        // An intersection reads its smallest child first; the others only where it lands.
        Node::And(parts) => {
            let found = docs(node)?.len();
            let mut children: Vec<It> = parts.iter().map(|p| tree(idx, p, how)).collect::<Result<_, _>>()?;
            let estimate = |c: &It| if c.ty == "NOT" { usize::MAX } else { c.size.unwrap_or(c.counter) };
            children.sort_by_key(estimate);
            for c in children.iter_mut().skip(1) {
                c.counter = found;
            }
            It { ty: "INTERSECT", query_type: None, term: None, counter: found, size: None, children }
        }
        Node::Attr { node, phonetic, .. } => tree(idx, node, Matching { phonetic: *phonetic, ..how })?,
        Node::Scoped { node, .. } | Node::Optional(node) => tree(idx, node, how)?,
        other => {
            let n = docs(other)?.len();
            It {
                ty: "UNION",
                query_type: Some("UNION"),
                term: None,
                counter: n,
                size: None,
                children: vec![],
            }
        }
    })
}

/// `FT.PROFILE index SEARCH|AGGREGATE [LIMITED] QUERY query [options]`.
pub fn ft_profile(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 4 {
        return Err(CmdError::wrong_arity("FT.PROFILE"));
    }
    let name = args.next_bytes()?;
    let kind = text(&args.next_bytes()?).to_ascii_uppercase();
    let search = match kind.as_str() {
        "SEARCH" => true,
        "AGGREGATE" => false,
        _ => return Err(err("No `SEARCH` or `AGGREGATE` provided")),
    };
    let limited = args.eat("LIMITED");
    if !args.eat("QUERY") {
        return Err(err("The QUERY keyword is expected"));
    }
    let rest: Vec<Bytes> = args.all()[args.all().len() - args.remaining()..].to_vec();
    let mut inner =
        vec![Bytes::from_static(if search { b"FT.SEARCH" } else { b"FT.AGGREGATE" }), name.clone()];
    inner.extend(rest.iter().cloned());
    let mut inner_args = Args::new(inner, 1);
    let reply = if search {
        super::commands::ft_search(ctx, &mut inner_args)?
    } else {
        super::aggregate::ft_aggregate(ctx, &mut inner_args)?
    };
    let resp3 = ctx.client.protocol == crate::Protocol::Resp3;
    let search_ix = &ctx.server.search;
    let Some(idx) = search_ix.by_name.get(&search_ix.resolve(&name)) else {
        return Err(err("Unknown index name"));
    };
    let upper: Vec<String> = rest.iter().map(|a| text(a).to_ascii_uppercase()).collect();
    let opt = |n: &str| upper.iter().position(|a| a == n);
    let dialect = opt("DIALECT")
        .and_then(|i| rest.get(i + 1))
        .and_then(|d| parse_i64(d))
        .unwrap_or_else(|| super::extras::default_dialect(search_ix));
    let mut params = std::collections::HashMap::new();
    if let Some(i) = opt("PARAMS") {
        let n = rest.get(i + 1).and_then(|n| parse_i64(n)).unwrap_or(0).max(0) as usize;
        for pair in rest.get(i + 2..(i + 2).saturating_add(n)).unwrap_or(&[]).chunks(2) {
            if let [k, v] = pair {
                params.insert(text(k), v.clone());
            }
        }
    }
    let how = Matching { verbatim: opt("VERBATIM").is_some(), ..Matching::default() };
    let q = query::parse(rest.first().map_or(&[][..], |b| &b[..]), &params, dialect).map_err(err)?;
    let iterators = match q.filter {
        Node::Or(ref parts) if parts.is_empty() => {
            It { ty: "EMPTY", query_type: None, term: None, counter: 0, size: None, children: vec![] }
        }
        ref f => tree(idx, f, how)?,
    };
    let matched = iterators.counter;
    let processors = processors(search, (&rest, &upper), matched, &reply, idx, &search_ix.steps);
    // The highlighter finds each row's result again by skipping the root iterator to it.
    let mut iterators = iterators;
    if let Some((_, n)) = processors.iter().find(|p| p.0 == "Highlighter") {
        iterators.counter += n;
    }
    let s = |t: &str| Frame::Simple(t.to_string());
    let rp = |(ty, n): &(String, usize)| {
        let pairs = vec![
            (s("Type"), s(ty)),
            (s("Time"), Frame::Double(0.0)),
            (s("Counter"), Frame::Integer(*n as i64)),
        ];
        if resp3 {
            Frame::Map(pairs)
        } else {
            Frame::Array(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())
        }
    };
    let zero = Frame::Double(0.0);
    if resp3 {
        let profile = Frame::Map(vec![
            (s("Total profile time"), zero.clone()),
            (s("Parsing time"), zero.clone()),
            (s("Pipeline creation time"), zero),
            (s("Warning"), s("None")),
            (s("Iterators profile"), Frame::Array(vec![iterators.frame(true, limited)])),
            (s("Result processors profile"), Frame::Array(processors.iter().map(rp).collect())),
        ]);
        return Ok(match reply {
            Frame::Map(mut pairs) => {
                pairs.push((s("profile"), profile));
                Frame::Map(pairs)
            }
            other => Frame::Array(vec![other, profile]),
        });
    }
    let mut procs = vec![s("Result processors profile")];
    procs.extend(processors.iter().map(rp));
    let profile = Frame::Array(vec![
        Frame::Array(vec![s("Total profile time"), zero.clone()]),
        Frame::Array(vec![s("Parsing time"), zero.clone()]),
        Frame::Array(vec![s("Pipeline creation time"), zero]),
        Frame::Array(vec![s("Warning")]),
        Frame::Array(vec![s("Iterators profile"), iterators.frame(false, limited)]),
        Frame::Array(procs),
    ]);
    Ok(Frame::Array(vec![reply, profile]))
}

/// The result processors, with how many rows each passed on: the index's matches, then
/// (FT.SEARCH) scoring or loading for SORTBY, sorting, loading the page; (FT.AGGREGATE) a
/// processor per step.
fn processors(
    search: bool,
    (rest, upper): (&[Bytes], &[String]),
    matched: usize,
    reply: &Frame,
    idx: &Index,
    steps: &[usize],
) -> Vec<(String, usize)> {
    let has = |n: &str| upper.iter().skip(1).any(|a| a == n);
    let mut out = vec![("Index".to_string(), matched)];
    let returned = match reply {
        Frame::Array(items) if search => {
            let per = if has("NOCONTENT") { 1 } else { 2 } + usize::from(has("WITHSCORES"));
            items.len().saturating_sub(1) / per
        }
        Frame::Array(items) => items.len().saturating_sub(1),
        Frame::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.as_bytes() == Some(b"results"))
            .map_or(matched, |(_, v)| if let Frame::Array(rows) = v { rows.len() } else { matched }),
        _ => matched,
    };
    if search {
        let limit_zero = upper.windows(3).any(|w| w[0] == "LIMIT" && w[2] == "0");
        if limit_zero {
            out.push(("Counter".into(), 1));
            return out;
        }
        if has("SORTBY") {
            out.push(("Loader".into(), matched));
        } else {
            out.push(("Scorer".into(), matched));
        }
        out.push(("Sorter".into(), returned));
        if !has("NOCONTENT") && !has("SORTBY") {
            out.push(("Loader".into(), returned));
        }
        if !has("NOCONTENT") && (has("HIGHLIGHT") || has("SUMMARIZE")) {
            out.push(("Highlighter".into(), returned));
        }
        return out;
    }
    aggregate_processors(idx, rest, upper, steps, out)
}

/// FT.AGGREGATE's processors after the index's, step by step as RediSearch builds them: a
/// Loader where GROUPBY or SORTBY read fields that are neither SORTABLE nor loaded yet, a
/// Grouper, a Sorter (taking a LIMIT right after it), a Pager/Limiter for a LIMIT alone, a
/// Projector per APPLY and a Filter per FILTER, named after the expression's top node; each
/// counts the rows it passed on (`steps`: the rows after each step of the run).
fn aggregate_processors(
    idx: &Index,
    rest: &[Bytes],
    upper: &[String],
    steps: &[usize],
    mut out: Vec<(String, usize)>,
) -> Vec<(String, usize)> {
    let mut rows = out[0].1;
    let mut have: Vec<String> =
        idx.fields.iter().filter(|f| f.sortable).map(|f| f.attribute.clone()).collect();
    let (mut grouped, mut k, mut i) = (false, 0, 1);
    let arg = |i: usize| rest.get(i).map(|a| text(a)).unwrap_or_default();
    let num = |i: usize| rest.get(i).and_then(|n| parse_i64(n)).unwrap_or(0).max(0) as usize;
    let field = |a: String| a.strip_prefix('@').map(str::to_string);
    // The rows after the next step of the run.
    let next = |k: &mut usize, rows: usize| {
        *k += 1;
        steps.get(*k - 1).copied().unwrap_or(rows)
    };
    while i < rest.len() {
        match upper[i].as_str() {
            "LOAD" if arg(i + 1) == "*" => {
                out.push(("Loader".into(), rows));
                grouped = true;
                i += 2;
            }
            "LOAD" => {
                let n = num(i + 1);
                have.extend((i + 2..i + 2 + n).map(|j| arg(j).trim_start_matches('@').to_string()));
                out.push(("Loader".into(), rows));
                i += 2 + n;
            }
            "GROUPBY" | "SORTBY" => {
                let group = upper[i] == "GROUPBY";
                let n = num(i + 1);
                let mut need: Vec<String> = (i + 2..i + 2 + n).filter_map(|j| field(arg(j))).collect();
                i += 2 + n;
                while group && upper.get(i).is_some_and(|a| a == "REDUCE") {
                    let n = num(i + 2);
                    need.extend((i + 3..i + 3 + n).filter_map(|j| field(arg(j))));
                    i += 3 + n;
                    if upper.get(i).is_some_and(|a| a == "AS") {
                        i += 2;
                    }
                }
                if !grouped && need.iter().any(|f| !have.contains(f)) {
                    out.push(("Loader".into(), rows));
                    have.extend(need);
                }
                rows = next(&mut k, rows);
                if group {
                    out.push(("Grouper".into(), rows));
                    grouped = true;
                    continue;
                }
                if upper.get(i).is_some_and(|a| a == "MAX") {
                    i += 2;
                }
                // A LIMIT right after SORTBY is the same arranging step.
                if upper.get(i).is_some_and(|a| a == "LIMIT") {
                    rows = next(&mut k, rows);
                    i += 3;
                }
                out.push(("Sorter".into(), rows));
            }
            "LIMIT" => {
                rows = next(&mut k, rows);
                out.push(("Pager/Limiter".into(), rows));
                i += 3;
            }
            "APPLY" | "FILTER" => {
                let kind = if upper[i] == "APPLY" { "Projector" } else { "Filter" };
                rows = next(&mut k, rows);
                out.push((format!("{kind} - {}", label(&arg(i + 1))), rows));
                have.extend((upper.get(i + 2).is_some_and(|a| a == "AS")).then(|| arg(i + 3)));
                i += 2;
            }
            "PARAMS" => i += 2 + num(i + 1),
            "DIALECT" | "TIMEOUT" | "SCORER" | "LANGUAGE" | "COUNT" | "MAXIDLE" | "AS" => i += 2,
            _ => i += 1,
        }
    }
    out
}

/// RediSearch's name of an expression's top node: `Property n`, `Operator *`, `Predicate >`,
/// `Function upper` (as written), `Inverted`, `Literal x`.
fn label(raw: &str) -> String {
    use super::filter::{Expr, Op};
    let Ok(e) = super::filter::parse(raw) else { return String::new() };
    match e {
        Expr::Field(f) => format!("Property {f}"),
        Expr::Num(n) => format!("Literal {}", crate::float::format_double(n)),
        Expr::Str(s) => format!("Literal {s}"),
        Expr::Not(_) => "Inverted".into(),
        Expr::Neg(_) => "Operator -".into(),
        Expr::Call(..) => {
            let name = raw.trim_start_matches(|c: char| c == '(' || c.is_ascii_whitespace());
            let end = name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name.len());
            format!("Function {}", &name[..end])
        }
        Expr::Binary(op, ..) => {
            let sym = match op {
                Op::Or => "||",
                Op::And => "&&",
                Op::Eq => "==",
                Op::Ne => "!=",
                Op::Lt => "<",
                Op::Le => "<=",
                Op::Gt => ">",
                Op::Ge => ">=",
                Op::Add => "+",
                Op::Sub => "-",
                Op::Mul => "*",
                Op::Div => "/",
                Op::Rem => "%",
                Op::Pow => "^",
            };
            let kind = if sym.len() == 1 && !matches!(sym, "<" | ">") { "Operator" } else { "Predicate" };
            format!("{kind} {sym}")
        }
    }
}
