//! Where the labs' commands run: the page's engine or a real Redis through the proxy.
//!
//! Both labs build their Redis traffic as `playground-labs` flows and hand them to
//! [`playground_labs::flow::drive`] with the [`Sender`] of a [`LabTarget`]. The in-page engine
//! answers at once, at the virtual clock's time, on a connection of the lab's own (so the
//! console's SELECT or MULTI never catches the lab's commands); a real server answers over a
//! WebSocket of the lab's own, opened when the proxy backend is chosen. The flows, and so the
//! commands a learner reads in the log, are the same on both.

use super::link::Link;
use crate::backend::remote::{send_all, RemoteBackend, RemoteHandle};
use playground_labs::flow::Sender;
use playground_labs::round_trip::RoundTripMeter;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Clone, PartialEq)]
pub enum LabTarget {
    /// The engine in the page, through the lab's own client id.
    Local { link: Link, client: u64 },
    /// A real server through `playground-proxy serve`.
    Remote(RemoteHandle, RoundTrip),
}

/// The measured round trip of a lab's pipelines to a real server (page -> proxy -> Redis and
/// back, sampled on an idle link: see [`RoundTripMeter`]), so the cache-aside lab charges hits
/// what they really cost on that link.
#[derive(Clone, Default)]
pub struct RoundTrip(Rc<RefCell<RoundTripMeter>>);

impl PartialEq for RoundTrip {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl RoundTrip {
    /// The smoothed round trip in ms, once one was measured.
    pub fn ms(&self) -> Option<f64> {
        self.0.borrow().ms()
    }
}

fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

impl LabTarget {
    /// A new connection for a lab: to the proxy at `remote_url` when the learner chose a real
    /// server, else to the page's engine.
    pub fn connect(link: &Link, remote_url: Option<&str>) -> LabTarget {
        match remote_url {
            Some(url) => {
                LabTarget::Remote(RemoteHandle(Rc::new(RemoteBackend::connect(url))), RoundTrip::default())
            }
            None => LabTarget::Local { link: link.clone(), client: link.connect() },
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, LabTarget::Remote(..))
    }

    /// The link to the page's engine, for the views that read its insides (the HNSW graph).
    pub fn local(&self) -> Option<&Link> {
        match self {
            LabTarget::Local { link, .. } => Some(link),
            LabTarget::Remote(..) => None,
        }
    }

    /// The measured round trip to a real server; `None` in the page (where the lab assumes an
    /// in-region round trip) or before the first reply.
    pub fn round_trip_ms(&self) -> Option<f64> {
        match self {
            LabTarget::Remote(_, round_trip) => round_trip.ms(),
            LabTarget::Local { .. } => None,
        }
    }

    /// Where to send a flow's pipelines.
    pub fn sender(&self) -> Sender {
        match self.clone() {
            LabTarget::Local { link, client } => {
                Rc::new(move |cmds, reply| reply(link.execute(client, cmds, None)))
            }
            LabTarget::Remote(remote, round_trip) => Rc::new(move |cmds, reply| {
                let (sent_at, round_trip) = (performance_now(), round_trip.clone());
                let ticket = round_trip.0.borrow_mut().sent();
                send_all(&*remote.0, cmds, move |replies| {
                    round_trip.0.borrow_mut().received(ticket, performance_now() - sent_at);
                    reply(replies)
                })
            }),
        }
    }

    /// Words for the header of a lab: where its commands go.
    pub fn describe(&self) -> String {
        match self {
            LabTarget::Local { .. } => "Commands run in the engine in this page.".into(),
            LabTarget::Remote(remote, round_trip) => {
                let url = crate::backend::choice::without_token(&remote.0.url());
                match round_trip.ms() {
                    Some(ms) => format!(
                        "Commands run on the real server behind the proxy at {url} (round trip {ms:.1} ms: page, proxy, Redis and back, timed on pipelines sent while no other was waiting)."
                    ),
                    None => format!("Commands run on the real server behind the proxy at {url}."),
                }
            }
        }
    }
}
