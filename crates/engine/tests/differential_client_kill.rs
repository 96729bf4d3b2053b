//! CLIENT KILL's filters and their errors against the oracle: ID, TYPE, USER, ADDR, LADDR,
//! SKIPME, MAXAGE, the old `ip:port` form; killed connections are gone for both sides.

mod common;
use common::Session;

#[test]
fn kill_errors() {
    let mut s = Session::new();
    s.script(&[
        &["CLIENT", "KILL", "MAXAGE", "-1"],
        &["CLIENT", "KILL", "MAXAGE", "0"],
        &["CLIENT", "KILL", "MAXAGE", "x"],
        &["CLIENT", "KILL", "ID", "0"],
        &["CLIENT", "KILL", "ID", "x"],
        &["CLIENT", "KILL", "TYPE", "nosuch"],
        &["CLIENT", "KILL", "USER", "nosuch"],
        &["CLIENT", "KILL", "SKIPME", "maybe"],
        &["CLIENT", "KILL", "NOSUCH", "x"],
        &["CLIENT", "KILL", "ID", "1", "TYPE"],
        &["CLIENT", "KILL", "1.2.3.4:5"],
        &["CLIENT", "KILL", "ADDR", "1.2.3.4:5"],
        &["CLIENT", "KILL", "LADDR", "1.2.3.4:5"],
        &["CLIENT", "KILL", "TYPE", "master"],
        &["CLIENT", "KILL", "TYPE", "replica"],
        &["CLIENT", "KILL", "ID", "999999"],
        &["CLIENT", "KILL", "MAXAGE", "100000"],
    ]);
}

#[test]
fn kill_by_user_type_and_id() {
    let mut s = Session::new();
    s.run(&["ACL", "DELUSER", "killme"]);
    s.same(&["ACL", "SETUSER", "killme", "on", "nopass", "+@all", "~*", "&*"]);
    let a = s.connect();
    let b = s.connect();
    let c = s.connect();
    s.on(a, &["AUTH", "killme", "x"]);
    s.on(b, &["AUTH", "killme", "x"]);
    let ids = s.client_ids(c);
    s.on(c, &["SUBSCRIBE", "killchan"]);
    s.on(a, &["CLIENT", "KILL", "USER", "killme", "TYPE", "pubsub"]);
    // SKIPME yes (the default) spares the caller.
    s.on(a, &["CLIENT", "KILL", "USER", "killme", "TYPE", "normal"]);
    s.hang_up(b);
    s.on(a, &["CLIENT", "KILL", "USER", "killme", "SKIPME", "no"]);
    s.hang_up(a);
    s.on_naming(0, &["CLIENT", "KILL", "ID", "{a}", "SKIPME", "yes"], ids);
    // Killed, it no longer receives (before its host even noticed).
    s.same(&["PUBLISH", "killchan", "gone"]);
    s.hang_up(c);
    s.same(&["ACL", "DELUSER", "killme"]);
}
