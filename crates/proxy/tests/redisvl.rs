//! RedisVL (Redis's library for semantic caches and vector search, from PyPI, unchanged) against
//! `playground-proxy emulate` and against Redis 7.4 + RediSearch + RedisJSON, step by step:
//! `tests/python/redisvl_check.py` says what it drives and compares.

mod emulate_support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The versions the check was written against (RedisVL pulls redis-py, numpy and pydantic).
const REDISVL: &str = "redisvl==0.28.0";
const REDIS_PY: &str = "redis==8.2.0";

/// The oracle with RedisJSON (`REDIS_JSON_ORACLE_PORT`, or 16380 started by the shared script).
fn json_oracle_port() -> u16 {
    if let Ok(p) = std::env::var("REDIS_JSON_ORACLE_PORT") {
        return p.parse().expect("REDIS_JSON_ORACLE_PORT must be a port");
    }
    if std::net::TcpStream::connect(("127.0.0.1", 16380)).is_err() {
        let script = root().join("../shared/oracle/redis-stack");
        let out =
            Command::new("bash").arg(&script).args(["start", "16380", "--with", "json", "--debug"]).output();
        assert!(
            out.is_ok_and(|o| o.status.success()),
            "the Redis oracle with JSON did not start ({})",
            script.display()
        );
    }
    16380
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A venv under target/ with RedisVL; pip is quiet and quick once it is there.
fn redisvl_python() -> PathBuf {
    let venv = root().join("target/redisvl-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().expect("python3");
        assert!(made.success(), "python3 -m venv failed");
    }
    let have = Command::new(&python)
        .args(["-c", "import redisvl.version, redis; print(redisvl.version.__version__, redis.__version__)"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let want = format!("{} {}", &REDISVL[9..], &REDIS_PY[7..]);
    if have != want {
        let pip = Command::new(&python)
            .args(["-m", "pip", "install", "-q", REDISVL, REDIS_PY])
            .output()
            .expect("pip");
        assert!(pip.status.success(), "pip install {REDISVL}: {}", String::from_utf8_lossy(&pip.stderr));
    }
    python
}

#[test]
fn redisvl_gets_the_same_answers_from_emulate_as_from_redis() {
    let (ours, theirs) = (emulate_support::start(), json_oracle_port());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/redisvl_check.py");
    let out = Command::new(redisvl_python())
        .args(["-W", "ignore"])
        .arg(script)
        .args([ours.to_string(), theirs.to_string()])
        .output()
        .expect("run the RedisVL check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "RedisVL check failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("steps identical"), "{text}");
}
