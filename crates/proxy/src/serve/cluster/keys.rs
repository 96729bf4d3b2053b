//! Where a command's keys are, read from the server's own COMMAND reply (its key specs), so the
//! router knows every command of the server it talks to, modules included, without a table of
//! ours to keep in step.

use super::frame::{int, items, pairs, text};
use bytes::Bytes;
use playground_engine::frame::Frame;
use std::collections::HashMap;

/// Where the search for keys starts.
#[derive(Debug, Clone)]
enum Begin {
    Index(i64),
    Keyword { keyword: String, start: i64 },
}

/// How many keys follow, and how they are spaced.
#[derive(Debug, Clone)]
enum Find {
    Range { last: i64, step: i64, limit: i64 },
    Keynum { idx: i64, first: i64, step: i64 },
}

/// One key spec; `None` halves mean "unknown" (the server must be asked: COMMAND GETKEYS).
#[derive(Debug, Clone)]
struct Spec {
    begin: Option<Begin>,
    find: Option<Find>,
}

#[derive(Debug, Clone, Default)]
struct Entry {
    specs: Vec<Spec>,
    subs: HashMap<String, Entry>,
}

/// Key positions of every command the server knows.
#[derive(Debug, Clone, Default)]
pub struct KeyTable {
    commands: HashMap<String, Entry>,
}

/// Where to find the keys of one command.
#[derive(Debug, PartialEq, Eq)]
pub enum Keys {
    /// These arguments are keys (possibly none).
    Found(Vec<Bytes>),
    /// The specs cannot say (an "unknown" spec): ask the server with COMMAND GETKEYS.
    AskServer,
}

impl KeyTable {
    /// Parse the reply of `COMMAND`.
    pub fn from_command_reply(reply: &Frame) -> KeyTable {
        let mut commands = HashMap::new();
        for cmd in items(reply).unwrap_or(&[]) {
            if let Some((name, entry)) = parse_entry(cmd) {
                commands.insert(name, entry);
            }
        }
        KeyTable { commands }
    }

    /// Keys of `args` (command name first). Unknown commands have no keys (the server answers
    /// with its own error).
    pub fn keys(&self, args: &[Bytes]) -> Keys {
        match self.collect(args, true) {
            Some(k) => Keys::Found(k),
            None => Keys::AskServer,
        }
    }

    /// The keys the specs can find, skipping "unknown" ones (SORT's STORE): for the emulated
    /// cluster, which has no server to ask.
    pub fn known_keys(&self, args: &[Bytes]) -> Vec<Bytes> {
        self.collect(args, false).unwrap_or_default()
    }

    /// `None` if `strict` and a spec cannot say.
    fn collect(&self, args: &[Bytes], strict: bool) -> Option<Vec<Bytes>> {
        let Some(name) = args.first() else { return Some(vec![]) };
        let Some(mut entry) = self.commands.get(&String::from_utf8_lossy(name).to_ascii_lowercase()) else {
            return Some(vec![]);
        };
        if let Some(sub) = args.get(1).filter(|_| !entry.subs.is_empty()) {
            let full = format!("{}|{}", String::from_utf8_lossy(name), String::from_utf8_lossy(sub))
                .to_ascii_lowercase();
            match entry.subs.get(&full) {
                Some(e) => entry = e,
                None => return Some(vec![]),
            }
        }
        let mut out = Vec::new();
        for spec in &entry.specs {
            let (Some(begin), Some(find)) = (&spec.begin, &spec.find) else {
                if strict {
                    return None;
                }
                continue;
            };
            for i in positions(begin, find, args) {
                if let Some(k) = args.get(i) {
                    out.push(k.clone());
                }
            }
        }
        Some(out)
    }
}

