//! FT.* passthrough against the Redis 7.4 + RediSearch oracle (plain TCP, 127.0.0.1:16379,
//! started by the shared oracle script if it is not running).

mod serve_support;

use serve_support::*;
use std::path::PathBuf;

fn oracle_port() -> u16 {
    if let Ok(p) = std::env::var("REDIS_ORACLE_PORT") {
        return p.parse().expect("REDIS_ORACLE_PORT must be a port");
    }
    if std::net::TcpStream::connect(("127.0.0.1", 16379)).is_err() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let script = root.join("../shared/oracle/redis-stack");
        let out = std::process::Command::new("bash").arg(&script).arg("start").arg("16379").output();
        assert!(
            out.is_ok_and(|o| o.status.success()),
            "the Redis oracle did not start ({})",
            script.display()
        );
    }
    16379
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ft_commands_pass_through_byte_for_byte() {
    let port = oracle_port();
    let proxy = Proxy::start(&args(&format!("redis://127.0.0.1:{port}"), None)).await;
    let (_, h) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert_eq!(h["upstream"]["state"], "up", "{h}");
    assert_eq!(h["upstream"]["search"], true, "{h}");

    let mut ws = proxy.connect().await;
    let mut up = direct(&proxy.state).await;
    // Fresh index and docs under a prefix unique to this file (the oracle is shared).
    let setup: &[&[&str]] = &[
        &["FT.DROPINDEX", "proxytest:idx", "DD"],
        &[
            "FT.CREATE",
            "proxytest:idx",
            "ON",
            "HASH",
            "PREFIX",
            "1",
            "proxytest:doc:",
            "SCHEMA",
            "title",
            "TEXT",
            "n",
            "NUMERIC",
            "SORTABLE",
        ],
        &["HSET", "proxytest:doc:1", "title", "redis caching for ai", "n", "1"],
        &["HSET", "proxytest:doc:2", "title", "semantic cache", "n", "2"],
    ];
    let got = ws.call(setup).await;
    assert_eq!(split_replies(&got).len(), 4);
    let queries: &[&[&str]] = &[
        &["FT.SEARCH", "proxytest:idx", "cach*", "SORTBY", "n", "ASC"],
        &["FT.SEARCH", "proxytest:idx", "@n:[2 2]", "RETURN", "1", "title"],
        &["FT.SEARCH", "proxytest:idx", "nothing-matches"],
        &["FT.SEARCH", "no-such-index", "x"],
        &["FT.AGGREGATE", "proxytest:idx", "*", "GROUPBY", "0", "REDUCE", "COUNT", "0", "AS", "c"],
    ];
    let via_proxy = ws.call(queries).await;
    let via_direct = direct_call(&mut up, queries).await;
    assert_eq!(text(&via_proxy), text(&via_direct));
    assert!(text(&via_proxy).contains("semantic cache"));
    ws.call(&[&["FT.DROPINDEX", "proxytest:idx", "DD"]]).await;
}
