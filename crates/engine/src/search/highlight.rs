//! FT.SEARCH HIGHLIGHT and SUMMARIZE, as RediSearch 2.10's summarize_spec.c parses them and
//! highlight_processor.c with fragmenter.c applies them: the query's terms are found in a
//! returned TEXT field at the positions its offsets give, grouped into fragments (matches at
//! most 8 words apart), and either the whole value comes back with the matches in tags, or the
//! best-scored fragments (by the IDF of their distinct terms), in text order, each with some
//! context around it and the separator after it. A value without matches is cut to its head.

use super::index::{Doc, Index, Kind};
use crate::args::Args;
use crate::error::CmdError;
use bytes::Bytes;

/// How one field is highlighted or summarized (RediSearch's `ReturnedField` settings).
#[derive(Debug, Clone, Default)]
pub(super) struct Spec {
    hl: bool,
    syn: bool,
    tags: Option<(Bytes, Bytes)>,
    frags: u16,
    len: u32,
    sep: Option<Bytes>,
}

/// The settings of HIGHLIGHT and SUMMARIZE: per listed field, and the default for the others.
#[derive(Debug, Default)]
pub(super) struct Summary {
    /// The fields named by HIGHLIGHT FIELDS and SUMMARIZE FIELDS, then RETURN's (RediSearch's
    /// FieldList).
    pub(super) fields: Vec<(String, Spec)>,
    pub(super) default: Spec,
}

impl Summary {
    /// `HIGHLIGHT [FIELDS n f..] [TAGS open close]` or
    /// `SUMMARIZE [FIELDS n f..] [FRAGS n] [LEN n] [SEPARATOR s]`, after the keyword.
    pub(super) fn parse(&mut self, args: &mut Args, highlight: bool) -> Result<(), CmdError> {
        let what = if highlight { "HIGHLIGHT" } else { "SUMMARIZE" };
        let bad = || super::commands::err(format!("Bad arguments for {what}"));
        let mut names = Vec::new();
        if args.eat("FIELDS") {
            let n = args.next_opt().and_then(|n| crate::args::parse_i64(&n)).ok_or_else(bad)?;
            let n = usize::try_from(n).ok().filter(|&n| n <= args.remaining()).ok_or_else(bad)?;
            for _ in 0..n {
                names.push(String::from_utf8_lossy(&args.next_bytes()?).into_owned());
            }
        }
        let mut d = Spec {
            frags: 3,
            len: 20,
            sep: Some(Bytes::from_static(b"... ")),
            tags: Some((Bytes::from_static(b"<b>"), Bytes::from_static(b"</b>"))),
            ..Spec::default()
        };
        let unsigned = |args: &mut Args| {
            args.next_opt().and_then(|n| crate::args::parse_i64(&n)).and_then(|n| u32::try_from(n).ok())
        };
        loop {
            if highlight && args.eat("TAGS") {
                if args.remaining() < 2 {
                    return Err(bad());
                }
                d.tags = Some((args.next_bytes()?, args.next_bytes()?));
            } else if !highlight && args.eat("LEN") {
                d.len = unsigned(args).ok_or_else(bad)?;
            } else if !highlight && args.eat("FRAGS") {
                // RediSearch keeps the count in 16 bits.
                d.frags = unsigned(args).ok_or_else(bad)? as u16;
            } else if !highlight && args.eat("SEPARATOR") {
                d.sep = Some(args.next_opt().ok_or_else(bad)?);
            } else {
                break;
            }
        }
        let set = |s: &mut Spec| {
            if highlight {
                s.hl = true;
                s.tags = d.tags.clone();
            } else {
                s.syn = true;
                (s.frags, s.len, s.sep) = (d.frags, d.len, d.sep.clone());
            }
        };
        if names.is_empty() {
            set(&mut self.default);
        }
        for name in names {
            let at = self.listed(&name);
            set(&mut self.fields[at].1);
        }
        Ok(())
    }

    /// The index of field `name` in the list, added when new (RETURN's fields are listed too).
    pub(super) fn listed(&mut self, name: &str) -> usize {
        self.fields.iter().position(|(n, _)| n == name).unwrap_or_else(|| {
            self.fields.push((name.to_string(), Spec::default()));
            self.fields.len() - 1
        })
    }

