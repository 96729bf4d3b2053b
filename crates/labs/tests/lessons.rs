//! Every guided lesson can be finished by running its own suggested lines: in the engine (with
//! the virtual clock moved where a step asks), and, for lessons that need no clock, on the real
//! Redis 7.4 + RediSearch oracle too, so a lesson never teaches a line that real Redis rejects.
//! Steps also stay open for the near misses they are meant to catch.

mod common;

use bytes::Bytes;
use common::Oracle;
use playground_engine::cluster::{Layout, Node, Routed};
use playground_engine::resp::split_args;
use playground_engine::{Engine, Frame};
use playground_labs::lessons::{progress, Ran, ReplySummary, LESSONS};

fn args(line: &str) -> Vec<Bytes> {
    split_args(line.as_bytes())
        .expect("a lesson line parses as redis-cli parses it")
        .into_iter()
        .map(Bytes::from)
        .collect()
}

/// Run a lesson by clicking through its steps: each step's lines, again and again (a burst of
/// INCRs) until the step is done; `run` executes one command in the console, `second` one in
/// the second client, and `jump` moves the clock.
fn finish(
    lesson_index: usize,
    mut run: impl FnMut(Vec<Bytes>) -> Frame,
    mut second: impl FnMut(Vec<Bytes>) -> Frame,
    mut jump: impl FnMut(u64),
) -> usize {
    let lesson = &LESSONS[lesson_index];
    let mut ran = Vec::new();
    for (i, step) in lesson.steps.iter().enumerate() {
        if let Some(ms) = step.jump_ms {
            jump(ms);
        }
        for _ in 0..10 {
            if progress(lesson, 0, &ran) > i {
                break;
            }
            for line in step.second_lines {
                let reply = second(args(line));
                assert!(!reply.is_error(), "{} (second client): {line} -> {reply:?}", lesson.id);
            }
            for line in step.try_lines {
                let cmd = args(line);
                let reply = run(cmd.clone());
                // A cluster lesson shows the CROSSSLOT refusal on purpose.
                let taught =
                    lesson.cluster > 0 && matches!(&reply, Frame::Error(e) if e.starts_with("CROSSSLOT"));
                assert!(!reply.is_error() || taught, "{}: {line} -> {reply:?}", lesson.id);
                ran.push(Ran::new(cmd, &reply));
            }
        }
        assert!(progress(lesson, 0, &ran) > i, "{}: step {} is done by its own lines", lesson.id, i + 1);
    }
    progress(lesson, 0, &ran)
}

#[test]
fn every_lesson_finishes_in_the_engine_with_its_own_lines() {
    for (i, lesson) in LESSONS.iter().enumerate() {
        let mut engine = Engine::new(5, 1_000_000);
        engine.set_script_runner(Box::new(playground_scripting::LuaRunner::default()));
        let client = engine.connect(1_000_000);
        let other = engine.connect(1_000_000);
        let now = std::cell::Cell::new(1_000_000u64);
        let engine = std::cell::RefCell::new(engine);
        // Cluster lessons: the console is `redis-cli -c` on the first node, as in the page.
        let layout = std::sync::Arc::new(Layout::new(lesson.cluster, "127.0.0.1", 7000, 5));
        let node = std::cell::RefCell::new(Node { layout, me: 0 });
        let done = finish(
            i,
            |cmd| {
                let mut engine = engine.borrow_mut();
                if lesson.cluster == 0 {
                    return engine.execute(client, cmd, now.get());
                }
                let mut node = node.borrow_mut();
                match node.route(&mut engine, client, &cmd, now.get(), &mut Vec::new()) {
                    Routed::Reply(frame) => frame,
                    Routed::Engine => node.adjust(&cmd, engine.execute(client, cmd.clone(), now.get())),
                }
            },
            |cmd| engine.borrow_mut().execute(other, cmd, now.get()),
            |ms| {
                now.set(now.get() + ms);
                engine.borrow_mut().tick(now.get());
            },
        );
        assert_eq!(done, lesson.steps.len(), "{}", lesson.id);
    }
}

