//! Random FT.SEARCH queries over a random index, the same on the engine and on RediSearch 2.10,
//! compared byte for byte: hybrid KNN filters (tags, numeric ranges, words, negation, unions),
//! RETURN lists, SORTBY, LIMIT and NOCONTENT, with each distance metric and index type, in RESP2
//! and RESP3. Plain queries without SORTBY are compared up to order: RediSearch ranks those by
//! TF-IDF and returns filtered KNN hits in its filter iterator's order, which the engine does not
//! reproduce (it answers in document order).

mod common;
use bytes::Bytes;
use common::{args, canonical, decode, show, Choose, Session};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

const QUERIES: usize = 400;
const DIM: usize = 4;

struct Gen(Xoshiro256PlusPlus);

impl Choose for Gen {
    fn rng(&mut self) -> &mut Xoshiro256PlusPlus {
        &mut self.0
    }
}

impl Gen {
    /// Components from a few values plus a small jitter, so some documents lie close together
    /// but no two distances tie.
    fn vector(&mut self) -> Bytes {
        let values = [0.1f32, 0.2, 0.5, -0.3, 1.0, 0.7, -0.9, 0.33];
        let v: Vec<u8> = (0..DIM)
            .flat_map(|_| {
                let jitter = (self.0.next_u32() % 10_000) as f32 / 1_000_000.0;
                (values[self.below(values.len())] + jitter).to_le_bytes()
            })
            .collect();
        Bytes::from(v)
    }
    fn filter(&mut self) -> &'static str {
        self.pick(&[
            "*",
            "@tag:{a}",
            "@tag:{a|b}",
            "-@tag:{c}",
            "@n:[5 10]",
            "@n:[(5 +inf]",
            "@title:red",
            "@title:(red|blue)",
            "@n:[0 5] @tag:{b}",
            "red",
            "-@title:slow",
            "(@tag:{a} | @n:[15 20])",
            "@title:fast @tag:{c}",
            "@nosuch:{x}",
        ])
    }
}

fn run_seed(seed: u64) {
    let mut g = Gen(Xoshiro256PlusPlus::seed_from_u64(seed));
    let mut s = Session::new();
    s.run(&["HELLO", if seed % 2 == 0 { "2" } else { "3" }]);
    let (kind, metric) = (g.pick(&["HNSW", "FLAT"]), g.pick(&["COSINE", "L2", "IP"]));
    s.same(&[
        "FT.CREATE",
        "rs",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "rs:",
        "SCHEMA",
        "title",
        "TEXT",
        "tag",
        "TAG",
        "n",
        "NUMERIC",
        "SORTABLE",
        "v",
        "VECTOR",
        kind,
        "6",
        "TYPE",
        "FLOAT32",
        "DIM",
        "4",
        "DISTANCE_METRIC",
        metric,
    ]);
    let words = ["red", "blue", "green", "fast", "slow", "cache", "redis", "vector"];
    for i in 0..30 {
        let title = format!("{} {}", g.pick(&words), g.pick(&words));
        let mut hset =
            args(&["HSET", &format!("rs:{i}"), "title", &title, "tag", g.pick(&["a", "b", "c", "a,b"])]);
        hset.extend(args(&["n", &g.below(21).to_string()]));
        if g.below(10) > 0 {
            hset.extend([Bytes::from_static(b"v"), g.vector()]);
        }
        s.same_bytes(&hset);
    }
    for _ in 0..QUERIES {
        let knn = g.below(10) < 6;
        let k = g.pick(&["1", "3", "5", "50", "0"]);
        let query = match (knn, g.below(3)) {
            (true, 0) => {
                format!("{}=>[KNN {k} @v $b]", g.pick(&["*", "@tag:{a|b}", "(@n:[0 10])", "@title:red"]))
            }
            (true, _) => format!("({})=>[KNN {k} @v $b AS score]", g.filter()),
            (false, _) => g.filter().to_string(),
        };
        let filtered = !query.starts_with("*=>");
        let mut cmd = args(&["FT.SEARCH", "rs", &query]);
        match g.below(3) {
            0 => cmd.extend(args(&["NOCONTENT"])),
            1 => cmd.extend(args(&[
                "RETURN",
                "2",
                g.pick(&["title", "score", "n", "__v_score"]),
                g.pick(&["tag", "score", "n"]),
            ])),
            _ => {}
        }
        let sorted = g.below(2) == 0;
        if sorted {
            let field = if knn && g.below(2) == 0 { "score" } else { "n" };
            cmd.extend(args(&["SORTBY", field]));
            cmd.extend(args(&[g.pick(&["ASC", "DESC", ""])]).into_iter().filter(|a| !a.is_empty()));
        }
        // Unsorted results come in RediSearch's own iterator order unless the query is a bare KNN
        // (document order): TF-IDF for words, numeric-tree leaves for ranges.
        let ordered = sorted || (knn && !filtered);
        if ordered && g.below(3) == 0 {
            cmd.extend(args(&["LIMIT", g.pick(&["0", "1", "2"]), g.pick(&["0", "1", "2", "10"])]));
        } else if !ordered {
            cmd.extend(args(&["LIMIT", "0", "100"]));
        }
        cmd.extend([
            Bytes::from_static(b"PARAMS"),
            Bytes::from_static(b"2"),
            Bytes::from_static(b"b"),
            g.vector(),
        ]);
        cmd.extend(args(&["DIALECT", "2"]));
        let (theirs, ours) = s.both_raw(&cmd);
        let shown = &query;
        if ordered {
            let (ours, theirs) = (show(&ours), show(&theirs));
            assert!(
                ours == theirs,
                "\nseed {seed} ({kind} {metric}): {shown}\n{}",
                first_difference(&ours, &theirs)
            );
        } else {
            assert_eq!(
                canonical(&decode(&ours)),
                canonical(&decode(&theirs)),
                "\nseed {seed} ({kind} {metric}): {shown}\n(left: emulator, right: Redis)"
            );
        }
    }
}

/// The replies from where they first differ, for a readable failure.
fn first_difference(ours: &str, theirs: &str) -> String {
    let at = ours.chars().zip(theirs.chars()).take_while(|(a, b)| a == b).count().saturating_sub(40);
    let tail = |t: &str| t.chars().skip(at).take(160).collect::<String>();
    format!("emulator: ...{}\n   Redis: ...{}", tail(ours), tail(theirs))
}

#[test]
fn random_queries_answer_as_redisearch_does() {
    for seed in 1..=8 {
        run_seed(seed);
    }
}
