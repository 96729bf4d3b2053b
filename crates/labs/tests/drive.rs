//! The callback driver ([`drive`]) that the page uses for both backends: replies that arrive
//! later (as over the proxy's WebSocket) must give the same results and the same commands as
//! the in-process driver, and the lab's multi-round flows must follow SCAN cursors to the end.

use playground_embed::{Embedder, LexicalEmbedder};
use playground_engine::{Engine, Frame};
use playground_labs::cache_aside::{CacheAsideLab, Invalidation, LabConfig, Outcome};
use playground_labs::flow::{command, drive, run_on_engine, Command, Exchange, Sender};
use playground_labs::semantic::{Asked, SemanticCache};
use playground_labs::workload::Request;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

type Reply = Box<dyn FnOnce(Vec<Frame>)>;

/// An engine behind a sender that answers only when [`Deferred::deliver`] runs, the way a
/// WebSocket answers after the event loop turns.
struct Deferred {
    engine: RefCell<Engine>,
    client: u64,
    queue: RefCell<VecDeque<(Vec<Command>, Reply)>>,
    pipelines: RefCell<usize>,
}

impl Deferred {
    fn new() -> Rc<Deferred> {
        let mut engine = Engine::new(9, 0);
        let client = engine.connect(0);
        Rc::new(Deferred {
            engine: RefCell::new(engine),
            client,
            queue: RefCell::default(),
            pipelines: RefCell::new(0),
        })
    }

    fn sender(self: &Rc<Self>) -> Sender {
        let me = self.clone();
        Rc::new(move |cmds, reply| {
            *me.pipelines.borrow_mut() += 1;
            me.queue.borrow_mut().push_back((cmds, reply));
        })
    }

    /// Answer queued pipelines until none is left.
    fn deliver(&self) {
        loop {
            let Some((cmds, reply)) = self.queue.borrow_mut().pop_front() else { return };
            let replies =
                cmds.into_iter().map(|c| self.engine.borrow_mut().execute(self.client, c, 1)).collect();
            reply(replies);
        }
    }

    fn run(&self, cmd: &[&str]) -> Frame {
        self.engine.borrow_mut().execute(self.client, command(cmd.iter().copied()), 1)
    }
}

/// Where a finished flow's output and exchanges land.
type Slot<T> = Rc<RefCell<Option<(T, Vec<Exchange>)>>>;

fn capture<T: 'static>() -> (Slot<T>, impl FnOnce(T, Vec<Exchange>)) {
    let slot = Rc::new(RefCell::new(None));
    let out = slot.clone();
    (slot, move |value, log| *out.borrow_mut() = Some((value, log)))
}

fn ask(target: &Rc<Deferred>, cache: &SemanticCache, prompt: &str, create: bool) -> (Asked, Vec<Exchange>) {
    let embedding = LexicalEmbedder::default().embed(prompt);
    let (slot, done) = capture();
    drive(cache.ask(prompt, &embedding, "a fresh answer", create), target.sender(), done);
    assert!(slot.borrow().is_none(), "nothing is answered before the replies arrive");
    target.deliver();
    let result = slot.borrow_mut().take();
    result.expect("the flow finished once the replies arrived")
}

#[test]
fn a_question_misses_then_its_rewording_hits_with_replies_arriving_later() {
    let target = Deferred::new();
    let cache = SemanticCache::new(LexicalEmbedder::default().dims(), 0.6);

    let (first, log) = ask(&target, &cache, "How do I reset my password?", true);
    assert!(first.index_ready);
    assert!(!first.from_cache);
    assert_eq!(first.answer, "a fresh answer");
    let names: Vec<&[u8]> = log.iter().map(|(c, _)| c[0].as_ref()).collect();
    assert_eq!(names, [b"FT.CREATE".as_slice(), b"FT.SEARCH", b"HSET", b"EXPIRE"]);
    assert!(log.iter().all(|(_, reply)| !reply.is_error()), "{log:?}");
    let key = cache.key_for("How do I reset my password?");
    assert_eq!(target.run(&["HGET", &key, "response"]), Frame::bulk("a fresh answer"));
    assert_eq!(target.run(&["TTL", &key]), Frame::Integer(3600));

    // The index is there now: asking to create it again is an "already exists" that counts as ready.
    let (again, log) = ask(&target, &cache, "How do I reset my password please?", true);
    assert!(again.index_ready, "{:?}", log[0]);
    assert!(again.from_cache, "{:?}", again.lookup.neighbours);
    assert_eq!(again.answer, "a fresh answer");
    assert_eq!(log.len(), 2, "a hit stores nothing: {log:?}");
}

