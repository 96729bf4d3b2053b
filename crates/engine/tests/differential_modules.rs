//! MODULE LIST, HELLO's `modules` and INFO modules against the oracle that loads RedisJSON and
//! RediSearch (`common::json_oracle_port`): names, versions and shapes as it prints them, RESP2
//! and RESP3. Only the module paths differ (the oracle's install directory), so they are masked;
//! and the modules' order, which is Redis's module dict's and changes with its hash seed at each
//! start, so the lines are compared as a multiset.

mod common;
use common::{args, Session};

/// The reply's lines, sorted, with each module's `.so` path replaced by its file name.
fn masked(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw).into_owned();
    let mut out = Vec::new();
    for line in text.split("\r\n") {
        match line.rfind('/') {
            Some(i) if line.ends_with(".so") => out.push(format!("PATH{}", &line[i..])),
            _ if line.starts_with('$') => out.push("$LEN".to_string()),
            _ => out.push(line.to_string()),
        }
    }
    out.sort();
    out
}

#[test]
fn module_list_hello_and_info_name_rejson_and_search() {
    let mut s = Session::on_port(common::json_oracle_port());
    for proto in ["2", "3"] {
        let (theirs, ours) = s.both_raw(&args(&["HELLO", proto]));
        let cut = |r: &[u8]| {
            let text = String::from_utf8_lossy(r).into_owned();
            masked(&text.as_bytes()[text.find("modules").unwrap_or(0)..])
        };
        assert_eq!(cut(&ours), cut(&theirs), "HELLO {proto}");
        for cmd in [&["MODULE", "LIST"][..], &["MODULE", "LIST", "x"], &["MODULE"]] {
            let (theirs, ours) = s.both_raw(&args(cmd));
            assert_eq!(masked(&ours), masked(&theirs), "{cmd:?} RESP{proto}");
        }
    }
    let (theirs, ours) = s.both(&["INFO", "modules"]);
    let lines = |f: &playground_engine::Frame| -> std::collections::BTreeSet<String> {
        let text = String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned();
        text.lines()
            .filter(|l| l.starts_with("module:") || l.starts_with("# Modules"))
            .map(str::to_string)
            .collect::<std::collections::BTreeSet<String>>()
    };
    assert_eq!(lines(&ours), lines(&theirs));
    assert_eq!(lines(&ours).len(), 3);
}
