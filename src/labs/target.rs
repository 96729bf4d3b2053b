//! Where the labs' commands run: the page's engine or a real Redis through the proxy.
//!
//! Both labs build their Redis traffic as `playground-labs` flows and hand them to
//! [`playground_labs::flow::drive`] with the [`Sender`] of a [`LabTarget`]. The in-page engine
//! answers at once, at the virtual clock's time, on a connection of the lab's own (so the
//! console's SELECT or MULTI never catches the lab's commands); a real server answers over a
//! WebSocket of the lab's own, opened when the proxy backend is chosen. The flows, and so the
//! commands a learner reads in the log, are the same on both.

use crate::backend::remote::{send_all, RemoteBackend, RemoteHandle};
use crate::session::SessionHandle;
use playground_labs::flow::Sender;
use std::rc::Rc;

#[derive(Clone, PartialEq)]
pub enum LabTarget {
    /// The engine in the page, through the lab's own client id.
    Local { session: SessionHandle, client: u64 },
    /// A real server through `playground-proxy serve`.
    Remote(RemoteHandle),
}

impl LabTarget {
    /// A new connection for a lab: to the proxy at `remote_url` when the learner chose a real
    /// server, else to the page's engine.
    pub fn connect(session: &SessionHandle, remote_url: Option<&str>) -> LabTarget {
        match remote_url {
            Some(url) => LabTarget::Remote(RemoteHandle(Rc::new(RemoteBackend::connect(url)))),
            None => {
                let client = session.update(|s| s.engine.connect(s.clock.now())).unwrap_or(0);
                LabTarget::Local { session: session.clone(), client }
            }
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, LabTarget::Remote(_))
    }

    /// The in-page session, for the views that read the engine's insides (the HNSW graph).
    pub fn session(&self) -> Option<&SessionHandle> {
        match self {
            LabTarget::Local { session, .. } => Some(session),
            LabTarget::Remote(_) => None,
        }
    }

    /// Where to send a flow's pipelines.
    pub fn sender(&self) -> Sender {
        match self.clone() {
            LabTarget::Local { session, client } => Rc::new(move |cmds, reply| {
                let replies = session
                    .update(|s| {
                        s.dirty = true;
                        let now = s.clock.now();
                        cmds.into_iter().map(|c| s.engine.execute(client, c, now)).collect()
                    })
                    .unwrap_or_default();
                reply(replies)
            }),
            LabTarget::Remote(remote) => Rc::new(move |cmds, reply| send_all(&*remote.0, cmds, reply)),
        }
    }

    /// Words for the header of a lab: where its commands go.
    pub fn describe(&self) -> String {
        match self {
            LabTarget::Local { .. } => "Commands run in the engine in this page.".into(),
            LabTarget::Remote(remote) => {
                format!("Commands run on the real server behind the proxy at {}.", remote.0.url())
            }
        }
    }
}
