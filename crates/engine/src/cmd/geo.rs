//! Geo commands, a port of Redis 7.4's `geo.c`: a geo set is a sorted set whose scores are
//! 52-bit geohashes (see `geohash.rs`), so GEOADD is ZADD with computed scores and the searches
//! scan the score ranges of nine geohash boxes around the centre.
//!
//! Arguments are checked in `georadiusGeneric`'s order (key type, centre and radius of the
//! GEORADIUS forms, options left to right, then the cross-option checks), so a bad command gets
//! the error a real server gives.

use super::zset::{store_result, zadd_apply, AddFlags};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::float::{fixed4, parse_double};
use crate::frame::Frame;
use crate::geohash::{self, Search, Shape};
use crate::types::zset::{ScoreBound, ScoreRange};
use crate::types::{Value, ZSet};
use bytes::Bytes;

/// A spec in this file's group, built by the shared `cmd::spec`.
macro_rules! spec {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        super::spec($name, $arity, $flags, $keys, "geo", $summary, $syntax, $run)
    };
}

const WD: &[&str] = &["write", "denyoom"];
const WDM: &[&str] = &["write", "denyoom", "movablekeys"];
const R: &[&str] = &["readonly"];

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec!(
        "geoadd",
        -5,
        WD,
        (1, 1, 1),
        "Add places (longitude, latitude, name) to a geo set, or move them.",
        "key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]",
        geoadd
    ),
    spec!(
        "geopos",
        -2,
        R,
        (1, 1, 1),
        "Return the longitude and latitude of places.",
        "key [member [member ...]]",
        geopos
    ),
    spec!(
        "geodist",
        -4,
        R,
        (1, 1, 1),
        "Return the distance between two places.",
        "key member1 member2 [M | KM | FT | MI]",
        geodist
    ),
    spec!(
        "geohash",
        -2,
        R,
        (1, 1, 1),
        "Return the standard 11-character geohash of places.",
        "key [member [member ...]]",
        geohash_cmd
    ),
    spec!(
        "geosearch",
        -7,
        R,
        (1, 1, 1),
        "Find places inside a circle or a box around a place or a point.",
        "key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]",
        geosearch
    ),
    spec!(
        "geosearchstore",
        -8,
        WD,
        (1, 2, 1),
        "Store the places inside a circle or a box as a geo set (or their distances).",
        "destination source <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]",
        geosearchstore
    ),
    spec!(
        "georadius",
        -6,
        WDM,
        (1, 1, 1),
        "Find places within a radius of a point (older form of GEOSEARCH).",
        "key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]",
        georadius
    ),
    spec!(
        "georadius_ro",
        -6,
        R,
        (1, 1, 1),
        "Find places within a radius of a point (read-only GEORADIUS).",
        "key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]",
        georadius_ro
    ),
    spec!(
        "georadiusbymember",
        -5,
        WDM,
        (1, 1, 1),
        "Find places within a radius of a place (older form of GEOSEARCH).",
        "key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]",
        georadiusbymember
    ),
    spec!(
        "georadiusbymember_ro",
        -5,
        R,
        (1, 1, 1),
        "Find places within a radius of a place (read-only GEORADIUSBYMEMBER).",
        "key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]",
        georadiusbymember_ro
    ),
]);

/// `strcasecmp` on an argument: C compares up to the first NUL byte.
fn is(arg: &[u8], word: &str) -> bool {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    arg[..end].eq_ignore_ascii_case(word.as_bytes())
}

/// `extractLongLatOrReply`: two doubles inside the Web Mercator square.
fn lon_lat(lon: &[u8], lat: &[u8]) -> Result<(f64, f64), CmdError> {
    let lon = parse_double(lon).ok_or_else(CmdError::not_float)?;
    let lat = parse_double(lat).ok_or_else(CmdError::not_float)?;
    let inside = (geohash::LONG_MIN..=geohash::LONG_MAX).contains(&lon)
        && (geohash::LAT_MIN..=geohash::LAT_MAX).contains(&lat);
    if !inside {
        return Err(CmdError::err(format!("invalid longitude,latitude pair {lon:.6},{lat:.6}")));
    }
    Ok((lon, lat))
}

