//! LCS: the longest common subsequence of two strings, as Redis 7.4's `lcsCommand` computes it
//! (the dynamic-programming table of `u32` lengths, walked back from the end), with its reply
//! shapes: the subsequence, its length (LEN), or the matching ranges (IDX).
//!
//! The table takes `(len(a) + 1) * (len(b) + 1) * 4` bytes, which Redis bounds by
//! `proto-max-bulk-len`; in a browser tab the host's value limit bounds it too, before allocating.

use super::spec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;
use bytes::Bytes;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [spec(
    "lcs",
    -3,
    &["readonly"],
    (1, 2, 1),
    "string",
    "The longest common subsequence of two strings, its length, or where it matches.",
    "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]",
    lcs,
)]);

/// What LCS replies with.
struct Options {
    len: bool,
    idx: bool,
    with_match_len: bool,
    min_match_len: u64,
}

fn parse_options(args: &mut Args) -> Result<Options, CmdError> {
    let mut o = Options { len: false, idx: false, with_match_len: false, min_match_len: 0 };
    while let Some(opt) = args.next_opt() {
        let is = |name: &str| opt.eq_ignore_ascii_case(name.as_bytes());
        if is("IDX") {
            o.idx = true;
        } else if is("LEN") {
            o.len = true;
        } else if is("WITHMATCHLEN") {
            o.with_match_len = true;
        } else if is("MINMATCHLEN") && !args.is_empty() {
            o.min_match_len = args.next_i64()?.max(0) as u64;
        } else {
            return Err(CmdError::syntax());
        }
    }
    if o.len && o.idx {
        return Err(CmdError::err("If you want both the length and indexes, please just use IDX."));
    }
    Ok(o)
}

/// The DP table `lcs[i][j]` = LCS length of `a[..i]` and `b[..j]`, one row of `b.len() + 1` after
/// another, after Redis's size checks (and the host's).
fn table(ctx: &Ctx, a: &[u8], b: &[u8]) -> Result<Vec<u32>, CmdError> {
    if a.len() as u64 >= u64::from(u32::MAX) - 1 || b.len() as u64 >= u64::from(u32::MAX) - 1 {
        return Err(CmdError::err("String too long for LCS"));
    }
    let cells = (a.len() as u64 + 1) * (b.len() as u64 + 1);
    let bytes = cells * 4;
    if bytes > ctx.server.config.proto_max_bulk_len {
        return Err(CmdError::err(
            "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    }
    if let Some(limit) = ctx.server.value_limit.filter(|&limit| bytes > limit as u64) {
        return Err(CmdError::err(format!(
            "Insufficient memory, transient memory for LCS exceeds the playground's limit of {} MB in a \
             browser tab (real Redis allows up to proto-max-bulk-len, {} MB)",
            limit >> 20,
            ctx.server.config.proto_max_bulk_len >> 20
        )));
    }
    let mut lcs = Vec::new();
    let cells = usize::try_from(cells).unwrap_or(usize::MAX);
    if lcs.try_reserve_exact(cells).is_err() {
        return Err(CmdError::err("Insufficient memory, failed allocating transient memory for LCS"));
    }
    lcs.resize(cells, 0u32);
    let row = b.len() + 1;
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            lcs[i * row + j] = if a[i - 1] == b[j - 1] {
                lcs[(i - 1) * row + j - 1] + 1
            } else {
                lcs[(i - 1) * row + j].max(lcs[i * row + j - 1])
            };
        }
    }
    Ok(lcs)
}

fn lcs(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    // Both keys are read (a hit or miss each) before either's type is judged.
    let mut read = |key: &[u8]| match ctx.read(key) {
        None => Some(Bytes::new()),
        Some(Value::Str(s)) => Some(s.clone()),
        Some(_) => None,
    };
    let (a, b) = (read(&args.next_bytes()?), read(&args.next_bytes()?));
    let (Some(a), Some(b)) = (a, b) else {
        return Err(CmdError::err("The specified keys must contain string values"));
    };
    let o = parse_options(args)?;
    let lcs = table(ctx, &a, &b)?;
    let row = b.len() + 1;
    let total = lcs[a.len() * row + b.len()];
    if o.len {
        return Ok(Frame::Integer(i64::from(total)));
    }
    // Walk back from the end as Redis does, collecting the subsequence (backwards) and, for IDX,
    // each run of contiguous matches once it ends.
    let mut result = vec![0u8; total as usize];
    let mut idx = total as usize;
    let mut matches = Vec::new();
    // The current run: (a_start, a_end, b_start, b_end); None when no run is open.
    let mut run: Option<(usize, usize, usize, usize)> = None;
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[idx - 1] = a[i - 1];
            match &mut run {
                None => run = Some((i - 1, i - 1, j - 1, j - 1)),
                Some((a_start, _, b_start, _)) if *a_start == i && *b_start == j => {
                    *a_start -= 1;
                    *b_start -= 1;
                }
                Some(_) => emit = true,
            }
            if run.is_some_and(|(a_start, _, b_start, _)| a_start == 0 || b_start == 0) {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if lcs[(i - 1) * row + j] > lcs[i * row + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            emit |= run.is_some();
        }
        if emit {
            if let Some((a_start, a_end, b_start, b_end)) = run.take() {
                let len = (a_end - a_start + 1) as u64;
                if o.idx && len >= o.min_match_len {
                    let pair = |s: usize, e: usize| {
                        Frame::Array(vec![Frame::Integer(s as i64), Frame::Integer(e as i64)])
                    };
                    let mut m = vec![pair(a_start, a_end), pair(b_start, b_end)];
                    if o.with_match_len {
                        m.push(Frame::Integer(len as i64));
                    }
                    matches.push(Frame::Array(m));
                }
            }
        }
    }
    if o.idx {
        return Ok(Frame::Map(vec![
            (Frame::bulk("matches"), Frame::Array(matches)),
            (Frame::bulk("len"), Frame::Integer(i64::from(total))),
        ]));
    }
    Ok(Frame::Bulk(Bytes::from(result)))
}
