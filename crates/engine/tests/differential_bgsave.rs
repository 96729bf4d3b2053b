//! A BGSAVE that takes time (`rdb-key-save-delay`), against the oracle: in progress in INFO,
//! BGSAVE, BGSAVE SCHEDULE and SAVE refused meanwhile, FLUSHALL kills it, a short one finishes
//! and counts (`rdb_saves`, `rdb_bgsave_in_progress`), RESP2 and RESP3.

mod common;
use common::{remove_saved_file, Session};
use playground_engine::Frame;

/// An INFO persistence field on both sides: (oracle, ours).
fn field(s: &mut Session, name: &str) -> (String, String) {
    let (theirs, ours) = s.run(&["INFO", "persistence"]);
    let get = |f: &Frame| {
        let text = String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned();
        let prefix = format!("{name}:");
        text.lines().find_map(|l| l.strip_prefix(&prefix).map(str::to_owned)).unwrap_or_default()
    };
    (get(&theirs), get(&ours))
}

/// The oracle reaps a killed or finished child in its cron: wait for it.
fn wait_not_saving(s: &mut Session) {
    for _ in 0..100 {
        if field(s, "rdb_bgsave_in_progress").0 == "0" {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the oracle's BGSAVE did not end");
}

fn slow_bgsave(s: &mut Session) {
    wait_not_saving(s);
    let saves = field(s, "rdb_saves");
    s.script(&[
        &["FLUSHALL"],
        &["SET", "k", "v"],
        &["CONFIG", "SET", "rdb-key-save-delay", "10000000"],
        &["BGSAVE"],
        &["BGSAVE"],
        &["BGSAVE", "SCHEDULE"],
        &["BGSAVE", "NOW"],
        &["SAVE"],
    ]);
    let (theirs, ours) = field(s, "rdb_bgsave_in_progress");
    assert_eq!((theirs.as_str(), ours.as_str()), ("1", "1"));
    let (theirs, ours) = field(s, "rdb_current_bgsave_time_sec");
    assert_eq!((theirs.as_str(), ours.as_str()), ("0", "0"));
    s.script(&[&["CONFIG", "SET", "rdb-key-save-delay", "0"], &["FLUSHALL"]]);
    assert_eq!(field(s, "rdb_bgsave_in_progress").1, "0", "FLUSHALL kills the save");
    wait_not_saving(s);
    // A short one (200 ms for the one key) finishes, and each counts one save from its start.
    s.script(&[&["SET", "k", "v"], &["CONFIG", "SET", "rdb-key-save-delay", "200000"], &["BGSAVE"]]);
    assert_eq!(field(s, "rdb_bgsave_in_progress").1, "1");
    std::thread::sleep(std::time::Duration::from_millis(300));
    wait_not_saving(s);
    let (theirs, ours) = field(s, "rdb_bgsave_in_progress");
    assert_eq!((theirs.as_str(), ours.as_str()), ("0", "0"));
    let after = field(s, "rdb_saves");
    let delta = |a: &str, b: &str| a.parse::<i64>().unwrap_or(-100) - b.parse::<i64>().unwrap_or(0);
    assert_eq!((delta(&after.0, &saves.0), delta(&after.1, &saves.1)), (2, 2), "rdb_saves");
    s.same(&["DBSIZE"]);
    s.script(&[
        &["CONFIG", "SET", "rdb-key-save-delay", "0"],
        &["BGSAVE", "x"],
        &["BGSAVE", "SCHEDULE", "x"],
    ]);
    wait_not_saving(s);
    remove_saved_file(s);
}

#[test]
fn slow_bgsave_resp2() {
    let mut s = Session::new();
    slow_bgsave(&mut s);
}

#[test]
fn slow_bgsave_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    slow_bgsave(&mut s);
}