/// `extractUnitOrReply`: meters per unit.
fn unit(arg: &[u8]) -> Result<f64, CmdError> {
    let units = [("m", 1.0), ("km", 1000.0), ("ft", 0.3048), ("mi", 1609.34)];
    units
        .iter()
        .find(|(name, _)| is(arg, name))
        .map(|(_, meters)| *meters)
        .ok_or_else(|| CmdError::err("unsupported unit provided. please use M, KM, FT, MI"))
}

/// A non-negative double, or `ERR {what}` (Redis's `getDoubleFromObjectOrReply` with a message).
fn number(arg: &[u8], what: &str) -> Result<f64, CmdError> {
    parse_double(arg).ok_or_else(|| CmdError::err(what))
}

/// `extractDistanceOrReply`: (radius, meters per unit).
fn radius_arg(radius: &[u8], unit_arg: &[u8]) -> Result<(f64, f64), CmdError> {
    let radius = number(radius, "need numeric radius")?;
    if radius < 0.0 {
        return Err(CmdError::err("radius cannot be negative"));
    }
    Ok((radius, unit(unit_arg)?))
}

/// `extractBoxOrReply`: (width, height, meters per unit).
fn box_arg(width: &[u8], height: &[u8], unit_arg: &[u8]) -> Result<(f64, f64, f64), CmdError> {
    let width = number(width, "need numeric width")?;
    let height = number(height, "need numeric height")?;
    if height < 0.0 || width < 0.0 {
        return Err(CmdError::err("height or width cannot be negative"));
    }
    Ok((width, height, unit(unit_arg)?))
}

/// The sorted set at `key` (raw: the caller already counted its lookup).
fn raw_zset<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Option<&'a ZSet> {
    match ctx.db().raw_get(key).map(|e| &e.value) {
        Some(Value::ZSet(z)) => Some(z),
        _ => None,
    }
}

/// Look `key` up for reading (a hit or a miss), WRONGTYPE unless it is a sorted set.
fn read_exists(ctx: &mut Ctx, key: &[u8]) -> Result<bool, CmdError> {
    match ctx.read(key) {
        None => Ok(false),
        Some(Value::ZSet(_)) => Ok(true),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// `longLatFromMember`.
fn member_position(ctx: &mut Ctx, key: &[u8], member: &[u8]) -> Result<(f64, f64), CmdError> {
    raw_zset(ctx, key)
        .and_then(|z| z.score(member))
        .map(geohash::decode_score)
        .ok_or_else(|| CmdError::err("could not decode requested zset member"))
}

// ---------------------------------------------------------------------------------------------
// GEOADD, GEOPOS, GEODIST, GEOHASH

fn geoadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let argv = args.all().to_vec();
    let mut flags = AddFlags::default();
    let mut longidx = 2;
    while let Some(opt) = argv.get(longidx) {
        if is(opt, "nx") {
            flags.nx = true;
        } else if is(opt, "xx") {
            flags.xx = true;
        } else if is(opt, "ch") {
            flags.ch = true;
        } else {
            break;
        }
        longidx += 1;
    }
    if (argv.len() - longidx) % 3 != 0 || (flags.xx && flags.nx) {
        return Err(CmdError::syntax());
    }
    let mut pairs = Vec::with_capacity((argv.len() - longidx) / 3);
    for place in argv[longidx..].chunks(3) {
        let (lon, lat) = lon_lat(&place[0], &place[1])?;
        // Redis hands ZADD the score as integer text, which ZADD reads back as a double.
        pairs.push((geohash::encode_score(lon, lat) as f64, place[2].clone()));
    }
    // ZADD itself refuses a command without any element.
    if pairs.is_empty() {
        return Err(CmdError::syntax());
    }
    zadd_apply(ctx, argv[1].clone(), flags, pairs)
}

fn geopos(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    read_exists(ctx, &key)?;
    let z = raw_zset(ctx, &key);
    let reply = members.iter().map(|m| match z.and_then(|z| z.score(m)) {
        None => Frame::NullArray,
        Some(score) => {
            let (lon, lat) = geohash::decode_score(score);
            Frame::Array(vec![Frame::HumanDouble(lon), Frame::HumanDouble(lat)])
        }
    });
    Ok(Frame::Array(reply.collect()))
}

fn geodist(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let argv = args.all();
    let to_meter = match argv.len() {
        5 => unit(&argv[4])?,
        n if n > 5 => return Err(CmdError::syntax()),
        _ => 1.0,
    };
    let (key, a, b) = (argv[1].clone(), argv[2].clone(), argv[3].clone());
    if !read_exists(ctx, &key)? {
        return Ok(Frame::Null);
    }
    let scores = raw_zset(ctx, &key).and_then(|z| Some((z.score(&a)?, z.score(&b)?)));
    Ok(match scores {
        None => Frame::Null,
        Some((s1, s2)) => {
            let (lon1, lat1) = geohash::decode_score(s1);
            let (lon2, lat2) = geohash::decode_score(s2);
            Frame::bulk(fixed4(geohash::distance(lon1, lat1, lon2, lat2) / to_meter))
        }
    })
}

fn geohash_cmd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    read_exists(ctx, &key)?;
    let z = raw_zset(ctx, &key);
    let reply = members.iter().map(|m| {
        z.and_then(|z| z.score(m)).map_or(Frame::Null, |score| Frame::bulk(geohash::standard_geohash(score)))
    });
    Ok(Frame::Array(reply.collect()))
}

