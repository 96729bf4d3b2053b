//! The labs' logic, kept free of the page and of any I/O.
//!
//! Every lab step is a [`flow::Flow`]: it hands out the Redis commands it wants to send and is
//! resumed with the replies, until it is done. A driver decides how commands travel: straight
//! into the in-page [`playground_engine::Engine`] ([`flow::run_on_engine`]), or over the
//! proxy's WebSocket to a real server. So the commands a learner sees are the commands that ran.
//!
//! - [`cache_aside`]: a simulated AI app in front of a slow source ("database" or "LLM") with the
//!   seeds' four strategies (cache-aside, read-through, write-through, write-behind) and
//!   invalidation on update; [`workload`] generates Zipf-skewed traffic on the virtual clock;
//!   [`metrics`] keeps hit ratio, latency percentiles, cost saved and stale reads.
//! - [`semantic`]: the semantic cache of the seeds (FT.CREATE HNSW COSINE, HSET + EXPIRE,
//!   FT.SEARCH KNN with a similarity threshold), with reply parsing for RESP2 and RESP3.
//! - [`pca`]: a 2-D projection of embeddings for the lab's map, [`labels`]: where its labels go
//!   without overlapping; [`threshold`]: precision and
//!   hit rate as the threshold moves; [`starter`]: our starter Q&A set with paraphrases.
//! - [`lessons`]: guided lessons on the course's patterns, with checks over the commands a
//!   learner ran and the replies they got; [`quiz`]: the knowledge checks at their end.
//! - [`round_trip`]: the real server's round trip as the labs charge it.

pub mod cache_aside;
pub mod flow;
pub mod labels;
pub mod lessons;
pub mod metrics;
pub mod pca;
pub mod quiz;
pub mod round_trip;
pub mod semantic;
pub mod starter;
pub mod threshold;
pub mod workload;
