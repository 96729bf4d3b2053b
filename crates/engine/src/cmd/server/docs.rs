//! COMMAND INFO and COMMAND DOCS built from the [`CommandSpec`] tables.
//!
//! COMMAND DOCS's `arguments` tree is what redis-cli 7 turns into the grey hints after a command
//! name. Our specs carry the syntax as one line in the docs' notation (`key [NX | XX] [EX
//! seconds]`), so this file parses that notation into Redis's argument shapes: `[..]` optional,
//! `<a | b>` and `a | b` one-of, `...` multiple, UPPERCASE words tokens, lowercase words values.

use crate::cmd::CommandSpec;
use crate::frame::Frame;

/// One argument in COMMAND DOCS's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct DocArg {
    pub name: String,
    /// `key`, `string`, `integer`, `double`, `pure-token`, `oneof` or `block`.
    pub kind: &'static str,
    pub token: Option<String>,
    pub optional: bool,
    pub multiple: bool,
    pub children: Vec<DocArg>,
}

impl DocArg {
    fn value(name: &str, token: Option<String>) -> DocArg {
        DocArg {
            name: name.to_string(),
            kind: value_kind(name),
            token,
            optional: false,
            multiple: false,
            children: Vec::new(),
        }
    }

    fn group(kind: &'static str, children: Vec<DocArg>) -> DocArg {
        let name = children.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("-");
        DocArg { name, kind, token: None, optional: false, multiple: false, children }
    }

    /// The argument as COMMAND DOCS sends it (a map).
    pub fn to_frame(&self, key_index: &mut i64) -> Frame {
        let mut fields = vec![
            (Frame::bulk("name"), Frame::bulk(self.name.clone())),
            (Frame::bulk("type"), Frame::bulk(self.kind)),
        ];
        if !matches!(self.kind, "oneof" | "block") {
            fields.push((Frame::bulk("display_text"), Frame::bulk(self.name.clone())));
        }
        if self.kind == "key" {
            fields.push((Frame::bulk("key_spec_index"), Frame::Integer(*key_index)));
        }
        if let Some(token) = &self.token {
            fields.push((Frame::bulk("token"), Frame::bulk(token.clone())));
        }
        let mut flags = Vec::new();
        if self.optional {
            flags.push(Frame::Simple("optional".into()));
        }
        if self.multiple {
            flags.push(Frame::Simple("multiple".into()));
        }
        if !flags.is_empty() {
            fields.push((Frame::bulk("flags"), Frame::Array(flags)));
        }
        if !self.children.is_empty() {
            let children = self.children.iter().map(|c| c.to_frame(key_index)).collect();
            fields.push((Frame::bulk("arguments"), Frame::Array(children)));
        }
        Frame::Map(fields)
    }
}

/// The Redis argument type a value name suggests.
fn value_kind(name: &str) -> &'static str {
    match name {
        n if n == "key" || n.ends_with("key") || n == "destination" || n == "source" => "key",
        "count"
        | "seconds"
        | "milliseconds"
        | "index"
        | "db"
        | "index1"
        | "index2"
        | "timeout"
        | "numkeys"
        | "start"
        | "stop"
        | "end"
        | "offset"
        | "increment"
        | "client-id"
        | "maxage"
        | "unix-time-seconds"
        | "unix-time-milliseconds"
        | "cursor"
        | "protover" => "integer",
        "min" | "max" | "score" => "double",
        _ => "string",
    }
}

/// A word of the notation.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open(char),
    Close(char),
    Bar,
    Ellipsis,
    Word(String),
}

fn tokenize(syntax: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Tok>| {
        if !word.is_empty() {
            out.push(Tok::Word(std::mem::take(word)));
        }
    };
    let mut chars = syntax.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | '<' => {
                flush(&mut word, &mut out);
                out.push(Tok::Open(c));
            }
            ']' | '>' => {
                flush(&mut word, &mut out);
                out.push(Tok::Close(c));
            }
            '|' => {
                flush(&mut word, &mut out);
                out.push(Tok::Bar);
            }
            '.' if chars.peek() == Some(&'.') => {
                flush(&mut word, &mut out);
                while chars.peek() == Some(&'.') {
                    chars.next();
                }
                out.push(Tok::Ellipsis);
            }
            c if c.is_whitespace() => flush(&mut word, &mut out),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_token_word(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_alphabetic()) && !word.chars().any(|c| c.is_ascii_lowercase())
}

