//! Glob-style pattern matching as Redis's `stringmatchlen` does it (KEYS, SCAN MATCH, HSCAN ...):
//! `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, and `\` to escape. Binary-safe, case-sensitive.

/// True if `text` matches `pattern`.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    matches(pattern, text, 0)
}

/// Redis caps recursion on `*` so hostile patterns cannot blow the stack.
const MAX_NESTING: usize = 1000;

fn matches(mut p: &[u8], mut s: &[u8], nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    while !p.is_empty() && !s.is_empty() {
        match p[0] {
            b'*' => {
                while p.len() > 1 && p[1] == b'*' {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                for start in 0..s.len() {
                    if matches(&p[1..], &s[start..], nesting + 1) {
                        return true;
                    }
                }
                return false;
            }
            b'?' => s = &s[1..],
            b'[' => {
                let (matched, rest) = class(&p[1..], s[0]);
                if !matched {
                    return false;
                }
                p = rest;
                s = &s[1..];
                continue;
            }
            b'\\' if p.len() >= 2 => {
                p = &p[1..];
                if p[0] != s[0] {
                    return false;
                }
                s = &s[1..];
            }
            c => {
                if c != s[0] {
                    return false;
                }
                s = &s[1..];
            }
        }
        p = &p[1..];
    }
    if s.is_empty() {
        while !p.is_empty() && p[0] == b'*' {
            p = &p[1..];
        }
    }
    p.is_empty() && s.is_empty()
}

/// Match one byte against a `[...]` class starting after `[`; returns (matched, pattern after `]`).
fn class(mut p: &[u8], c: u8) -> (bool, &[u8]) {
    let negate = p.first() == Some(&b'^');
    if negate {
        p = &p[1..];
    }
    let mut matched = false;
    loop {
        match p {
            [] => break,
            [b'\\', escaped, rest @ ..] => {
                if *escaped == c {
                    matched = true;
                }
                p = rest;
            }
            [b']', rest @ ..] => {
                p = rest;
                return (matched != negate, p);
            }
            [lo, b'-', hi, rest @ ..] if *hi != b']' => {
                let (lo, hi) = if lo <= hi { (*lo, *hi) } else { (*hi, *lo) };
                if (lo..=hi).contains(&c) {
                    matched = true;
                }
                p = rest;
            }
            [x, rest @ ..] => {
                if *x == c {
                    matched = true;
                }
                p = rest;
            }
        }
    }
    // Unterminated class: Redis treats the end of pattern as the end of the class.
    (matched != negate, p)
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn redis_glob() {
        assert!(glob_match(b"user:*", b"user:42"));
        assert!(glob_match(b"h?llo", b"hello"));
        assert!(glob_match(b"h[ae]llo", b"hallo"));
        assert!(!glob_match(b"h[^e]llo", b"hello"));
        assert!(glob_match(b"h[a-b]llo", b"hbllo"));
        assert!(glob_match(b"*", b""));
        assert!(!glob_match(b"a*b", b"acd"));
        assert!(glob_match(b"a\\*b", b"a*b"));
    }
}
