//! A 3-master Redis Cluster on loopback for the proxy's cluster tests: Debian's `redis-server`
//! (7.0) nodes with `--cluster-enabled yes` in temp dirs, joined with
//! `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`.
//!
//! Ports: `REDIS_CLUSTER_PORT` (default 17041) and the next ones, cluster bus +10000. Tests
//! take [`Cluster::lock`] so one cluster runs at a time on those ports.

use super::TempDir;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One node: its port and process.
pub struct Node {
    pub port: u16,
    child: Option<Child>,
    args: Vec<String>,
}

impl Node {
    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server");
        self.child = Some(child);
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(t.elapsed() < Duration::from_secs(10), "node on port {} did not start", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A running cluster; nodes are killed on drop.
pub struct Cluster {
    pub nodes: Vec<Node>,
    /// redis-cli's connection options (TLS, password) before `-p`.
    cli_opts: Vec<String>,
    /// Set for a TLS cluster: the URL is `rediss://` with the password.
    tls: bool,
    _dir: TempDir,
}

/// Whether the tools are installed (the tests skip, saying so, when they are not).
pub fn available() -> bool {
    let ok =
        |bin: &str| Command::new(bin).arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if ok("redis-server") && ok("redis-cli") {
        return true;
    }
    eprintln!("SKIPPED: redis-server / redis-cli not found (apt-get install redis-server redis-tools)");
    false
}

/// Serialises the tests of one process (they share the ports).
pub async fn lock() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}

fn base_port() -> u16 {
    std::env::var("REDIS_CLUSTER_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(17041)
}

impl Cluster {
    /// Start `n` masters and create the cluster (slots split evenly), waiting for state ok.
    pub fn start(n: usize) -> Cluster {
        Cluster::start_with(n, 0, None)
    }

    /// `masters` primaries with `replicas` replicas each (redis-cli picks which node is which).
    pub fn start_replicas(masters: usize, replicas: usize) -> Cluster {
        Cluster::start_with(masters, replicas, None)
    }

    /// As [`Cluster::start`], every node (clients and cluster bus) on TLS only, with the
    /// certificate of `pki` and [`super::PASSWORD`].
    pub fn start_tls(n: usize, pki: &super::Pki) -> Cluster {
        Cluster::start_with(n, 0, Some(pki))
    }

    fn start_with(masters: usize, replicas: usize, pki: Option<&super::Pki>) -> Cluster {
        let dir = TempDir::new("cluster");
        let mut nodes = Vec::new();
        for i in 0..masters * (1 + replicas) {
            let port = base_port() + i as u16;
            let nd = dir.0.join(port.to_string());
            std::fs::create_dir_all(&nd).unwrap();
            let args: Vec<String> = [
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "3000",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                &nd.display().to_string(),
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let mut args = args;
            if let Some(pki) = pki {
                // `--port 0 --tls-port P`: TLS only; the bus (P + 10000) too.
                args[1] = "0".into();
                let tls = [
                    "--tls-port".to_string(),
                    port.to_string(),
                    "--tls-cluster".into(),
                    "yes".into(),
                    "--tls-cert-file".into(),
                    pki.cert.display().to_string(),
                    "--tls-key-file".into(),
                    pki.key.display().to_string(),
                    "--tls-ca-cert-file".into(),
                    pki.ca.display().to_string(),
                    "--tls-auth-clients".into(),
                    "no".into(),
                    "--requirepass".into(),
                    super::PASSWORD.into(),
                    "--masterauth".into(),
                    super::PASSWORD.into(),
                ];
                args.extend(tls);
            }
            let mut node = Node { port, child: None, args };
            node.spawn();
            nodes.push(node);
        }
        let cli_opts = match pki {
            Some(pki) => vec![
                "--tls".to_string(),
                "--cacert".into(),
                pki.ca.display().to_string(),
                "-a".into(),
                super::PASSWORD.into(),
                "--no-auth-warning".into(),
            ],
            None => vec![],
        };
        let c = Cluster { nodes, cli_opts, tls: pki.is_some(), _dir: dir };
        let mut create = c.cli_opts.clone();
        create.extend(["--cluster".to_string(), "create".to_string()]);
        create.extend(c.nodes.iter().map(|n| format!("127.0.0.1:{}", n.port)));
        create.extend(["--cluster-replicas".to_string(), replicas.to_string(), "--cluster-yes".into()]);
        let out = Command::new("redis-cli").args(&create).output().expect("redis-cli");
        assert!(out.status.success(), "cluster create failed: {}", String::from_utf8_lossy(&out.stdout));
        c.wait_ok();
        c
    }

    /// The URL of the first node (what a user would paste).
    pub fn url(&self) -> String {
        if self.tls {
            format!("rediss://default:{}@localhost:{}", super::PASSWORD, self.nodes[0].port)
        } else {
            format!("redis://127.0.0.1:{}", self.nodes[0].port)
        }
    }

    /// `redis-cli -p <node i> args...`, stdout trimmed.
    pub fn cli(&self, i: usize, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(&self.cli_opts)
            .args(["-p", &self.nodes[i].port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Wait until every node says `cluster_state:ok` and agrees on the slots.
    pub fn wait_ok(&self) {
        let t = Instant::now();
        loop {
            let ok = (0..self.nodes.len()).all(|i| {
                let info = self.cli(i, &["CLUSTER", "INFO"]);
                info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384")
            });
            if ok {
                return;
            }
            assert!(t.elapsed() < Duration::from_secs(30), "cluster did not reach cluster_state:ok");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The node id of node `i`.
    pub fn id(&self, i: usize) -> String {
        self.cli(i, &["CLUSTER", "MYID"])
    }

    /// Index of the primary owning `slot`, as the first running node sees it.
    pub fn owner(&self, slot: u16) -> usize {
        let asked = self.nodes.iter().position(|n| n.child.is_some()).expect("a running node");
        let slots = self.cli(asked, &["CLUSTER", "SLOTS"]);
        let lines: Vec<&str> = slots.lines().collect();
        // redis-cli prints each range as: start, end, host, port, id (one per line).
        for chunk in lines.windows(4) {
            if let (Ok(a), Ok(b), Ok(port)) =
                (chunk[0].parse::<u16>(), chunk[1].parse::<u16>(), chunk[3].parse::<u16>())
            {
                if a <= slot && slot <= b {
                    if let Some(i) = self.nodes.iter().position(|n| n.port == port) {
                        return i;
                    }
                }
            }
        }
        panic!("no owner for slot {slot} in {slots}");
    }

    /// Kill node `i` (SIGKILL).
    pub fn kill(&mut self, i: usize) {
        self.nodes[i].kill();
    }

    /// Start node `i` again with its nodes.conf (same id and slots) and wait for the cluster.
    pub fn restart(&mut self, i: usize) {
        self.nodes[i].kill();
        self.nodes[i].spawn();
        self.wait_ok();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for n in &mut self.nodes {
            n.kill();
        }
    }
}

/// `emulate --cluster n` in this process, on free ports; the ports, first node first.
pub fn emulated(n: usize) -> Vec<u16> {
    use playground_proxy::emulate::{cluster::Layout, serve, Shared};
    let listeners: Vec<std::net::TcpListener> =
        (0..n).map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("bind")).collect();
    let ports: Vec<u16> = listeners.iter().map(|l| l.local_addr().unwrap().port()).collect();
    let layout = std::sync::Arc::new(Layout::on_ports(&ports, "127.0.0.1", 7));
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let mut tasks = Vec::new();
            for (i, l) in listeners.into_iter().enumerate() {
                l.set_nonblocking(true).unwrap();
                let l = tokio::net::TcpListener::from_std(l).unwrap();
                tasks.push(tokio::spawn(serve(l, Shared::cluster_node(7, layout.clone(), i))));
            }
            for t in tasks {
                let _ = t.await;
            }
        });
    });
    ports
}
