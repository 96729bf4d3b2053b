//! Starting `emulate` for the proxy's tests: in this process (a background runtime) or as the
//! real binary in a child process. Each test file that needs one says `mod emulate_support;`.
#![allow(dead_code)] // each test file uses a part

use playground_proxy::emulate::{serve, Shared};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

/// A TCP port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Start the emulator on a free port in a background runtime; returns the port.
pub fn start() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            serve(listener, Shared::new(7)).await.expect("serve");
        });
    });
    port
}

/// `playground-proxy emulate` as a child process (its own memory, its own exit); killed on drop.
pub struct Child(pub std::process::Child, pub u16);

impl Child {
    /// The binary on a free port, once it listens.
    pub fn start() -> Child {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_playground-proxy"))
            .args(["emulate", "--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "error")
            .spawn()
            .expect("start playground-proxy emulate");
        let child = Child(child, port);
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return child;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("emulate did not listen on {port}");
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}