#[test]
fn the_callback_driver_matches_the_in_process_driver_command_for_command() {
    let cache = SemanticCache::new(LexicalEmbedder::default().dims(), 0.6);
    let target = Deferred::new();
    let mut engine = Engine::new(9, 0);
    let client = engine.connect(0);
    for (i, prompt) in ["What is Redis?", "What is a cache?", "What is Redis exactly?"].iter().enumerate() {
        let embedding = LexicalEmbedder::default().embed(prompt);
        let (late, late_log) = ask(&target, &cache, prompt, i == 0);
        let (now, now_log) = run_on_engine(
            &mut cache.ask(prompt, &embedding, "a fresh answer", i == 0),
            &mut engine,
            client,
            1,
        );
        assert_eq!(late, now);
        assert_eq!(late_log, now_log);
    }
}

#[test]
fn cached_prompts_follow_the_scan_cursor_and_read_back_the_vectors() {
    let target = Deferred::new();
    let cache = SemanticCache::new(4, 0.9);
    // More keys than one SCAN page (COUNT 500), plus keys of another type and prefix.
    for i in 0..1_200 {
        let embedding = [i as f32, 1.0, -2.5, 0.25];
        let mut store = cache.store_commands(&format!("prompt {i}"), "answer", &embedding);
        store.truncate(1);
        let replies: Vec<Frame> =
            store.into_iter().map(|c| target.engine.borrow_mut().execute(target.client, c, 1)).collect();
        assert_eq!(replies, [Frame::Integer(3)]);
    }
    target.run(&["SET", "cache:not-a-hash", "x"]);
    target.run(&["HSET", "other:1", "prompt", "elsewhere"]);

    let (slot, done) = capture();
    drive(cache.cached_prompts(10_000), target.sender(), done);
    target.deliver();
    let (prompts, _) = slot.borrow_mut().take().expect("finished");
    assert_eq!(prompts.len(), 1_200);
    assert!(*target.pipelines.borrow() > 3, "several SCAN pages, then one HMGET pipeline");
    let p7 = prompts.iter().find(|p| p.prompt == "prompt 7").expect("prompt 7 listed");
    assert_eq!(p7.embedding, vec![7.0, 1.0, -2.5, 0.25]);
    assert_eq!(p7.key.as_ref(), cache.key_for("prompt 7").as_bytes());

    let (slot, done) = capture();
    drive(cache.cached_prompts(50), target.sender(), done);
    target.deliver();
    assert_eq!(slot.borrow_mut().take().expect("finished").0.len(), 50, "the limit holds");
}

#[test]
fn scan_pattern_invalidation_deletes_every_variant_across_scan_pages_and_no_other_item() {
    let target = Deferred::new();
    let config = LabConfig { invalidation: Invalidation::ScanPattern, ..LabConfig::default() };
    let mut lab = CacheAsideLab::new(config, 20, 1, 0);
    let key = lab.key(1);
    target.run(&["SET", &key, "v1|cached"]);
    for i in 0..1_500 {
        target.run(&["SET", &format!("{key}:lang:{i}"), "variant"]);
    }
    target.run(&["SET", &lab.key(10), "item ten"]);

    let flow = lab.begin(Request { at_ms: 1, item: 1, update: true });
    let (slot, done) = capture();
    drive(flow, target.sender(), done);
    target.deliver();
    let (trace, log) = slot.borrow_mut().take().expect("finished");
    assert_eq!(trace.outcome, Outcome::Write);
    let scans = log.iter().filter(|(c, _)| c[0].as_ref() == b"SCAN").count();
    assert!(scans > 1, "the cursor was followed past the first page ({scans} SCANs)");
    let deleted = log.last().map(|(_, reply)| reply.clone());
    assert_eq!(deleted, Some(Frame::Integer(1_501)));
    assert_eq!(target.run(&["DBSIZE"]), Frame::Integer(1), "only item 10 is left");
    assert_eq!(target.run(&["GET", &lab.key(10)]), Frame::bulk("item ten"));
}

#[test]
fn a_pipeline_that_loses_its_replies_still_finishes_the_flow() {
    let cache = SemanticCache::new(4, 0.9);
    let dropped: Sender = Rc::new(|_cmds, reply: Reply| reply(Vec::new()));
    let (slot, done) = capture();
    drive(cache.ask("q", &[1.0, 0.0, 0.0, 0.0], "a", true), dropped, done);
    let (asked, log) = slot.borrow_mut().take().expect("finished");
    assert!(!asked.index_ready);
    assert!(asked.lookup.error.as_deref().is_some_and(|e| e.contains("connection lost")), "{asked:?}");
    assert!(log.iter().all(|(_, r)| r.is_error()));
}