// ---------------------------------------------------------------------------------------------
// GEOSEARCH, GEOSEARCHSTORE, GEORADIUS and GEORADIUSBYMEMBER (and their _RO forms)

/// Which command runs `georadiusGeneric` (Redis's RADIUS_* / GEOSEARCH* flags).
const RADIUS_COORDS: u8 = 1;
const RADIUS_MEMBER: u8 = 2;
const RADIUS_NOSTORE: u8 = 4;
const GEOSEARCH: u8 = 8;
const GEOSEARCHSTORE: u8 = 16;

#[derive(Clone, Copy, PartialEq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// A match (`geoPoint`): decoded position, distance in meters, score, name.
struct Point {
    lon: f64,
    lat: f64,
    dist: f64,
    score: f64,
    member: Bytes,
}

fn georadius(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    radius_generic(ctx, args, 1, RADIUS_COORDS)
}
fn georadiusbymember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    radius_generic(ctx, args, 1, RADIUS_MEMBER)
}
fn georadius_ro(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    radius_generic(ctx, args, 1, RADIUS_COORDS | RADIUS_NOSTORE)
}
fn georadiusbymember_ro(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    radius_generic(ctx, args, 1, RADIUS_MEMBER | RADIUS_NOSTORE)
}
fn geosearch(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    radius_generic(ctx, args, 1, GEOSEARCH)
}
fn geosearchstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    radius_generic(ctx, args, 2, GEOSEARCH | GEOSEARCHSTORE)
}