    /// Where a listed field with its own settings comes in a RETURN reply: those fields lead,
    /// in list order (RediSearch looks their keys up first), the others follow.
    pub(super) fn rank(&self, name: &[u8]) -> Option<usize> {
        self.fields.iter().position(|(n, s)| (s.hl || s.syn) && n.as_bytes() == name)
    }

    /// The settings for returned field `name` (None: left as it is). With a field list, only
    /// its fields are processed, each merged with the default (`normalizeSettings`, quirks
    /// kept); without one, every field gets the default.
    pub(super) fn spec(&self, idx: &Index, name: &[u8]) -> Option<Spec> {
        let d = &self.default;
        if self.fields.is_empty() {
            return (d.hl || d.syn).then(|| d.clone());
        }
        let is =
            |n: &str| n.as_bytes() == name || idx.field(n).is_some_and(|f| f.identifier.as_ref() == name);
        let (_, s) = self.fields.iter().find(|(n, _)| is(n))?;
        if !(s.hl || s.syn || d.hl || d.syn) {
            return None;
        }
        let tags = if d.hl && !s.hl {
            d.tags.clone()
        } else if s.hl || s.syn {
            s.tags.clone()
        } else {
            None
        };
        let (frags, len, sep) =
            if d.syn && !s.syn { (d.frags, d.len, d.sep.clone()) } else { (s.frags, s.len, s.sep.clone()) };
        Some(Spec { hl: d.hl || s.hl, syn: d.syn || s.syn, tags, frags, len, sep })
    }
}

use super::text::separator as sep;

/// C's `isspace`.
fn space(c: u8) -> bool {
    c == b' ' || (b'\t'..=b'\r').contains(&c)
}

/// Runs of spaces as one ' ' (`stripDuplicateSpaces`).
fn squeeze(s: &[u8], out: &mut Vec<u8>) {
    let mut last = false;
    for &c in s {
        if !(space(c) && last) {
            out.push(if space(c) { b' ' } else { c });
        }
        last = space(c);
    }
}

/// Matched words close together: where they start and end (bytes), and what they score.
#[derive(Default)]
struct Frag {
    buf: usize,
    len: usize,
    last_pos: u32,
    tokens: u32,
    matches: u32,
    score: f32,
    /// (term id, offset from `buf`, length) of each matched word.
    locs: Vec<(usize, usize, usize)>,
}

/// `FragmentList_FragmentizeIter`: the fragments of `raw` (field `at` of `doc`) for `hits`,
/// the query's (position, term id, IDF) over the document.
fn fragments(idx: &Index, doc: &Doc, at: usize, raw: &[u8], hits: &[(u32, usize, f32)]) -> Vec<Frag> {
    // Positions run over the TEXT fields in schema order, stop words taking none.
    let mut pos: u32 = idx.fields[..at]
        .iter()
        .filter_map(|f| doc.words.get(&f.attribute))
        .map(|t| t.sequence.len() as u32)
        .sum();
    let (mut frags, mut since, mut h, mut last_end) = (Vec::<Frag>::new(), 0u32, 0, 0);
    for (start, token) in super::text::tokens(raw) {
        if h >= hits.len() {
            break;
        }
        if idx.stopwords.contains(&token) {
            continue;
        }
        pos += 1;
        while h < hits.len() && hits[h].0 < pos {
            h += 1;
        }
        let Some(&(_, id, idf)) = hits.get(h).filter(|x| x.0 == pos) else {
            since += 1;
            continue;
        };
        if start < last_end {
            continue;
        }
        let len = raw[start..].iter().position(|&c| sep(c)).unwrap_or(raw.len() - start);
        let near = frags.last().is_some_and(|f| pos - f.last_pos <= 8);
        if !near {
            frags.push(Frag { buf: start, ..Frag::default() });
            since = 0;
        }
        let Some(f) = frags.last_mut() else { break };
        if !f.locs.iter().any(|l| l.0 == id) {
            f.score += idf;
        }
        f.len = start - f.buf + len;
        f.last_pos = pos;
        f.matches += 1;
        f.tokens += since + 1;
        since = 0;
        f.locs.push((id, start - f.buf, len));
        last_end = start + len;
    }
    frags
}

