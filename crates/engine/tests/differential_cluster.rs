//! CLUSTER, READONLY, READWRITE and ASKING on a server without cluster mode, against Redis 7.4:
//! every subcommand refused, with the arity and subcommand errors checked first.

mod common;
use common::Session;

fn refused(s: &mut Session) {
    s.script(&[
        &["CLUSTER", "KEYSLOT", "user:{42}:cart"],
        &["CLUSTER", "KEYSLOT"],
        &["CLUSTER", "keyslot", "a", "b"],
        &["CLUSTER", "INFO"],
        &["CLUSTER", "INFO", "x"],
        &["CLUSTER", "HELP"],
        &["CLUSTER", "SHARDS"],
        &["CLUSTER", "SLOTS"],
        &["CLUSTER", "NODES"],
        &["CLUSTER", "MYID"],
        &["CLUSTER", "COUNTKEYSINSLOT", "12"],
        &["CLUSTER", "GETKEYSINSLOT", "12", "10"],
        &["CLUSTER", "GETKEYSINSLOT", "12"],
        &["CLUSTER", "ADDSLOTS", "1", "2"],
        &["CLUSTER", "SETSLOT", "1", "STABLE"],
        &["CLUSTER", "RESET"],
        &["CLUSTER", "MEET", "127.0.0.1"],
        &["CLUSTER", "NOSUCH"],
        &["CLUSTER"],
        &["READONLY"],
        &["READONLY", "x"],
        &["READWRITE"],
        &["ASKING"],
        &["ASKING", "x"],
        &["COMMAND", "INFO", "readonly", "readwrite", "asking"],
        &["COMMAND", "INFO", "cluster|keyslot", "cluster|setslot", "cluster|reset", "cluster|help"],
    ]);
}

#[test]
fn cluster_commands_refused_in_resp2() {
    let mut s = Session::new();
    refused(&mut s);
}

#[test]
fn cluster_commands_refused_in_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    s.script(&[&["CLUSTER", "KEYSLOT", "k"], &["READONLY"], &["CLUSTER", "NOSUCH"]]);
}