/// Parse a syntax line into COMMAND DOCS arguments (best effort: odd notation yields strings).
pub fn parse_syntax(syntax: &str) -> Vec<DocArg> {
    let toks = tokenize(syntax);
    let mut pos = 0;
    parse_alternatives(&toks, &mut pos, None)
}

/// A sequence, split into a one-of where `|` appears; stops at `close`.
fn parse_alternatives(toks: &[Tok], pos: &mut usize, close: Option<char>) -> Vec<DocArg> {
    let mut alternatives: Vec<Vec<DocArg>> = vec![Vec::new()];
    while let Some(tok) = toks.get(*pos) {
        *pos += 1;
        match tok {
            Tok::Close(c) if Some(*c) == close => break,
            Tok::Close(_) => {}
            Tok::Bar => alternatives.push(Vec::new()),
            Tok::Ellipsis => {
                if let Some(last) = alternatives.last_mut().and_then(|seq| seq.last_mut()) {
                    last.multiple = true;
                }
            }
            Tok::Open(open) => {
                let closing = if *open == '[' { ']' } else { '>' };
                let inner = parse_alternatives(toks, pos, Some(closing));
                let seq = alternatives.last_mut().expect("never empty");
                push_group(seq, inner, *open == '[');
            }
            Tok::Word(word) => {
                let seq = alternatives.last_mut().expect("never empty");
                if is_token_word(word) {
                    match toks.get(*pos) {
                        Some(Tok::Word(next)) if !is_token_word(next) => {
                            *pos += 1;
                            seq.push(DocArg::value(next, Some(word.clone())));
                        }
                        _ => {
                            let mut arg = DocArg::value(&word.to_ascii_lowercase(), Some(word.clone()));
                            arg.kind = "pure-token";
                            seq.push(arg);
                        }
                    }
                } else {
                    seq.push(DocArg::value(word, None));
                }
            }
        }
    }
    if alternatives.len() == 1 {
        return alternatives.pop().unwrap_or_default();
    }
    let choices = alternatives
        .into_iter()
        .filter(|alt| !alt.is_empty())
        .map(|mut alt| if alt.len() == 1 { alt.remove(0) } else { DocArg::group("block", alt) })
        .collect();
    vec![DocArg::group("oneof", choices)]
}

/// Add a bracketed group to a sequence. `[key ...]` right after `key` marks that `key` multiple,
/// and `field value [field value ...]` becomes one multiple block, as Redis documents them.
fn push_group(seq: &mut Vec<DocArg>, mut inner: Vec<DocArg>, optional: bool) {
    // `[...]` alone repeats what came before; an empty group would reach redis-cli as a block
    // with no arguments, which its help builder dereferences (a segfault in redis-cli 7.0).
    if inner.is_empty() {
        if let Some(last) = seq.last_mut() {
            last.multiple = true;
        }
        return;
    }
    // `[a b ...]`: the ellipsis repeats the whole group, not only its last word.
    let repeated = inner.last().is_some_and(|a| a.multiple);
    if let Some(last) = inner.last_mut() {
        last.multiple = false;
    }
    let n = inner.len();
    let repeats_previous = optional
        && repeated
        && n > 0
        && seq.len() >= n
        && seq[seq.len() - n..]
            .iter()
            .zip(&inner)
            .all(|(a, b)| a.name == b.name && !a.multiple && !a.optional);
    if repeats_previous {
        let mut previous: Vec<DocArg> = seq.drain(seq.len() - n..).collect();
        let mut arg = if n == 1 { previous.remove(0) } else { DocArg::group("block", previous) };
        arg.multiple = true;
        seq.push(arg);
        return;
    }
    let mut arg = if n == 1 { inner.remove(0) } else { DocArg::group("block", inner) };
    arg.multiple |= repeated;
    arg.optional |= optional;
    seq.push(arg);
}