/// `Fragment_WriteIovs`: `raw` from `from` through the fragment's last match, matches tagged.
fn write(f: &Frag, raw: &[u8], mut from: usize, tags: Option<&(Bytes, Bytes)>, out: &mut Vec<u8>) -> usize {
    for &(_, off, len) in &f.locs {
        out.extend_from_slice(&raw[from..f.buf + off]);
        out.extend_from_slice(tags.map_or(&b""[..], |t| &t.0));
        out.extend_from_slice(&raw[f.buf + off..f.buf + off + len]);
        out.extend_from_slice(tags.map_or(&b""[..], |t| &t.1));
        from = f.buf + off + len;
    }
    from
}

/// `FragmentList_FindContext`: the byte ranges of context before and after `f`, within
/// `lo..=hi`, about `context` words less those inside the fragment, cut at separators.
fn context(f: &Frag, raw: &[u8], lo: usize, hi: usize, context: u32) -> (usize, usize) {
    let end = f.buf + f.len;
    let inner = f.tokens - f.matches;
    if context <= inner {
        return (f.buf, end);
    }
    let size = ((context - inner) / 2) as usize * 6;
    let mut lo = lo.max(f.buf.saturating_sub(size));
    let mut hi = hi.min(end + size);
    while lo < f.buf && !sep(raw[lo]) {
        lo += 1;
    }
    while lo < f.buf && sep(raw[lo]) {
        lo += 1;
    }
    while hi > end && !sep(raw[hi]) {
        hi -= 1;
    }
    while hi > end && sep(raw[hi]) {
        hi -= 1;
    }
    (lo, (hi + 1).max(end))
}

/// `raw`, the value of returned field `name`, highlighted or summarized per `spec` (None:
/// left as it is). `hits` are the query's offsets in `doc` (see `Scoring::offsets`).
pub(super) fn apply(
    idx: &Index,
    doc: &Doc,
    hits: &[(u32, usize, f32)],
    name: &[u8],
    raw: &[u8],
    spec: &Spec,
) -> Option<Vec<u8>> {
    let text = idx.fields.iter().position(|f| {
        (f.identifier.as_ref() == name || f.attribute.as_bytes() == name)
            && matches!(f.kind, Kind::Text { .. })
            && !f.noindex
    });
    let frags = text.map(|at| fragments(idx, doc, at, raw, hits)).unwrap_or_default();
    let mut out = Vec::new();
    if frags.is_empty() {
        if spec.hl {
            return None;
        }
        // `trimField`: about as many words as the fragments would have held.
        let head = (6 * u64::from(spec.len) * u64::from(spec.frags) + 6).min(raw.len() as u64) as usize;
        squeeze(&raw[..head], &mut out);
        while out.len() > 1 && !sep(out[out.len() - 1]) {
            out.pop();
        }
        while out.last().is_some_and(|&c| space(c)) {
            out.pop();
        }
        return Some(out);
    }
    if !spec.syn {
        let from = frags.iter().fold(0, |from, f| write(f, raw, from, spec.tags.as_ref(), &mut out));
        out.extend_from_slice(&raw[from..]);
        return Some(out);
    }
    // The best fragments (by score, then position), in text order.
    let mut best: Vec<usize> = (0..frags.len()).collect();
    crate::order::sort_by(&mut best, |&a, &b| {
        frags[b].score.partial_cmp(&frags[a].score).unwrap_or(std::cmp::Ordering::Equal)
    });
    best.truncate(usize::from(spec.frags));
    crate::order::sort(&mut best);
    for (n, &k) in best.iter().enumerate() {
        let f = &frags[k];
        let lo = n.checked_sub(1).map_or(0, |p| frags[best[p]].buf + frags[best[p]].len);
        let hi = best.get(n + 1).map_or(raw.len() - 1, |&next| frags[next].buf);
        let (before, after) = context(f, raw, lo, hi, spec.len);
        let mut piece = raw[before..f.buf].to_vec();
        let from = write(f, raw, f.buf, spec.tags.as_ref(), &mut piece);
        piece.extend_from_slice(&raw[from..after]);
        squeeze(&piece, &mut out);
        out.extend_from_slice(spec.sep.as_deref().unwrap_or_default());
    }
    Some(out)
}