#[test]
fn steps_complete_in_order_and_not_on_near_misses() {
    let cache_aside = &LESSONS[0];
    let ran = |line: &str, reply: Frame| Ran::new(args(line), &reply);
    // A hit before the miss does not skip the first step.
    assert_eq!(progress(cache_aside, 0, &[ran("GET product:42", Frame::bulk("x"))]), 0);
    // A SET without a TTL is not the fill the lesson asks for.
    let miss = ran("GET product:42", Frame::Null);
    assert_eq!(progress(cache_aside, 0, &[miss.clone(), ran("SET product:42 v", Frame::ok())]), 1);
    assert_eq!(progress(cache_aside, 0, &[miss.clone(), ran("SET product:42 v EX 60", Frame::ok())]), 2);
    assert_eq!(progress(cache_aside, 0, &[miss, ran("SET product:42 v PX 60000", Frame::ok())]), 2);
    // Saved progress resumes where it was.
    assert_eq!(progress(cache_aside, 2, &[ran("GET product:42", Frame::bulk("x"))]), 3);

    let ttl = LESSONS.iter().find(|l| l.id == "ttl").expect("ttl lesson");
    // Ten seconds is not a session lifetime; an error reply is not a success.
    assert_eq!(progress(ttl, 0, &[ran("SET session:a v EX 10", Frame::ok())]), 0);
    assert_eq!(progress(ttl, 0, &[ran("SET session:a v EX 1800", Frame::Error("OOM".into()))]), 0);
    assert_eq!(
        progress(ttl, 0, &[ran("set SESSION:a v ex 1800", Frame::ok())]),
        0,
        "keys are case-sensitive"
    );
    assert_eq!(progress(ttl, 0, &[ran("set session:a v ex 1800", Frame::ok())]), 1, "commands are not");
}

#[test]
fn replies_are_summarised_by_kind() {
    assert_eq!(ReplySummary::of(&Frame::ok()), ReplySummary::Ok);
    assert_eq!(ReplySummary::of(&Frame::NullArray), ReplySummary::Nil);
    assert_eq!(ReplySummary::of(&Frame::Boolean(true)), ReplySummary::Integer(1));
    assert_eq!(
        ReplySummary::of(&Frame::Map(vec![(Frame::bulk("a"), Frame::Integer(1))])),
        ReplySummary::Aggregate(1)
    );
    assert_eq!(ReplySummary::of(&Frame::bulk("x")), ReplySummary::Text("x".into()));
}

#[test]
fn lessons_without_clock_jumps_also_finish_on_real_redis() {
    let mut oracle = Oracle::connect();
    let keys = [
        "product:42",
        "user:1001:profile",
        "user:1001:summary",
        "user:1001:prefs",
        "chat:session-abc",
        "model-latency",
        "leaderboard",
        "faq:1",
        "faq:2",
    ];
    let mut clean = vec![Bytes::from("DEL")];
    clean.extend(keys.iter().map(|k| Bytes::from(*k)));
    oracle.run(clean);
    oracle.run(args("FT.DROPINDEX idx:faq"));
    let mut finished = 0;
    for (i, lesson) in LESSONS.iter().enumerate() {
        // Lessons that move the clock, reconfigure the server or need a cluster (the oracle is
        // one server; crates/proxy/tests/serve_cluster.rs holds the emulated cluster to a real
        // one) run in the engine only.
        let reconfigures = lesson.steps.iter().flat_map(|s| s.try_lines).any(|l| l.starts_with("CONFIG SET"));
        if reconfigures || lesson.cluster > 0 || lesson.steps.iter().any(|s| s.jump_ms.is_some()) {
            continue;
        }
        let mut other = Oracle::connect();
        let done = finish(i, |cmd| oracle.run(cmd), |cmd| other.run(cmd), |_| unreachable!());
        assert_eq!(done, lesson.steps.len(), "{}", lesson.id);
        finished += 1;
    }
    assert!(finished >= 4, "most lessons are checked against real Redis ({finished})");
    oracle.run(args("FT.DROPINDEX idx:faq DD"));
}

