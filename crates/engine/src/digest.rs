//! DEBUG DIGEST and DIGEST-VALUE: Redis's SHA-1 based fingerprint of values (`src/debug.c`),
//! so the hex strings equal a real server's for the same data.
//!
//! Order-free parts (keys, set members, hash fields, sorted-set members) are xored together,
//! ordered parts (list elements, a key then its value) are mixed: `d = SHA1(d xor SHA1(data))`.

use crate::db::{Db, Entry};
use crate::types::Value;

/// SHA-1 of `data` (FIPS 180-1), a small one-shot version: digests are rare and short.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    for block in padded(data).chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, x) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// The message padded to whole 64-byte blocks, as SHA-1 and SHA-256 both pad it.
fn padded(data: &[u8]) -> Vec<u8> {
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    msg
}

/// SHA-256 of `data` in lowercase hex (FIPS 180-4): ACL passwords are kept as this hash, as
/// Redis keeps them (`ACLHashPassword`), and `ACL GETUSER` shows it.
pub fn sha256_hex(data: &[u8]) -> String {
    let k: [u32; 64] = std::array::from_fn(|i| {
        // The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
        let p = (2u32..).filter(|n| (2..*n).all(|d| n % d != 0)).nth(i).unwrap_or(2);
        ((p as f64).cbrt().fract() * 4_294_967_296.0) as u32
    });
    let mut h: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];
    for block in padded(data).chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(k[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let t2 = s0.wrapping_add((a & b) ^ (a & c) ^ (b & c));
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// `xorDigest`: digest ^= SHA1(data).
fn xor(digest: &mut [u8; 20], data: &[u8]) {
    for (d, h) in digest.iter_mut().zip(sha1(data)) {
        *d ^= h;
    }
}

/// `mixDigest`: digest = SHA1(digest ^ SHA1(data)).
fn mix(digest: &mut [u8; 20], data: &[u8]) {
    xor(digest, data);
    *digest = sha1(digest);
}

/// Redis's type numbers (`OBJ_STRING` ...), which the digest starts with.
fn type_number(value: &Value) -> u32 {
    match value {
        Value::Str(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::ZSet(_) => 3,
        Value::Hash(_) => 4,
        Value::Json(_) | Value::Suggest(_) => 5,
        Value::Stream(_) => 6,
    }
}

/// `xorObjectDigest`: a value (and whether it has a deadline) mixed into `digest`.
fn object(digest: &mut [u8; 20], entry: &Entry) {
    mix(digest, &type_number(&entry.value).to_be_bytes());
    match &entry.value {
        Value::Str(s) => mix(digest, s),
        Value::List(l) => l.iter().for_each(|v| mix(digest, v)),
        Value::Set(s) => s.iter().for_each(|m| xor(digest, m)),
        Value::Json(j) => mix(digest, j.to_text().as_bytes()),
        Value::Suggest(s) => mix(digest, &s.to_bytes()),
        Value::ZSet(z) => {
            for (m, score) in z.iter() {
                let mut ele = [0u8; 20];
                mix(&mut ele, m);
                mix(&mut ele, crate::float::fpconv_dtoa(score).as_bytes());
                xor(digest, &ele);
            }
        }
        Value::Hash(h) => {
            // A field with its own TTL would also xor "!!hexpire!!" into its element digest.
            for (f, v) in h {
                let mut ele = [0u8; 20];
                mix(&mut ele, f);
                mix(&mut ele, v);
                xor(digest, &ele);
            }
        }
        Value::Stream(s) => {
            for (id, fv) in &s.entries {
                mix(digest, format!("{}.{}", id.ms, id.seq).as_bytes());
                fv.iter().for_each(|v| mix(digest, v));
            }
        }
    }
    if entry.expires_at.is_some() {
        xor(digest, b"!!expire!!");
    }
}

/// SHA-1 of `data` in lowercase hex (the script cache's names, `redis.sha1hex`).
pub fn sha1_hex(data: &[u8]) -> String {
    hex(&sha1(data))
}

fn hex(digest: &[u8; 20]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// DEBUG DIGEST-VALUE for one key: 40 zeros when it is missing.
pub fn value_digest(db: &Db, key: &[u8]) -> String {
    let mut digest = [0u8; 20];
    if let Some(entry) = db.raw_get(key) {
        object(&mut digest, entry);
    }
    hex(&digest)
}

/// DEBUG DIGEST (`computeDatasetDigest`): every non-empty database's number, then the xor of
/// the SHA-1s of each key's (key, value) digest.
pub fn dataset_digest(dbs: &[Db]) -> String {
    let mut fin = [0u8; 20];
    for (i, db) in dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        mix(&mut fin, &(i as u32).to_be_bytes());
        for (key, entry) in db.iter() {
            let mut digest = [0u8; 20];
            mix(&mut digest, key);
            object(&mut digest, entry);
            xor(&mut fin, &digest);
        }
    }
    hex(&fin)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_known_answers() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let long = super::sha256_hex(&[b'a'; 1000]);
        assert_eq!(long, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    }

    #[test]
    fn sha1_known_answers() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(super::sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(super::sha1(&[b'a'; 1000])), "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    }
}