/// `georadiusGeneric`.
fn radius_generic(ctx: &mut Ctx, args: &mut Args, src: usize, flags: u8) -> CmdResult {
    let argv = args.all().to_vec();
    let key = argv[src].clone();
    let exists = read_exists(ctx, &key)?;
    let has = |flag: u8| flags & flag != 0;
    let mut storekey: Option<Bytes> = None;
    let mut storedist = false;
    let (mut center, mut shape, mut conversion) = ((0.0, 0.0), Shape::Circle { radius: 0.0 }, 0.0);
    let base = if has(RADIUS_COORDS) {
        center = lon_lat(&argv[2], &argv[3])?;
        let (radius, conv) = radius_arg(&argv[4], &argv[5])?;
        (shape, conversion) = (Shape::Circle { radius }, conv);
        6
    } else if has(RADIUS_MEMBER) {
        // Without the key, parsing goes on to tell which empty reply to give.
        if exists {
            center = member_position(ctx, &key, &argv[2])?;
            let (radius, conv) = radius_arg(&argv[3], &argv[4])?;
            (shape, conversion) = (Shape::Circle { radius }, conv);
        }
        5
    } else if has(GEOSEARCHSTORE) {
        storekey = Some(argv[1].clone());
        3
    } else {
        2
    };

    let (mut withdist, mut withhash, mut withcoords) = (false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut any = false;
    let mut count: i64 = 0;
    let remaining = argv.len().saturating_sub(base);
    let opt = |i: usize| &argv[base + i];
    let mut i = 0;
    while i < remaining {
        let arg = opt(i);
        let can_store = !has(RADIUS_NOSTORE) && !has(GEOSEARCH);
        if is(arg, "withdist") {
            withdist = true;
        } else if is(arg, "withhash") {
            withhash = true;
        } else if is(arg, "withcoord") {
            withcoords = true;
        } else if is(arg, "any") {
            any = true;
        } else if is(arg, "asc") {
            sort = Sort::Asc;
        } else if is(arg, "desc") {
            sort = Sort::Desc;
        } else if is(arg, "count") && i + 1 < remaining {
            count = parse_i64(opt(i + 1)).ok_or_else(CmdError::not_integer)?;
            if count <= 0 {
                return Err(CmdError::err("COUNT must be > 0"));
            }
            i += 1;
        } else if is(arg, "store") && i + 1 < remaining && can_store {
            storekey = Some(opt(i + 1).clone());
            storedist = false;
            i += 1;
        } else if is(arg, "storedist") && i + 1 < remaining && can_store {
            storekey = Some(opt(i + 1).clone());
            storedist = true;
            i += 1;
        } else if is(arg, "storedist") && has(GEOSEARCH) && has(GEOSEARCHSTORE) {
            storedist = true;
        } else if is(arg, "frommember") && i + 1 < remaining && has(GEOSEARCH) && !fromloc {
            if exists {
                center = member_position(ctx, &key, opt(i + 1))?;
            }
            frommember = true;
            i += 1;
        } else if is(arg, "fromlonlat") && i + 2 < remaining && has(GEOSEARCH) && !frommember {
            center = lon_lat(opt(i + 1), opt(i + 2))?;
            fromloc = true;
            i += 2;
        } else if is(arg, "byradius") && i + 2 < remaining && has(GEOSEARCH) && !bybox {
            let (radius, conv) = radius_arg(opt(i + 1), opt(i + 2))?;
            (shape, conversion) = (Shape::Circle { radius }, conv);
            byradius = true;
            i += 2;
        } else if is(arg, "bybox") && i + 3 < remaining && has(GEOSEARCH) && !byradius {
            let (width, height, conv) = box_arg(opt(i + 1), opt(i + 2), opt(i + 3))?;
            (shape, conversion) = (Shape::Box { width, height }, conv);
            bybox = true;
            i += 3;
        } else {
            return Err(CmdError::syntax());
        }
        i += 1;
    }

    if storekey.is_some() && (withdist || withhash || withcoords) {
        let what = if has(GEOSEARCHSTORE) { "GEOSEARCHSTORE" } else { "STORE option in GEORADIUS" };
        return Err(CmdError::err(format!(
            "{what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        )));
    }
    let name = String::from_utf8_lossy(&argv[0]);
    if has(GEOSEARCH) && !(frommember || fromloc) {
        return Err(CmdError::err(format!(
            "exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )));
    }
    if has(GEOSEARCH) && !(byradius || bybox) {
        return Err(CmdError::err(format!("exactly one of BYRADIUS and BYBOX can be specified for {name}")));
    }
    if any && count == 0 {
        return Err(CmdError::err("the ANY argument requires COUNT argument"));
    }
    if !exists {
        return Ok(match storekey {
            Some(dst) => {
                ctx.delete(&dst);
                Frame::Integer(0)
            }
            None => Frame::Array(vec![]),
        });
    }
    // COUNT without an order means the nearest ones (ANY takes whatever it finds first).
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }

    let search = Search { lon: center.0, lat: center.1, shape, conversion };
    let limit = if any { count as usize } else { 0 };
    let mut found = match raw_zset(ctx, &key) {
        Some(z) => members_of_all_neighbors(z, &search, limit),
        None => vec![],
    };
    if found.is_empty() && storekey.is_none() {
        return Ok(Frame::Array(vec![]));
    }
    let returned =
        if count == 0 || (found.len() as u64) < count as u64 { found.len() } else { count as usize };
    if sort != Sort::None {
        let asc = |a: &Point, b: &Point| {
            if a.dist > b.dist {
                1
            } else if a.dist == b.dist {
                0
            } else {
                -1
            }
        };
        let cmp = |a: &Point, b: &Point| if sort == Sort::Asc { asc(a, b) } else { -asc(a, b) };
        if returned == found.len() {
            // glibc's qsort is a merge sort: stable, like this one.
            found.sort_by(|a, b| cmp(a, b).cmp(&0));
        } else {
            let n = found.len();
            crate::pqsort::pqsort(&mut found, 0, n, 0, returned as i64 - 1, &|a, b| cmp(a, b).cmp(&0));
        }
    }
    found.truncate(returned);

    match storekey {
        None => {
            let options = usize::from(withdist) + usize::from(withcoords) + usize::from(withhash);
            let reply = found.into_iter().map(|p| {
                if options == 0 {
                    return Frame::Bulk(p.member);
                }
                let mut item = Vec::with_capacity(options + 1);
                item.push(Frame::Bulk(p.member));
                if withdist {
                    item.push(Frame::bulk(fixed4(p.dist / conversion)));
                }
                if withhash {
                    item.push(Frame::Integer(p.score as i64));
                }
                if withcoords {
                    item.push(Frame::Array(vec![Frame::HumanDouble(p.lon), Frame::HumanDouble(p.lat)]));
                }
                Frame::Array(item)
            });
            Ok(Frame::Array(reply.collect()))
        }
        Some(dst) => {
            let items = found
                .into_iter()
                .map(|p| (p.member, if storedist { p.dist / conversion } else { p.score }))
                .collect();
            let event = if has(GEOSEARCH) { "geosearchstore" } else { "georadiusstore" };
            Ok(Frame::Integer(store_result(ctx, dst, items, event) as i64))
        }
    }
}

/// `membersOfAllNeighbors`: the matches in the centre box and its useful neighbours, box by
/// box in Redis's order, each box in score order; with `limit` (ANY) it stops at that many.
fn members_of_all_neighbors(z: &ZSet, search: &Search, limit: usize) -> Vec<Point> {
    let boxes = search.areas();
    let mut found = Vec::new();
    // Redis's `last_processed` starts at 0, which also means "none": kept as is.
    let mut last_processed = 0;
    for (i, hash) in boxes.iter().enumerate() {
        if hash.is_zero() {
            continue;
        }
        // With huge radiuses neighbours can be the same box: skip a repeat of the last one.
        if last_processed != 0 && *hash == boxes[last_processed] {
            continue;
        }
        if limit != 0 && found.len() >= limit {
            break;
        }
        let (min, max) = geohash::score_range(*hash);
        points_in_range(z, min as f64, max as f64, search, &mut found, limit);
        last_processed = i;
    }
    found
}

/// `geoGetPointsInRange`: members with min <= score < max that are inside the search area.
fn points_in_range(z: &ZSet, min: f64, max: f64, search: &Search, found: &mut Vec<Point>, limit: usize) {
    let range = ScoreRange {
        min: ScoreBound { value: min, exclusive: false },
        max: ScoreBound { value: max, exclusive: true },
    };
    for (member, score) in z.score_iter(&range, false) {
        let (lon, lat) = geohash::decode_score(score);
        if let Some(dist) = search.distance_if_within(lon, lat) {
            found.push(Point { lon, lat, dist, score, member: member.clone() });
        }
        if limit != 0 && found.len() >= limit {
            break;
        }
    }
}