#[test]
fn a_console_line_crosses_to_the_lessons_module_as_resp_unchanged() {
    use playground_engine::resp::{parse_frame, Limits};
    use playground_engine::{Frame, Protocol};
    let replies = [
        Frame::Simple("OK".into()),
        Frame::Simple("PONG".into()),
        Frame::Null,
        Frame::NullArray,
        Frame::Integer(-7),
        Frame::Boolean(true),
        Frame::Bulk(Bytes::from_static(b"caf\xc3\xa9")),
        Frame::Double(0.25),
        Frame::Array(vec![Frame::Integer(1), Frame::Null]),
        Frame::Map(vec![(Frame::Integer(1), Frame::Integer(2))]),
        Frame::Error("WRONGTYPE Operation against a key holding the wrong kind of value".into()),
    ];
    for (seq, reply) in replies.iter().enumerate() {
        let ran = Ran::new(vec![Bytes::from_static(b"SET"), Bytes::from_static(b"k\x00\xff")], reply);
        let wire = ran.to_frame(seq as u64).to_bytes(Protocol::Resp3);
        let (frame, used) = parse_frame(&wire, &Limits::default()).unwrap().unwrap();
        assert_eq!(used, wire.len());
        assert_eq!(Ran::from_frame(&frame), Some((seq as u64, ran)), "{reply:?}");
    }
    assert_eq!(Ran::from_frame(&Frame::Integer(1)), None);
}

#[test]
fn the_rate_limit_lesson_ends_with_a_window_that_expires() {
    let lesson = LESSONS.iter().find(|l| l.id == "rate-limit").expect("rate-limit lesson");
    let ran = |line: &str, reply: Frame| Ran::new(args(line), &reply);
    let before_the_jump = [
        ran("INCR rate:user-123", Frame::Integer(1)),
        ran("EXPIRE rate:user-123 60 NX", Frame::Integer(1)),
        ran("INCR rate:user-123", Frame::Integer(6)),
        ran("TTL rate:user-123", Frame::Integer(40)),
    ];
    assert_eq!(progress(lesson, 0, &before_the_jump), 4);
    // After the window: a bare INCR recreates the counter without a TTL; that is not the step,
    // and TTL -1 does not finish the lesson.
    let bare = [ran("INCR rate:user-123", Frame::Integer(1)), ran("TTL rate:user-123", Frame::Integer(-1))];
    assert_eq!(progress(lesson, 4, &bare), 4);
    let fixed =
        [ran("EXPIRE rate:user-123 60 NX", Frame::Integer(1)), ran("TTL rate:user-123", Frame::Integer(60))];
    assert_eq!(progress(lesson, 4, &fixed), 6);

    // Clicking through in the engine leaves a counter that will expire.
    let i = LESSONS.iter().position(|l| l.id == "rate-limit").expect("index");
    let mut engine = Engine::new(5, 1_000_000);
    let client = engine.connect(1_000_000);
    let now = std::cell::Cell::new(1_000_000u64);
    let engine = std::cell::RefCell::new(engine);
    let done = finish(
        i,
        |cmd| engine.borrow_mut().execute(client, cmd, now.get()),
        |cmd| engine.borrow_mut().execute(client + 1_000, cmd, now.get()),
        |ms| {
            now.set(now.get() + ms);
            engine.borrow_mut().tick(now.get());
        },
    );
    assert_eq!(done, lesson.steps.len());
    let ttl = engine.borrow_mut().execute(client, args("TTL rate:user-123"), now.get());
    assert!(matches!(ttl, Frame::Integer(n) if n > 0 && n <= 60), "{ttl:?}");
}

