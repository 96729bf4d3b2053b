//! Reading a whole RDB file (`rdbLoadRioWithLoadingCtx`): what a primary sends a replica after
//! `+FULLRESYNC`. Keys with their deadlines and databases, function libraries; aux fields,
//! RediSearch's and other modules' aux data and module values the engine cannot hold are
//! skipped (their format is self-describing), and counted so the caller can say so.

use super::{read_value, Reader, T_MODULE_2};
use crate::types::Value;
use bytes::Bytes;

/// One key of the file.
#[derive(Debug)]
pub struct LoadedKey {
    pub db: usize,
    pub key: Bytes,
    pub value: Value,
    /// Absolute deadline, Unix ms.
    pub expires_at: Option<u64>,
}

/// What a file holds that the engine keeps.
#[derive(Debug, Default)]
pub struct Loaded {
    pub keys: Vec<LoadedKey>,
    /// Function libraries' code (`RDB_OPCODE_FUNCTION2`).
    pub libraries: Vec<Bytes>,
    /// Module values the engine has no type for (ReJSON's own encoding, for one).
    pub skipped_module_values: usize,
}

const OPCODE_SLOT_INFO: u8 = 244;
const OPCODE_FUNCTION2: u8 = 245;
const OPCODE_FUNCTION_PRE_GA: u8 = 246;
const OPCODE_MODULE_AUX: u8 = 247;
const OPCODE_IDLE: u8 = 248;
const OPCODE_FREQ: u8 = 249;
const OPCODE_AUX: u8 = 250;
const OPCODE_RESIZEDB: u8 = 251;
const OPCODE_EXPIRETIME_MS: u8 = 252;
const OPCODE_EXPIRETIME: u8 = 253;
const OPCODE_SELECTDB: u8 = 254;
const OPCODE_EOF: u8 = 255;

/// Parse `file` (`REDIS` + 4-digit version, then opcodes and keys, `EOF`, a CRC-64 that is
/// checked unless zero). `limit` bounds what compressed strings may unpack to, in all.
pub fn load_file(file: &[u8], limit: usize) -> Result<Loaded, &'static str> {
    let bad = "Bad file format reading the RDB";
    let version = file
        .strip_prefix(b"REDIS")
        .and_then(|rest| std::str::from_utf8(rest.get(..4)?).ok()?.parse::<u16>().ok())
        .ok_or("Wrong signature trying to load DB from file")?;
    if !(1..=super::RDB_VERSION).contains(&version) {
        return Err("Can't handle RDB format version");
    }
    let mut r = Reader { buf: file, pos: 9, budget: limit };
    let mut out = Loaded::default();
    let (mut db, mut expires_at) = (0usize, None);
    loop {
        let kind = r.byte().map_err(|_| bad)?;
        match kind {
            OPCODE_EOF => break,
            OPCODE_SELECTDB => db = r.len().map_err(|_| bad)? as usize,
            OPCODE_RESIZEDB => {
                r.len().map_err(|_| bad)?;
                r.len().map_err(|_| bad)?;
            }
            OPCODE_SLOT_INFO => {
                for _ in 0..3 {
                    r.len().map_err(|_| bad)?;
                }
            }
            OPCODE_EXPIRETIME_MS => {
                let raw = r.take(8).map_err(|_| bad)?;
                expires_at = Some(u64::from_le_bytes(raw.try_into().map_err(|_| bad)?));
            }
            OPCODE_EXPIRETIME => {
                let raw = r.take(4).map_err(|_| bad)?;
                expires_at = Some(u64::from(u32::from_le_bytes(raw.try_into().map_err(|_| bad)?)) * 1000);
            }
            OPCODE_IDLE => {
                r.len().map_err(|_| bad)?;
            }
            OPCODE_FREQ => {
                r.byte().map_err(|_| bad)?;
            }
            OPCODE_AUX => {
                r.string().map_err(|_| bad)?;
                r.string().map_err(|_| bad)?;
            }
            OPCODE_MODULE_AUX => {
                r.len().map_err(|_| bad)?; // module id
                r.len().map_err(|_| bad)?; // when opcode
                r.len().map_err(|_| bad)?; // when
                skip_module_data(&mut r).map_err(|_| bad)?;
            }
            OPCODE_FUNCTION2 => out.libraries.push(r.string().map_err(|_| bad)?),
            OPCODE_FUNCTION_PRE_GA => return Err("Pre-release function format not supported"),
            _ => {
                let key = r.string().map_err(|_| bad)?;
                // A module's own value starts with its 64-bit module id (the engine's JSON and
                // suggestion values are one string instead).
                if kind == T_MODULE_2 && r.buf.get(r.pos) == Some(&0x81) {
                    r.len().map_err(|_| bad)?;
                    skip_module_data(&mut r).map_err(|_| bad)?;
                    out.skipped_module_values += 1;
                } else {
                    let value = read_value(&mut r, kind).map_err(|_| bad)?;
                    if !value.is_empty_collection() {
                        out.keys.push(LoadedKey { db, key, value, expires_at });
                    }
                }
                expires_at = None;
            }
        }
    }
    if version >= 5 {
        let sum = r.take(8).map_err(|_| bad)?;
        let expected = u64::from_le_bytes(sum.try_into().map_err(|_| bad)?);
        if expected != 0 && super::crc64::crc64(&file[..r.pos - 8]) != expected {
            return Err("Wrong RDB checksum");
        }
    }
    Ok(out)
}

/// Module data in `RDB_TYPE_MODULE_2` form: typed fields until `RDB_MODULE_OPCODE_EOF`.
fn skip_module_data(r: &mut Reader) -> Result<(), ()> {
    loop {
        match r.len()? {
            0 => return Ok(()),
            1 | 2 => {
                r.len()?;
            }
            3 => {
                r.take(4)?;
            }
            4 => {
                r.take(8)?;
            }
            5 => {
                r.string()?;
            }
            _ => return Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn args(line: &str) -> Vec<Bytes> {
        line.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
    }

    #[test]
    fn the_engine_reads_its_own_files() {
        let mut engine = Engine::new(1, 1_000);
        for line in [
            "SET s v",
            "RPUSH l a b",
            "HSET h f v",
            "ZADD z 1 m",
            "SADD t x",
            "PEXPIRE s 5000",
            "SELECT 3",
            "SET other 1",
        ] {
            engine.execute(1, args(line), 1_000);
        }
        let file = super::super::file(engine.server(), 1_000);
        let loaded = load_file(&file, usize::MAX).expect("loads");
        let mut keys: Vec<(usize, String, Option<u64>)> = loaded
            .keys
            .iter()
            .map(|k| (k.db, String::from_utf8_lossy(&k.key).into_owned(), k.expires_at))
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                (0, "h".into(), None),
                (0, "l".into(), None),
                (0, "s".into(), Some(6_000)),
                (0, "t".into(), None),
                (0, "z".into(), None),
                (3, "other".into(), None)
            ]
        );
        let mut broken = file.clone();
        let at = broken.len() - 12;
        broken[at] ^= 1;
        assert!(load_file(&broken, usize::MAX).is_err());
        assert!(load_file(b"REDIS0099", usize::MAX).is_err());
        assert!(load_file(b"NOPE", usize::MAX).is_err());
        assert!(load_file(&file[..file.len() / 2], usize::MAX).is_err());
    }
}