/// Redis's ACL categories, in the order of its category bits (`ACLCommandCategories`): bit i
/// of [`category_bits`] is `ACL_CATEGORIES[i]`.
pub const ACL_CATEGORIES: [&str; 21] = [
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

/// Commands whose categories in Redis 7.4's table are not what their flags and group imply
/// (read from the oracle's COMMAND INFO).
const CATEGORY_EXCEPTIONS: &[(&str, &str)] = &[
    ("dbsize", "keyspace read fast"),
    ("eval_ro", "slow scripting"),
    ("evalsha_ro", "slow scripting"),
    ("fcall_ro", "slow scripting"),
    ("flushall", "keyspace write slow dangerous"),
    ("flushdb", "keyspace write slow dangerous"),
    ("info", "slow dangerous"),
    ("keys", "keyspace read slow dangerous"),
    ("lastsave", "admin fast dangerous"),
    ("migrate", "keyspace write slow dangerous"),
    ("pubsub|help", "slow"),
    ("restore", "keyspace write slow dangerous"),
    ("role", "admin fast dangerous"),
    ("sort", "write set sortedset list slow dangerous"),
    ("sort_ro", "read set sortedset list slow dangerous"),
    ("swapdb", "keyspace write fast dangerous"),
];

/// A category's bit (lowercase name without `@`).
pub fn category_bit(name: &str) -> Option<u32> {
    ACL_CATEGORIES.iter().position(|c| c.eq_ignore_ascii_case(name)).map(|i| 1 << i)
}

/// Redis ACL categories of a command (`full_name` is `config|get` for a subcommand), as bits
/// of [`ACL_CATEGORIES`]: Redis's own where they differ from what the flags and group say.
pub fn category_bits(spec: &CommandSpec, full_name: &str) -> u32 {
    let bit = |name| category_bit(name).unwrap_or(0);
    // Commands a module registers without categories (RedisJSON's) list none.
    if spec.has_flag("module") || spec.group == "module" {
        return 0;
    }
    if let Some((_, cats)) = CATEGORY_EXCEPTIONS.iter().find(|(n, _)| *n == full_name) {
        return cats.split(' ').map(bit).fold(0, |a, b| a | b);
    }
    let mut cats = 0;
    if spec.has_flag("write") {
        cats |= bit("write");
    }
    if spec.has_flag("readonly") {
        cats |= bit("read");
    }
    let group = match spec.group {
        "sorted-set" | "sorted_set" | "zset" => "sortedset",
        "generic" => "keyspace",
        "transactions" => "transaction",
        // READONLY, READWRITE and ASKING (the fast ones) act on the connection; CLUSTER's
        // subcommands carry no category of their group.
        "cluster" if spec.has_flag("fast") => "connection",
        g => g,
    };
    // A container (XINFO, CLIENT...) has only @slow; its subcommands have the group's.
    if spec.subcommands.is_empty() {
        cats |= bit(group);
    }
    if full_name.starts_with("command") {
        cats |= bit("connection");
    }
    if spec.has_flag("admin") {
        cats |= bit("admin") | bit("dangerous");
    }
    cats |= bit(if spec.has_flag("fast") { "fast" } else { "slow" });
    if spec.has_flag("blocking") {
        cats |= bit("blocking");
    }
    cats
}

/// The categories of [`category_bits`] as COMMAND INFO lists them (`@read`...).
fn acl_categories(spec: &CommandSpec, full_name: &str) -> Vec<Frame> {
    let bits = category_bits(spec, full_name);
    let named = ACL_CATEGORIES.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0);
    named.map(|(_, c)| Frame::Simple(format!("@{c}"))).collect()
}

/// One COMMAND INFO entry (`full_name` is `config|get` for subcommands).
pub fn command_info(spec: &CommandSpec, full_name: &str) -> Frame {
    let (first, last, step) = spec.keys;
    let subcommands =
        spec.subcommands.iter().map(|sub| command_info(sub, &format!("{full_name}|{}", sub.name))).collect();
    let arity = if spec.is_search_module() { -1 } else { spec.arity };
    let (tips, specs) = super::getkeys::meta(spec, full_name);
    Frame::Array(vec![
        Frame::bulk(spec.registered_name(full_name)),
        Frame::Integer(arity as i64),
        Frame::Set(spec.flags.iter().map(|f| Frame::Simple((*f).to_string())).collect()),
        Frame::Integer(first as i64),
        Frame::Integer(last as i64),
        Frame::Integer(step as i64),
        Frame::Set(acl_categories(spec, full_name)),
        Frame::Set(tips.into_iter().map(Frame::bulk).collect()),
        super::getkeys::specs_frame(&specs),
        Frame::Set(subcommands),
    ])
}

