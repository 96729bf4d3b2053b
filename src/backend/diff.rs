//! The compare mode's diff: the same line ran on the in-page engine and on the real server,
//! and the two replies' RESP bytes are compared byte for byte. The differing middle (after the
//! common prefix, before the common suffix) is what the console highlights.

/// Where two byte strings differ: `a[prefix..a_end]` against `b[prefix..b_end]`; everything
/// before `prefix` and after the ends is the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffSpan {
    pub prefix: usize,
    pub a_end: usize,
    pub b_end: usize,
}

/// `None` when the replies are identical.
pub fn diff_span(a: &[u8], b: &[u8]) -> Option<DiffSpan> {
    if a == b {
        return None;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
    Some(DiffSpan { prefix, a_end: a.len() - suffix, b_end: b.len() - suffix })
}

/// Bytes escaped for display as in the console's bytes view (`\r\n` shown, line broken after).
pub fn escape_wire(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => {
                out.push_str("\\n");
                // Break the line after a CRLF so each RESP line is its own row.
                if i > 0 && bytes.get(i - 1) == Some(&b'\r') {
                    out.push('\n');
                }
            }
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

/// One side of a comparison cut into (same, different, same) escaped texts for drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub before: String,
    pub differs: String,
    pub after: String,
}

/// Both sides marked; `None` for identical replies.
pub fn mark(a: &[u8], b: &[u8]) -> Option<(Marked, Marked)> {
    let span = diff_span(a, b)?;
    let cut = |bytes: &[u8], end: usize| Marked {
        before: escape_wire(bytes.get(..span.prefix).unwrap_or_default()),
        differs: escape_wire(bytes.get(span.prefix..end).unwrap_or_default()),
        after: escape_wire(bytes.get(end..).unwrap_or_default()),
    };
    Some((cut(a, span.a_end), cut(b, span.b_end)))
}

/// Both replies of a compared line, for the console entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub same: bool,
    /// The in-page engine's reply, marked where it differs.
    pub local: Marked,
    /// The real server's reply, marked where it differs.
    pub remote: Marked,
}

pub fn compare(local: &[u8], remote: &[u8]) -> Comparison {
    match mark(local, remote) {
        Some((local, remote)) => Comparison { same: false, local, remote },
        None => {
            let whole = Marked { before: escape_wire(local), differs: String::new(), after: String::new() };
            Comparison { same: true, local: whole.clone(), remote: whole }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_replies_have_no_diff() {
        assert_eq!(diff_span(b"+OK\r\n", b"+OK\r\n"), None);
        assert_eq!(mark(b"", b""), None);
    }

    #[test]
    fn the_middle_that_differs_is_found() {
        let span = diff_span(b":10\r\n", b":12\r\n");
        assert_eq!(span, Some(DiffSpan { prefix: 2, a_end: 3, b_end: 3 }));
        let (a, b) = mark(b"$3\r\nabc\r\n", b"$4\r\nabcd\r\n").unwrap_or_else(|| unreachable!());
        assert_eq!((a.before.as_str(), a.differs.as_str()), ("$", "3\\r\\n\nabc"));
        assert_eq!((b.before.as_str(), b.differs.as_str()), ("$", "4\\r\\n\nabcd"));
        assert_eq!(a.after, "\\r\\n\n");
    }

    #[test]
    fn one_side_a_prefix_of_the_other() {
        assert_eq!(diff_span(b"*1\r\n", b"*1\r\n:1\r\n"), Some(DiffSpan { prefix: 4, a_end: 4, b_end: 8 }));
        assert_eq!(diff_span(b"aXa", b"aa"), Some(DiffSpan { prefix: 1, a_end: 2, b_end: 1 }));
    }

    #[test]
    fn comparisons_keep_both_sides() {
        let c = compare(b":1\r\n", b":1\r\n");
        assert!(c.same && c.local.before == ":1\\r\\n\n" && c.remote.differs.is_empty());
        let c = compare(b"-ERR unknown command 'FT.SEARCH'\r\n", b"*0\r\n");
        assert!(!c.same);
        assert_eq!(c.remote.differs, "*0");
    }

    #[test]
    fn binary_bytes_are_escaped() {
        assert_eq!(escape_wire(b"\x00\xff\\"), "\\x00\\xff\\\\");
    }
}
