//! `playground-proxy emulate` as a server process: CONFIG SET port moves its listener (or fails
//! and rolls the whole CONFIG SET back), SHUTDOWN ends it.

mod emulate_support;

use emulate_support::Child;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    s
}

/// Send `send`, expect exactly `expected` back.
fn reply(s: &mut TcpStream, send: &[u8], expected: &[u8]) {
    s.write_all(send).expect("write");
    let mut got = vec![0u8; expected.len()];
    s.read_exact(&mut got).expect("read");
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(expected), "reply to {send:?}");
}

#[test]
fn config_set_port_moves_the_listener_or_rolls_everything_back() {
    let server = Child::start();
    let mut s = connect(server.1);
    let own = server.1.to_string();
    reply(
        &mut s,
        b"CONFIG GET port\r\n",
        format!("*2\r\n$4\r\nport\r\n${}\r\n{own}\r\n", own.len()).as_bytes(),
    );
    // A port in use: the CONFIG SET fails on it, and maxmemory keeps its old value.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let set = format!("CONFIG SET maxmemory 10000001 port {port} client-query-buffer-limit 10m\r\n");
    reply(
        &mut s,
        set.as_bytes(),
        b"-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
    );
    reply(&mut s, b"CONFIG GET maxmemory\r\n", b"*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
    reply(&mut connect(server.1), b"PING\r\n", b"+PONG\r\n");
    // Once free, the server moves there: new clients connect on the new port only, the open
    // connection stays.
    drop(taken);
    reply(&mut s, format!("CONFIG SET port {port}\r\n").as_bytes(), b"+OK\r\n");
    reply(&mut connect(port), b"PING\r\n", b"+PONG\r\n");
    assert!(TcpStream::connect(("127.0.0.1", server.1)).is_err(), "the old port still listens");
    reply(&mut s, b"PING\r\n", b"+PONG\r\n");
}

#[test]
fn shutdown_ends_the_process_without_a_reply() {
    let mut server = Child::start();
    let mut s = connect(server.1);
    let mut other = connect(server.1);
    reply(&mut s, b"SHUTDOWN ABORT\r\n", b"-ERR No shutdown in progress.\r\n");
    reply(&mut s, b"SHUTDOWN SAVE NOSAVE\r\n", b"-ERR syntax error\r\n");
    reply(&mut s, b"MULTI\r\nSHUTDOWN\r\nEXEC\r\n", b"+OK\r\n-ERR Command not allowed inside a transaction\r\n-EXECABORT Transaction discarded because of previous errors.\r\n");
    s.write_all(b"SET k v\r\nSHUTDOWN NOSAVE NOW\r\n").expect("write");
    // Redis exits before writing the batch's replies: the connection just closes.
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).expect("read");
    assert_eq!(String::from_utf8_lossy(&rest), "");
    let status = server.0.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let mut buf = [0u8; 1];
    assert_eq!(other.read(&mut buf).unwrap_or(0), 0, "the other client is closed too");
    assert!(TcpStream::connect(("127.0.0.1", server.1)).is_err());
}