#[test]
fn every_knowledge_check_has_one_right_answer_and_says_why() {
    use playground_labs::quiz::{questions_for, QUIZZES};
    let mut total = 0;
    for (id, questions) in QUIZZES {
        assert!(LESSONS.iter().any(|l| l.id == *id), "questions for a lesson that exists: {id}");
        let found: Vec<&str> = questions_for(id).iter().map(|q| q.ask).collect();
        assert_eq!(found, questions.iter().map(|q| q.ask).collect::<Vec<_>>());
        for q in *questions {
            total += 1;
            assert!(q.choices.len() >= 2, "{}", q.ask);
            assert!(q.answer < q.choices.len(), "{}", q.ask);
            assert_eq!((0..q.choices.len()).filter(|&c| q.is_right(c)).count(), 1, "{}", q.ask);
            let mut distinct = q.choices.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), q.choices.len(), "no choice twice: {}", q.ask);
            assert!(q.explain.len() > 40, "an explanation: {}", q.ask);
            assert!(q.ask.ends_with('?'), "{}", q.ask);
        }
    }
    assert!(total >= 6, "the course's knowledge checks ({total})");
    assert!(questions_for("no-such-lesson").is_empty());
}

/// A question's console lines run without error once its lesson is done, in the engine.
#[test]
fn knowledge_check_lines_run_after_their_lesson() {
    use playground_labs::quiz::questions_for;
    for (i, lesson) in LESSONS.iter().enumerate() {
        let lines: Vec<&str> =
            questions_for(lesson.id).iter().flat_map(|q| q.try_lines.iter().copied()).collect();
        if lines.is_empty() {
            continue;
        }
        let mut engine = Engine::new(5, 1_000_000);
        engine.set_script_runner(Box::new(playground_scripting::LuaRunner::default()));
        let client = engine.connect(1_000_000);
        let now = std::cell::Cell::new(1_000_000u64);
        let engine = std::cell::RefCell::new(engine);
        finish(
            i,
            |cmd| engine.borrow_mut().execute(client, cmd, now.get()),
            |cmd| engine.borrow_mut().execute(client + 1_000, cmd, now.get()),
            |ms| {
                now.set(now.get() + ms);
                engine.borrow_mut().tick(now.get());
            },
        );
        for line in lines {
            let reply = engine.borrow_mut().execute(client, args(line), now.get());
            assert!(!reply.is_error(), "{}: {line} -> {reply:?}", lesson.id);
        }
    }
    // What the rate-limit question's lines show: the counter has a TTL.
    let mut engine = Engine::new(5, 0);
    let c = engine.connect(0);
    for line in playground_labs::quiz::questions_for("rate-limit")[0].try_lines {
        let reply = engine.execute(c, args(line), 0);
        if line.starts_with("TTL") {
            assert_eq!(reply, Frame::Integer(60));
        }
    }
}

/// The vector question's search shows the hit as a small distance, nearest first.
#[test]
fn the_threshold_question_shows_scores_as_distances() {
    let i = LESSONS.iter().position(|l| l.id == "vector-index").expect("vector lesson");
    let mut engine = Engine::new(5, 0);
    let client = engine.connect(0);
    let engine = std::cell::RefCell::new(engine);
    finish(
        i,
        |cmd| engine.borrow_mut().execute(client, cmd, 0),
        |cmd| engine.borrow_mut().execute(client + 1_000, cmd, 0),
        |_| {},
    );
    let line = playground_labs::quiz::questions_for("vector-index")[0].try_lines[0];
    let Frame::Array(items) = engine.borrow_mut().execute(client, args(line), 0) else { panic!("an array") };
    let score = |fields: &Frame| -> f64 {
        let Frame::Array(f) = fields else { panic!("fields") };
        let at = f.iter().position(|x| x.as_bytes() == Some(b"score")).expect("score");
        std::str::from_utf8(f[at + 1].as_bytes().expect("bytes")).expect("utf8").parse().expect("number")
    };
    assert_eq!(items[1].as_bytes(), Some(&b"faq:1"[..]));
    let (near, far) = (score(&items[2]), score(&items[4]));
    assert!(near <= 0.05 && far > 0.05, "{near} {far}");
}