/// One COMMAND DOCS entry: our summary, the group, and the argument tree.
pub fn command_docs(spec: &CommandSpec, full_name: &str) -> Frame {
    let mut fields = vec![
        (Frame::bulk("summary"), Frame::bulk(spec.summary)),
        (Frame::bulk("group"), Frame::bulk(spec.group)),
    ];
    let args = parse_syntax(spec.syntax);
    if !args.is_empty() {
        let mut key_index = 0;
        let frames = args.iter().map(|a| a.to_frame(&mut key_index)).collect();
        fields.push((Frame::bulk("arguments"), Frame::Array(frames)));
    }
    if !spec.subcommands.is_empty() {
        let mut subs = Vec::new();
        for sub in spec.subcommands {
            let name = format!("{full_name}|{}", sub.name);
            subs.push((Frame::bulk(name.clone()), command_docs(sub, &name)));
        }
        fields.push((Frame::bulk("subcommands"), Frame::Map(subs)));
    }
    Frame::Map(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_syntax_becomes_redis_argument_shapes() {
        let args = parse_syntax("key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]");
        assert_eq!(args.len(), 5);
        assert_eq!((args[0].name.as_str(), args[0].kind), ("key", "key"));
        assert_eq!((args[1].name.as_str(), args[1].kind), ("value", "string"));
        assert_eq!(args[2].kind, "oneof");
        assert!(args[2].optional);
        assert_eq!(args[2].children[0].token.as_deref(), Some("NX"));
        assert_eq!(args[2].children[0].kind, "pure-token");
        assert_eq!(args[3].kind, "pure-token");
        assert!(args[3].optional);
        let expiry = &args[4].children;
        assert_eq!((expiry[0].name.as_str(), expiry[0].kind), ("seconds", "integer"));
        assert_eq!(expiry[0].token.as_deref(), Some("EX"));
        assert_eq!(expiry[2].kind, "pure-token");
    }

    #[test]
    fn repeated_keys_become_one_multiple_argument() {
        let args = parse_syntax("key [key ...]");
        assert_eq!(args.len(), 1);
        assert!(args[0].multiple && !args[0].optional);
        let pairs = parse_syntax("key field value [field value ...]");
        assert_eq!(pairs.len(), 2);
        assert!(!pairs[1].optional && pairs[1].multiple && pairs[1].kind == "block");
        assert!(pairs[1].children.iter().all(|c| !c.multiple));
        let optional_list = parse_syntax("[section [section ...]]");
        assert_eq!(optional_list.len(), 1);
        assert!(optional_list[0].optional && optional_list[0].multiple);
    }

    /// redis-cli 7.0 builds its help from COMMAND DOCS and dereferences the arguments of every
    /// block and one-of: none may be empty, in any command's or subcommand's syntax.
    #[test]
    fn every_group_has_arguments() {
        fn check(name: &str, args: &[DocArg]) {
            for arg in args {
                assert!(!arg.name.is_empty() || arg.kind == "oneof", "{name}: an unnamed {}", arg.kind);
                if matches!(arg.kind, "block" | "oneof") {
                    assert!(!arg.children.is_empty(), "{name}: an empty {}", arg.kind);
                }
                check(name, &arg.children);
            }
        }
        let specs = crate::cmd::all().flat_map(|s| std::iter::once(s).chain(s.subcommands.iter()));
        for spec in specs {
            check(spec.name, &parse_syntax(spec.syntax));
        }
        let repeated = parse_syntax("key path value [...]");
        assert_eq!(repeated.len(), 3);
        assert!(repeated[2].multiple);
    }

    #[test]
    fn odd_notation_never_panics() {
        for s in ["", "]", "[[", "| |", "... x", "<a | >", "[A b | C]"] {
            let _ = parse_syntax(s);
        }
    }
}