/// Argument indexes a spec designates, as Redis's `getKeysUsingKeySpecs` finds them.
fn positions(begin: &Begin, find: &Find, args: &[Bytes]) -> Vec<usize> {
    let argc = args.len() as i64;
    let first = match begin {
        Begin::Index(i) => *i,
        Begin::Keyword { keyword, start } => {
            let (from, to, inc) = if *start >= 0 { (*start, argc - 1, 1) } else { (argc + start, 1, -1) };
            let mut i = from;
            let mut found = None;
            while i >= 1 && i < argc && (inc > 0 && i <= to || inc < 0 && i >= to) {
                if args[i as usize].eq_ignore_ascii_case(keyword.as_bytes()) {
                    found = Some(i + 1);
                    break;
                }
                i += inc;
            }
            match found {
                Some(f) => f,
                None => return vec![],
            }
        }
    };
    if first < 1 || first >= argc {
        return vec![];
    }
    let (first, last, step) = match find {
        Find::Range { last, step, limit } => {
            let end = if *last >= 0 {
                first + last
            } else if *limit <= 1 {
                argc + last
            } else {
                first + ((argc - first) / limit + last)
            };
            (first, end, *step)
        }
        Find::Keynum { idx, first: fk, step } => {
            let Some(n) = args
                .get((first + idx) as usize)
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|n| (0..=argc).contains(n))
            else {
                return vec![];
            };
            let start = first + fk;
            (start, start + (n - 1) * step, *step)
        }
    };
    let step = step.max(1);
    let mut out = Vec::new();
    let mut i = first;
    while i <= last && i < argc {
        out.push(i as usize);
        i += step;
    }
    out
}

fn parse_entry(cmd: &Frame) -> Option<(String, Entry)> {
    let f = items(cmd)?;
    let name = text(f.first()?)?.to_ascii_lowercase();
    let mut entry = Entry::default();
    for spec in f.get(8).and_then(items).unwrap_or(&[]) {
        entry.specs.push(parse_spec(spec)?);
    }
    if entry.specs.is_empty() {
        // Servers without key specs (before 7.0): the legacy first/last/step.
        let (first, last, step) = (int(f.get(3)?)?, int(f.get(4)?)?, int(f.get(5)?)?);
        if first > 0 {
            let find = Find::Range { last: if last < 0 { last } else { last - first }, step, limit: 0 };
            entry.specs.push(Spec { begin: Some(Begin::Index(first)), find: Some(find) });
        }
    }
    for sub in f.get(9).and_then(items).unwrap_or(&[]) {
        if let Some((n, e)) = parse_entry(sub) {
            entry.subs.insert(n, e);
        }
    }
    Some((name, entry))
}

fn field<'a>(map: &[(&'a Frame, &'a Frame)], name: &str) -> Option<&'a Frame> {
    map.iter().find(|(k, _)| text(k).as_deref() == Some(name)).map(|(_, v)| *v)
}

fn parse_spec(spec: &Frame) -> Option<Spec> {
    let s = pairs(spec)?;
    let bs = pairs(field(&s, "begin_search")?)?;
    let fk = pairs(field(&s, "find_keys")?)?;
    let bspec = field(&bs, "spec").and_then(pairs).unwrap_or_default();
    let fspec = field(&fk, "spec").and_then(pairs).unwrap_or_default();
    let n = |m: &[(&Frame, &Frame)], k: &str| field(m, k).and_then(int);
    let begin = match field(&bs, "type").and_then(text).as_deref() {
        Some("index") => Some(Begin::Index(n(&bspec, "index")?)),
        Some("keyword") => Some(Begin::Keyword {
            keyword: field(&bspec, "keyword").and_then(text)?,
            start: n(&bspec, "startfrom")?,
        }),
        _ => None,
    };
    let find = match field(&fk, "type").and_then(text).as_deref() {
        Some("range") => Some(Find::Range {
            last: n(&fspec, "lastkey")?,
            step: n(&fspec, "keystep")?,
            limit: n(&fspec, "limit")?,
        }),
        Some("keynum") => Some(Find::Keynum {
            idx: n(&fspec, "keynumidx")?,
            first: n(&fspec, "firstkey")?,
            step: n(&fspec, "keystep")?,
        }),
        _ => None,
    };
    Some(Spec { begin, find })
}
