//! KNN attributes against RediSearch 2.10: `HYBRID_POLICY ADHOC_BF|BATCHES`, `BATCH_SIZE n`,
//! `EF_RUNTIME`, `AS`, on FLAT and HNSW fields, with and without a filter, and every error
//! RediSearch gives for them (in the order it checks them).

mod common;

use bytes::Bytes;
use common::Session;

fn blob(v: &[f32]) -> Bytes {
    Bytes::from(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
}

fn cmd(parts: &[&str]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect()
}

#[test]
fn hybrid_policies_and_their_errors() {
    let mut s = Session::new();
    for (name, algo) in [("hy:flat", "FLAT"), ("hy:hnsw", "HNSW")] {
        s.same(&[
            "FT.CREATE",
            name,
            "PREFIX",
            "1",
            "hy:",
            "SCHEMA",
            "t",
            "TEXT",
            "g",
            "TAG",
            "v",
            "VECTOR",
            algo,
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            "2",
            "DISTANCE_METRIC",
            "L2",
        ]);
    }
    for i in 0..8u8 {
        let mut c =
            cmd(&["HSET", &format!("hy:{i}"), "t", if i % 2 == 0 { "word even" } else { "word odd" }]);
        c.extend(cmd(&["g", if i < 4 { "low" } else { "high" }, "v"]));
        c.push(blob(&[f32::from(i), f32::from(i % 3)]));
        s.same_bytes(&c);
    }
    let q = blob(&[2.5, 1.0]);
    let attrs = [
        "HYBRID_POLICY ADHOC_BF",
        "HYBRID_POLICY BATCHES",
        "HYBRID_POLICY BATCHES BATCH_SIZE 1",
        "HYBRID_POLICY batches batch_size 3",
        "BATCH_SIZE 2",
        "HYBRID_POLICY ADHOC_BF BATCH_SIZE 1",
        "BATCH_SIZE 1 HYBRID_POLICY ADHOC_BF",
        "HYBRID_POLICY FOO",
        "HYBRID_POLICY $p",
        "HYBRID_POLICY $nope",
        "HYBRID_POLICY BATCHES BATCH_SIZE 0",
        "HYBRID_POLICY BATCHES BATCH_SIZE -1",
        "HYBRID_POLICY BATCHES BATCH_SIZE x",
        "HYBRID_POLICY BATCHES BATCH_SIZE 1.5",
        "HYBRID_POLICY ADHOC_BF HYBRID_POLICY BATCHES",
        "BATCH_SIZE 2 BATCH_SIZE 3",
        "EF_RUNTIME 3",
        "EF_RUNTIME 0",
        "EF_RUNTIME x",
        "EF_RUNTIME 3 EF_RUNTIME 4",
        "EF_RUNTIME 3 HYBRID_POLICY FOO",
        "HYBRID_POLICY FOO EF_RUNTIME 3",
        "HYBRID_POLICY ADHOC_BF EF_RUNTIME 3",
        "HYBRID_POLICY BATCHES BATCH_SIZE 2 EF_RUNTIME 30",
        "FOO 3",
        "EPSILON 0.1",
        "HYBRID_POLICY BATCHES AS d",
        "BATCH_SIZE 2 HYBRID_POLICY BATCHES AS d EF_RUNTIME 5",
        "AS",
        "HYBRID_POLICY",
        "AS d HYBRID_POLICY ADHOC_BF",
    ];
    for index in ["hy:flat", "hy:hnsw"] {
        for filter in ["*", "word", "@g:{low}", "(@g:{high} odd)", "-@g:{low}"] {
            for a in attrs {
                let mut c =
                    cmd(&["FT.SEARCH", index, &format!("{filter}=>[KNN 3 @v $b {a}]"), "RETURN", "1", "d"]);
                c.extend(cmd(&["DIALECT", "2", "PARAMS", "4", "p", "ADHOC_BF", "b"]));
                c.push(q.clone());
                s.same_bytes(&c);
            }
        }
    }
}
