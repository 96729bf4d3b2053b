//! Glob-style pattern matching as Redis's `stringmatchlen` (util.c) does it: `*`, `?`, `[abc]`,
//! `[^a]`, `[a-z]`, and `\` to escape. Binary-safe; case-sensitive unless asked (CONFIG GET and
//! COMMAND LIST FILTERBY PATTERN match names without case, as Redis does).
//!
//! A port of Redis 7.4's `stringmatchlen_impl`, quirks included, so every matcher (KEYS, the
//! SCAN family's MATCH, CONFIG GET, COMMAND LIST, the proxy's allow-list) agrees with Redis on
//! every pattern:
//! - an empty string matches no pattern, not even `*` (callers that want "everything" for a
//!   lone `*` test for it first, as KEYS and SCAN do);
//! - `[a-]` is a range from `a` to `]`, and an unterminated class ends with the pattern;
//! - a trailing `\` matches a literal backslash.
//!
//! Two guards keep hostile patterns cheap (CVE-2022-36021): recursion on `*` gives up past a
//! nesting of 1000, and once the rest of the pattern after a `*` has failed at every position
//! of the string, no earlier `*` tries a longer match (it could only start the rest later).
//! Without the second guard `a*a*a*...*b` against `aaaa...` takes exponential time.

/// True if `text` matches `pattern`, byte for byte.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let mut skip_longer = false;
    matches(pattern, text, false, &mut skip_longer, 0)
}

/// True if `text` matches `pattern` ignoring ASCII case (Redis's `nocase`).
pub fn glob_match_nocase(pattern: &[u8], text: &[u8]) -> bool {
    let mut skip_longer = false;
    matches(pattern, text, true, &mut skip_longer, 0)
}

/// Redis gives up on patterns that nest `*` deeper than this (the match fails).
const MAX_NESTING: usize = 1000;

/// The byte at `i`, or 0 past the end: Redis reads its NUL-terminated pattern one byte ahead
/// (`pattern[1] == '*'`, `*pattern == '*'`), and the terminator is what it sees there.
fn at(p: &[u8], i: usize) -> u8 {
    p.get(i).copied().unwrap_or(0)
}

fn fold(c: u8, nocase: bool) -> u8 {
    if nocase {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

fn matches(mut p: &[u8], mut s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    while !p.is_empty() && !s.is_empty() {
        // Each arm consumes its part of the pattern and one byte of the string.
        match p[0] {
            b'*' => {
                while at(p, 1) == b'*' {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                while !s.is_empty() {
                    if matches(&p[1..], s, nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s = &s[1..];
                }
                // The rest of the pattern matches nowhere in the rest of the string, so a
                // longer match for any earlier `*` cannot help either.
                *skip_longer = true;
                return false;
            }
            b'?' => p = &p[1..],
            b'[' => {
                let (matched, rest) = class(&p[1..], s[0], nocase);
                if !matched {
                    return false;
                }
                p = rest;
            }
            b'\\' if p.len() >= 2 => {
                if fold(p[1], nocase) != fold(s[0], nocase) {
                    return false;
                }
                p = &p[2..];
            }
            c => {
                if fold(c, nocase) != fold(s[0], nocase) {
                    return false;
                }
                p = &p[1..];
            }
        }
        s = &s[1..];
        if s.is_empty() {
            while at(p, 0) == b'*' {
                p = &p[1..];
            }
        }
    }
    p.is_empty() && s.is_empty()
}

/// Match one byte against a `[...]` class whose body starts at `p` (just after `[`). Returns
/// whether it matched and the pattern after the closing `]`; an unterminated class runs to the
/// end of the pattern.
fn class(mut p: &[u8], c: u8, nocase: bool) -> (bool, &[u8]) {
    let negate = at(p, 0) == b'^';
    if negate {
        p = &p[1..];
    }
    let mut matched = false;
    loop {
        match p {
            [] => break,
            [b'\\', escaped, rest @ ..] => {
                // Escaped bytes compare exactly, even without case (as in Redis).
                matched |= *escaped == c;
                p = rest;
            }
            [b']', rest @ ..] => return (matched != negate, rest),
            // No check that the range's end is not `]`: Redis reads `[a-]` as a to ]. Bounds
            // compare as C's signed `char`, so a byte above 0x7f sorts below `\0` (`[a-\xff]`
            // is \xff..a).
            [lo, b'-', hi, rest @ ..] => {
                let signed = |b: u8| fold(b, nocase) as i8;
                let (lo, hi) = if (*lo as i8) <= (*hi as i8) { (*lo, *hi) } else { (*hi, *lo) };
                matched |= (signed(lo)..=signed(hi)).contains(&signed(c));
                p = rest;
            }
            [x, rest @ ..] => {
                matched |= fold(*x, nocase) == fold(c, nocase);
                p = rest;
            }
        }
    }
    (matched != negate, p)
}

#[cfg(test)]
mod tests {
    use super::{glob_match, glob_match_nocase};
    use std::time::{Duration, Instant};

    #[test]
    fn redis_glob() {
        assert!(glob_match(b"user:*", b"user:42"));
        assert!(glob_match(b"h?llo", b"hello"));
        assert!(glob_match(b"h[ae]llo", b"hallo"));
        assert!(!glob_match(b"h[^e]llo", b"hello"));
        assert!(glob_match(b"h[a-b]llo", b"hbllo"));
        // Redis's matcher never matches an empty string (KEYS and SCAN special-case `*`).
        assert!(!glob_match(b"*", b""));
        assert!(!glob_match(b"a*b", b"acd"));
        assert!(glob_match(b"a\\*b", b"a*b"));
    }

    #[test]
    fn redis_quirks() {
        assert!(glob_match(b"[a-]", b"_"), "[a-] is the range ] to a");
        assert!(glob_match(b"[abc", b"b"), "an unterminated class ends with the pattern");
        assert!(!glob_match(b"[", b"x"), "a lone [ is an empty class: it matches nothing");
        assert!(glob_match(b"[^", b"x"), "... and negated, anything");
        assert!(glob_match(b"a\\", b"a\\"), "a trailing backslash is literal");
        // Bounds compare as signed chars: [a-\xff] is \xff (-1) up to a.
        assert!(glob_match(b"[a-\xff]", b"\x01"));
        assert!(!glob_match(b"[a-\xff]", b"\x80"));
        assert!(!glob_match(b"[a-\xff]", b"b"));
        assert!(glob_match_nocase(b"Max*", b"maxmemory"));
        assert!(!glob_match(b"Max*", b"maxmemory"));
    }

    /// CVE-2022-36021: patterns that made the naive matcher exponential answer at once.
    #[test]
    fn hostile_patterns_stay_fast() {
        let text = [b'a'; 40];
        let mut pattern = b"a*".repeat(20);
        pattern.push(b'b');
        let started = Instant::now();
        assert!(!glob_match(&pattern, &text));
        let deep = b"*?".repeat(50_000);
        assert!(!glob_match(&deep, &text), "past 1000 nested stars the match gives up");
        assert!(!glob_match(&deep, &[b'a'; 50_000]));
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }
}
