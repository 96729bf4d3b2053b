//! Transactions against Redis 7.4: what DISCARD forgets, which commands MULTI refuses to queue,
//! how EXEC fails under maxmemory, and which writes count as touching a WATCHed key.

mod common;
use common::{args, now_ms, oracle_port, show, Oracle, Session};

/// A second client on both sides (its own oracle connection, its own engine client).
struct Other {
    oracle: Oracle,
    client: u64,
}

impl Other {
    fn new(s: &mut Session) -> Other {
        Other { oracle: Oracle::connect(oracle_port()), client: s.engine.connect(now_ms()) }
    }

    /// Send `cmd` as this client on both sides and assert the same reply bytes.
    #[track_caller]
    fn same(&mut self, s: &mut Session, cmd: &[&str]) {
        let theirs = self.oracle.raw(&args(cmd));
        let mut ours = Vec::new();
        s.engine.execute(self.client, args(cmd), now_ms()).encode(s.engine.protocol(self.client), &mut ours);
        assert_eq!(
            show(&ours),
            show(&theirs),
            "\nother client: {}\n(left: emulator, right: Redis)",
            cmd.join(" ")
        );
    }
}

#[test]
fn discard_forgets_a_touched_watch() {
    let mut s = Session::new();
    s.script(&[
        &["WATCH", "x"],
        &["SET", "x", "10"],
        &["MULTI"],
        &["DISCARD"],
        &["MULTI"],
        &["INCR", "x"],
        &["EXEC"],
        &["GET", "x"],
    ]);
    // Touched by another client: the same.
    let mut other = Other::new(&mut s);
    s.same(&["WATCH", "x"]);
    other.same(&mut s, &["SET", "x", "1"]);
    s.script(&[&["MULTI"], &["DISCARD"], &["MULTI"], &["INCR", "x"], &["EXEC"]]);
    // Without the DISCARD the watch still aborts EXEC.
    s.same(&["WATCH", "x"]);
    other.same(&mut s, &["SET", "x", "1"]);
    s.script(&[&["MULTI"], &["INCR", "x"], &["EXEC"], &["GET", "x"]]);
}

#[test]
fn no_multi_commands_are_refused_at_queue_time() {
    let mut s = Session::new();
    s.script(&[&["MULTI"], &["SET", "k", "v"], &["SAVE"], &["EXEC"], &["EXISTS", "k"]]);
    // The refused command dooms the transaction even after good commands.
    s.script(&[&["MULTI"], &["SAVE"], &["PING"], &["EXEC"]]);
}

#[test]
fn exec_under_maxmemory() {
    let mut s = Session::new();
    let mut other = Other::new(&mut s);
    // Refused while queueing: the command gets the OOM error and EXEC aborts.
    s.script(&[
        &["CONFIG", "SET", "maxmemory", "1"],
        &["MULTI"],
        &["SET", "x", "1"],
        &["GET", "x"],
        &["EXEC"],
        &["CONFIG", "SET", "maxmemory", "0"],
    ]);
    // Queued in time, then memory runs out: EXEC itself is refused, naming the OOM error, and
    // the transaction is gone.
    s.script(&[&["WATCH", "w"], &["MULTI"], &["SET", "x", "1"], &["GET", "x"]]);
    other.same(&mut s, &["CONFIG", "SET", "maxmemory", "1"]);
    s.script(&[&["EXEC"], &["EXEC"], &["GET", "x"]]);
    // The watch went with the transaction.
    other.same(&mut s, &["CONFIG", "SET", "maxmemory", "0"]);
    other.same(&mut s, &["SET", "w", "1"]);
    s.script(&[&["MULTI"], &["PING"], &["EXEC"]]);
    // A transaction with only reads still runs over the limit.
    s.script(&[&["MULTI"], &["GET", "x"], &["PING"]]);
    other.same(&mut s, &["CONFIG", "SET", "maxmemory", "1"]);
    s.script(&[&["EXEC"], &["CONFIG", "SET", "maxmemory", "0"]]);
}

#[test]
fn smove_signals_only_keys_it_changes() {
    let mut s = Session::new();
    let mut other = Other::new(&mut s);
    s.script(&[&["SADD", "src", "m", "n"], &["SADD", "dst", "m"]]);
    // The destination already holds the member: it does not change, the watch holds.
    s.same(&["WATCH", "dst"]);
    other.same(&mut s, &["SMOVE", "src", "dst", "m"]);
    s.script(&[&["MULTI"], &["PING"], &["EXEC"]]);
    // The source did change.
    s.same(&["WATCH", "src"]);
    other.same(&mut s, &["SMOVE", "src", "dst", "n"]);
    s.script(&[&["MULTI"], &["PING"], &["EXEC"]]);
    // A new member does change the destination.
    s.script(&[&["SADD", "src", "o"], &["WATCH", "dst"]]);
    other.same(&mut s, &["SMOVE", "src", "dst", "o"]);
    s.script(&[&["MULTI"], &["PING"], &["EXEC"], &["SMEMBERS", "src"]]);
    s.same_unordered(&["SMEMBERS", "dst"]);
}

/// A watched key whose deadline passes before EXEC (with no active expiry to delete it) fails
/// the transaction; one already stale when watched does not.
#[test]
fn watched_keys_that_expire_before_exec() {
    let mut s = Session::new();
    s.script(&[
        &["FLUSHALL"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
        &["SET", "k", "1", "PX", "30"],
        &["SET", "stale", "1", "PX", "1"],
    ]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.script(&[&["WATCH", "k", "stale"]]);
    std::thread::sleep(std::time::Duration::from_millis(40));
    s.script(&[&["MULTI"], &["INCR", "k"], &["EXEC"]]);
    s.script(&[&["SET", "k", "1", "PX", "1"], &["SET", "other", "1"]]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.script(&[
        &["WATCH", "k"],
        &["MULTI"],
        &["INCR", "other"],
        &["EXEC"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
    ]);
}
