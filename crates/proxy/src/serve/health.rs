//! `/health`: is Redis reachable, which version, which modules (so the page can say
//! "FT.* unavailable: the search module is missing").

use super::AppState;
use playground_engine::frame::Frame;
use playground_engine::resp;
use serde_json::{json, Value};

/// Build the health document (a fresh connection each time: it proves connect + TLS + AUTH).
pub async fn report(state: &AppState) -> Value {
    let upstream = match probe(state).await {
        Ok(v) => v,
        Err(e) => json!({ "state": "down", "error": state.redactor.clean(&e) }),
    };
    let cluster = cluster(state).await;
    json!({
        "proxy": "playground-proxy",
        "proxy_version": env!("CARGO_PKG_VERSION"),
        "redis": state.connector.target.display,
        "tls": state.connector.target.tls,
        "auth": state.connector.creds.kind(),
        "upstream": upstream,
        "policy": {
            "allow_dangerous": state.policy.allow_dangerous,
            "key_prefix": state.policy.key_prefix.as_ref().map(|p| String::from_utf8_lossy(p).into_owned()),
        },
        "embeddings": state.embeddings.is_some(),
        "cluster": cluster,
        "sessions": state.sessions_open(),
    })
}

/// For a Redis Cluster, its shards (primary address and slot ranges); `null` for a single
/// endpoint (or while Redis cannot be reached).
async fn cluster(state: &AppState) -> Value {
    match state.cluster.mode(&state.connector).await {
        Ok(super::cluster::Mode::Cluster(shared)) => {
            let shards: Vec<Value> = shared
                .topology()
                .shards
                .iter()
                .map(|s| {
                    let ranges: Vec<Value> = s.ranges.iter().map(|(a, b)| json!([a, b])).collect();
                    json!({ "addr": s.addr(), "slots": ranges })
                })
                .collect();
            json!({ "shards": shards })
        }
        _ => Value::Null,
    }
}

fn text(f: &Frame) -> Option<String> {
    match f {
        Frame::Bulk(b) | Frame::Verbatim(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Frame::Simple(s) => Some(s.clone()),
        Frame::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Pairs of a RESP2 flat map or a RESP3 map.
fn pairs(f: &Frame) -> Vec<(String, Frame)> {
    match f {
        Frame::Map(m) => m.iter().filter_map(|(k, v)| Some((text(k)?, v.clone()))).collect(),
        Frame::Array(a) => a.chunks(2).filter_map(|c| Some((text(c.first()?)?, c.get(1)?.clone()))).collect(),
        _ => Vec::new(),
    }
}

async fn probe(state: &AppState) -> Result<Value, String> {
    let mut up = state.connector.connect().await.map_err(|e| e.0)?;
    let t = state.connector.timeout;
    let raw = up.command(&["HELLO".into(), "2".into()], t).await.map_err(|e| e.0)?;
    let limits = resp::Limits::default();
    let hello = resp::parse_frame(&raw, &limits).ok().flatten().map(|(f, _)| f);
    let mut out = json!({ "state": "up" });
    match hello {
        Some(f) if !f.is_error() => {
            for (k, v) in pairs(&f) {
                match k.as_str() {
                    "server" | "version" | "mode" | "role" => out[k] = json!(text(&v)),
                    "modules" => {
                        let list: Vec<Value> = match &v {
                            Frame::Array(items) => items
                                .iter()
                                .map(|m| {
                                    let p = pairs(m);
                                    let get =
                                        |n: &str| p.iter().find(|(k, _)| k == n).and_then(|(_, v)| text(v));
                                    json!({ "name": get("name"), "ver": get("ver") })
                                })
                                .collect(),
                            _ => Vec::new(),
                        };
                        out["modules"] = json!(list);
                    }
                    _ => {}
                }
            }
        }
        _ => {
            // HELLO refused (old server or restricted user): fall back to INFO server.
            let raw = up.command(&["INFO".into(), "server".into()], t).await.map_err(|e| e.0)?;
            let info = String::from_utf8_lossy(&raw).into_owned();
            let version = info
                .lines()
                .find_map(|l| l.strip_prefix("redis_version:"))
                .map(str::trim)
                .map(str::to_string);
            out["server"] = json!("redis");
            out["version"] = json!(version);
            out["modules"] = json!([]);
        }
    }
    let names: Vec<String> = out["modules"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["name"].as_str().map(str::to_ascii_lowercase)).collect())
        .unwrap_or_default();
    out["search"] = json!(names.iter().any(|n| n == "search" || n == "ft"));
    out["json"] = json!(names.iter().any(|n| n == "rejson" || n == "json" || n == "rejson-rl"));
    Ok(out)
}