/// The fresh-copies lesson's second client really receives what the lesson says: the published
/// key, the expired event after the clock jump, and the tracking invalidation.
#[test]
fn the_fresh_copies_lesson_delivers_messages_to_the_second_client() {
    let index = LESSONS.iter().position(|l| l.id == "fresh-copies").expect("the lesson");
    let mut engine = Engine::new(5, 1_000_000);
    let client = engine.connect(1_000_000);
    let other = engine.connect(1_000_000);
    let now = std::cell::Cell::new(1_000_000u64);
    let engine = std::cell::RefCell::new(engine);
    let pushed = std::cell::RefCell::new(Vec::new());
    let take = |engine: &mut Engine| {
        let frames = engine.take_pushes(other);
        pushed.borrow_mut().extend(
            frames.iter().map(|f| String::from_utf8_lossy(&f.to_bytes(engine.protocol(other))).into_owned()),
        );
    };
    let done = finish(
        index,
        |cmd| {
            let mut e = engine.borrow_mut();
            let reply = e.execute(client, cmd, now.get());
            take(&mut e);
            reply
        },
        |cmd| {
            let mut e = engine.borrow_mut();
            let reply = e.execute(other, cmd, now.get());
            take(&mut e);
            reply
        },
        |ms| {
            now.set(now.get() + ms);
            let mut e = engine.borrow_mut();
            e.tick(now.get());
            take(&mut e);
        },
    );
    assert_eq!(done, LESSONS[index].steps.len());
    let all = pushed.borrow().concat();
    assert!(all.contains("$7\r\nmessage\r\n$10\r\ninvalidate\r\n$10\r\nproduct:42\r\n"), "{all}");
    assert!(all.contains("$22\r\n__keyevent@0__:expired\r\n$9\r\nprice:eur\r\n"), "{all}");
    assert!(all.contains(">2\r\n$10\r\ninvalidate\r\n*1\r\n$10\r\nproduct:42\r\n"), "{all}");
}

/// The Lua lesson moves the clock, so the test above leaves it out; its script and its SCRIPT
/// LOAD + EVALSHA lines are checked on real Redis here: 1, 2, 3, then 0 within the window, and
/// the SHA-1 in the EVALSHA line is the one SCRIPT LOAD answers.
#[test]
fn the_lua_lessons_script_answers_on_real_redis_as_in_the_engine() {
    let lesson = LESSONS.iter().find(|l| l.id == "lua-rate-limit").expect("the Lua lesson");
    let lines: Vec<&str> = lesson.steps.iter().flat_map(|s| s.try_lines.iter().copied()).collect();
    let eval = *lines.iter().find(|l| l.starts_with("EVAL ")).expect("an EVAL line");
    let load = *lines.iter().find(|l| l.starts_with("SCRIPT LOAD")).expect("a SCRIPT LOAD line");
    let evalsha = *lines.iter().find(|l| l.starts_with("EVALSHA")).expect("an EVALSHA line");
    let mut oracle = Oracle::connect();
    let mut engine = Engine::new(5, 1_000_000);
    engine.set_script_runner(Box::new(playground_scripting::LuaRunner::default()));
    let client = engine.connect(1_000_000);
    for key in ["rl:sliding:user-7", "rl:sliding:user-8"] {
        oracle.run(args(&format!("DEL {key}")));
    }
    let mut answers = Vec::new();
    for _ in 0..4 {
        let real = oracle.run(args(eval));
        assert_eq!(engine.execute(client, args(eval), 1_000_000), real);
        answers.push(real);
    }
    assert_eq!(answers, [1, 2, 3, 0].map(Frame::Integer));
    let sha = oracle.run(args(load));
    assert_eq!(engine.execute(client, args(load), 1_000_000), sha);
    let sha = String::from_utf8(sha.as_bytes().expect("a SHA-1").to_vec()).expect("hex");
    assert!(evalsha.contains(&sha), "{evalsha} runs what SCRIPT LOAD stored ({sha})");
    assert_eq!(oracle.run(args(evalsha)), Frame::Integer(1));
    oracle.run(args("DEL rl:sliding:user-7 rl:sliding:user-8"));
}
