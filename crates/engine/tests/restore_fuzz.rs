//! RESTORE on crafted payloads, fuzz-regression style: thousands of valid DUMPs with bytes
//! flipped, inserted or cut (the checksum recomputed, so the contents are what gets parsed) and
//! random bodies with made-up lengths. The engine must answer each with OK or one of RESTORE's
//! errors, never panic, and a key it accepts must DUMP and RESTORE again to the same value.

use bytes::Bytes;
use playground_engine::{rdb, Engine, Frame};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn run(engine: &mut Engine, client: u64, parts: &[&[u8]]) -> Frame {
    engine.execute(client, parts.iter().map(|p| Bytes::copy_from_slice(p)).collect(), 1_000)
}

/// A body with the footer DUMP would put after it.
fn seal(mut body: Vec<u8>) -> Vec<u8> {
    body.extend_from_slice(&rdb::RDB_VERSION.to_le_bytes());
    let crc = rdb::crc64::crc64(&body);
    body.extend_from_slice(&crc.to_le_bytes());
    body
}

#[test]
fn mangled_payloads_never_panic() {
    let mut engine = Engine::new(1, 1_000);
    let c = engine.connect(1_000);
    let long = "x".repeat(300);
    let wide = "w".repeat(5000);
    let big_list: Vec<String> = (0..1200).map(|i| format!("item-{i}")).collect();
    let mut setup: Vec<Vec<&str>> = vec![
        vec!["SET", "s", "hello"],
        vec!["SET", "n", "12345"],
        vec!["SET", "lz", &long],
        vec!["RPUSH", "l", "a", "1", "-70000", "9999999999", &wide],
        vec!["SADD", "si", "1", "2", "300000"],
        vec!["SADD", "sl", "a", "b", "c"],
        vec!["ZADD", "z", "1", "a", "2.5", "b", "inf", "c"],
        vec!["HSET", "h", "f", "v", "n", "1"],
        vec!["HSET", "hh", "big", &long],
    ];
    let mut rpush = vec!["RPUSH", "bl"];
    rpush.extend(big_list.iter().map(String::as_str));
    setup.push(rpush);
    let mut seeds = Vec::new();
    for cmd in &setup {
        let parts: Vec<&[u8]> = cmd.iter().map(|s| s.as_bytes()).collect();
        run(&mut engine, c, &parts);
        match run(&mut engine, c, &[b"DUMP", cmd[1].as_bytes()]) {
            Frame::Bulk(p) => seeds.push(p.to_vec()),
            other => panic!("DUMP {}: {other:?}", cmd[1]),
        }
    }
    let allowed = ["ERR Bad data format", "ERR DUMP payload version or checksum are wrong"];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut accepted = 0;
    for round in 0..6000 {
        let seed = &seeds[round % seeds.len()];
        let mut body = seed[..seed.len() - 10].to_vec();
        match rng.below(5) {
            0 => {
                let i = rng.below(body.len());
                body[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(body.len());
                body[i] = rng.next() as u8;
            }
            2 => body.truncate(rng.below(body.len())),
            3 => {
                let i = rng.below(body.len());
                for _ in 0..rng.below(8) + 1 {
                    body.insert(i, rng.next() as u8);
                }
            }
            _ => {
                // A type byte, then noise with big length prefixes (0x80/0x81 32/64-bit).
                body = vec![rng.below(26) as u8];
                for _ in 0..rng.below(40) {
                    body.push(match rng.below(4) {
                        0 => 0x81,
                        1 => 0xff,
                        _ => rng.next() as u8,
                    });
                }
            }
        }
        let payload = if rng.below(20) == 0 { body } else { seal(body) };
        let reply = run(&mut engine, c, &[b"RESTORE", b"k", b"0", &payload, b"REPLACE"]);
        match &reply {
            Frame::Simple(ok) if ok == "OK" => {
                accepted += 1;
                let again = run(&mut engine, c, &[b"DUMP", b"k"]);
                let Frame::Bulk(again) = again else { panic!("DUMP after RESTORE: {again:?}") };
                let reply = run(&mut engine, c, &[b"RESTORE", b"k2", b"0", &again, b"REPLACE"]);
                assert_eq!(reply, Frame::Simple("OK".into()));
                let back = run(&mut engine, c, &[b"DUMP", b"k2"]);
                assert_eq!(back, Frame::Bulk(again), "round {round}");
            }
            Frame::Error(e) if allowed.contains(&e.as_str()) => {}
            other => panic!("round {round}: {other:?}"),
        }
    }
    // The mutations leave many payloads valid (a changed letter in a string is still a string).
    assert!(accepted > 500, "only {accepted} accepted");
}
