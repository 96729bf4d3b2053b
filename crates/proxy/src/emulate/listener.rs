//! The listening socket, which CONFIG SET port moves as Redis's `changeListener` does: the new
//! port is bound before the command answers (so a port in use fails the whole CONFIG SET, rolled
//! back), then connections are accepted there and no longer on the old one; port 0 listens on
//! none. Connections already open stay.

use super::{connection, Shared};
use std::net::IpAddr;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Accept connections forever, on whichever port the engine's config says.
pub(super) async fn accept(listener: TcpListener, shared: Shared) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let (moved, mut moves) = mpsc::unbounded_channel::<Option<std::net::TcpListener>>();
    shared.lock().set_listener(
        addr.port(),
        Box::new(move |port| {
            let next = if port == 0 { None } else { Some(bind(addr.ip(), port).map_err(|e| e.to_string())?) };
            moved.send(next).map_err(|e| e.to_string())
        }),
    );
    let mut listener = Some(listener);
    loop {
        let accepted = tokio::select! {
            accepted = async {
                match &listener {
                    Some(listener) => listener.accept().await,
                    None => std::future::pending().await,
                }
            } => accepted,
            next = moves.recv() => {
                listener = next.flatten().map(TcpListener::from_std).transpose()?;
                continue;
            }
        };
        let (stream, peer) = accepted?;
        let shared = shared.clone();
        tokio::spawn(async move {
            if let Err(e) = connection(stream, shared).await {
                tracing::debug!("connection {peer} ended: {e}");
            }
        });
    }
}

fn bind(ip: IpAddr, port: u16) -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind((ip, port))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}
