//! Connection commands: PING, ECHO, SELECT, SWAPDB, MOVE, HELLO, AUTH, CLIENT, RESET, QUIT.
//!
//! The playground has no sockets: AUTH logs in as an ACL user (`cmd/acl.rs`), CLIENT LIST
//! invents stable addresses from client ids, and QUIT / CLIENT KILL mark the client `closing`
//! for the transport (the proxy) to act on.

use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::events::Event;
use crate::frame::{Frame, Protocol};
use crate::server::{Client, Server};
use bytes::Bytes;

/// The Redis version this engine answers as (the oracle's: INFO, HELLO, LOLWUT-free).
pub const REDIS_VERSION: &str = "7.4.1";
/// The RediSearch version HELLO and INFO modules list (the oracle's).
pub const SEARCH_MODULE_VERSION: i64 = 21005;
/// Where a redis-stack install keeps the search module; shown by HELLO like a real server.
pub const SEARCH_MODULE_PATH: &str = "/opt/redis-stack/lib/redisearch.so";

const CONN_FLAGS: &[&str] = &["noscript", "loading", "stale"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "ping",
        -1,
        &["fast"],
        (0, 0, 0),
        "connection",
        "Check the connection: replies PONG, or echoes the message given.",
        "[message]",
        ping,
    ),
    spec(
        "echo",
        2,
        &["loading", "stale", "fast"],
        (0, 0, 0),
        "connection",
        "Return the message given.",
        "message",
        echo,
    ),
    spec(
        "select",
        2,
        &["loading", "stale", "fast"],
        (0, 0, 0),
        "connection",
        "Switch this connection to another numbered database (0 to 15).",
        "index",
        select,
    ),
    crate::cmd::lazy_one(SWAPDB),
    crate::cmd::lazy_one(MOVE),
    spec(
        "hello",
        -1,
        &["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
        (0, 0, 0),
        "connection",
        "Handshake: pick RESP2 or RESP3, optionally authenticate and name the connection.",
        "[protover [AUTH username password] [SETNAME clientname]]",
        hello,
    ),
    spec(
        "auth",
        -2,
        &["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
        (0, 0, 0),
        "connection",
        "Authenticate the connection (the playground has no password set).",
        "[username] password",
        auth,
    ),
    CommandSpec {
        name: "client",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "connection",
        summary: "Inspect and manage client connections (ID, SETNAME, LIST, INFO, KILL ...).",
        syntax: "subcommand [argument ...]",
        run: super::container,
        subcommands: CLIENT_SUBCOMMANDS,
    },
    spec(
        "reset",
        1,
        &["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
        (0, 0, 0),
        "connection",
        "Reset the connection: leave MULTI, unwatch, back to db 0 and RESP2, drop the name.",
        "",
        reset,
    ),
    spec(
        "quit",
        -1,
        &["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
        (0, 0, 0),
        "connection",
        "Close the connection after replying OK.",
        "",
        quit,
    ),
];

/// SWAPDB and MOVE's handlers, which come with the rare group (see [`crate::cmd::lazy_one`]).
pub(crate) const FULL: &[CommandSpec] = &[SWAPDB, MOVE];

const SWAPDB: CommandSpec = spec(
    "swapdb",
    3,
    &["write", "fast"],
    (0, 0, 0),
    "server",
    "Exchange the contents of two databases, for every client at once.",
    "index1 index2",
    swapdb,
);

const MOVE: CommandSpec = spec(
    "move",
    3,
    &["write", "fast"],
    (1, 1, 1),
    "generic",
    "Move a key to another database; 0 if it is missing or already there.",
    "key db",
    move_key,
);

/// CLIENT's subcommands whose handlers come with the rare group.
pub(crate) const CLIENT_FULL: &[CommandSpec] = &[
    CLIENT_KILL,
    crate::cmd::tracking::TRACKING,
    crate::cmd::tracking::CACHING,
    crate::cmd::tracking::GETREDIR,
    crate::cmd::tracking::TRACKINGINFO,
];

#[rustfmt::skip]
const CLIENT_KILL: CommandSpec = spec("kill", -3, &["admin", "noscript", "loading", "stale"], (0, 0, 0), "connection", "Close connections by address or by filters (ID, ADDR, USER, SKIPME, MAXAGE).", "<ip:port | [ID client-id] [TYPE type] [USER username] [ADDR ip:port] [SKIPME <YES | NO>] [MAXAGE maxage]>", client_kill);

const CLIENT_SUBCOMMANDS: &[CommandSpec] = &[
    spec("id", 2, CONN_FLAGS, (0, 0, 0), "connection", "The unique id of this connection.", "", client_id),
    spec(
        "setname",
        3,
        CONN_FLAGS,
        (0, 0, 0),
        "connection",
        "Name this connection (shown by CLIENT LIST).",
        "connection-name",
        client_setname,
    ),
    spec(
        "getname",
        2,
        CONN_FLAGS,
        (0, 0, 0),
        "connection",
        "The name of this connection, or nil.",
        "",
        client_getname,
    ),
    spec(
        "info",
        2,
        CONN_FLAGS,
        (0, 0, 0),
        "connection",
        "One line describing this connection.",
        "",
        client_info,
    ),
    spec(
        "list",
        -2,
        &["admin", "noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "One line per connected client.",
        "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]",
        client_list,
    ),
    spec(
        "setinfo",
        4,
        CONN_FLAGS,
        (0, 0, 0),
        "connection",
        "Record the client library's name or version (client libraries send this).",
        "<LIB-NAME libname | LIB-VER libver>",
        client_setinfo,
    ),
    spec(
        "no-evict",
        3,
        &["admin", "noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "Protect this connection from client eviction.",
        "<ON | OFF>",
        client_no_evict,
    ),
    spec(
        "reply",
        3,
        &["noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "Turn this connection's replies off, on, or off for the next command only.",
        "<ON | OFF | SKIP>",
        client_reply,
    ),
    spec(
        "no-touch",
        3,
        &["noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "When ON, this connection's reads leave keys' LRU/LFU data untouched.",
        "<ON | OFF>",
        client_no_touch,
    ),
    crate::cmd::lazy_one(CLIENT_KILL),
    spec(
        "pause",
        -3,
        &["admin", "noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "Hold every client's commands (or only writes) for a number of milliseconds.",
        "timeout [WRITE | ALL]",
        super::pause::client_pause,
    ),
    spec(
        "unpause",
        2,
        &["admin", "noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "End CLIENT PAUSE now: the held commands run.",
        "",
        super::pause::client_unpause,
    ),
    spec(
        "unblock",
        -3,
        &["admin", "noscript", "loading", "stale"],
        (0, 0, 0),
        "connection",
        "End another connection's blocking command now, as if it timed out (or with an error).",
        "client-id [TIMEOUT | ERROR]",
        client_unblock,
    ),
    crate::cmd::lazy_one(crate::cmd::tracking::TRACKING),
    crate::cmd::lazy_one(crate::cmd::tracking::CACHING),
    crate::cmd::lazy_one(crate::cmd::tracking::GETREDIR),
    crate::cmd::lazy_one(crate::cmd::tracking::TRACKINGINFO),
    spec(
        "help",
        2,
        &["loading", "stale"],
        (0, 0, 0),
        "connection",
        "Show CLIENT's subcommands.",
        "",
        client_help,
    ),
];

fn ping(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    // A RESP2 subscriber gets a message-shaped reply: ["pong", message or ""].
    if ctx.client.subs.active() && ctx.client.protocol == Protocol::Resp2 && args.remaining() < 2 {
        return Ok(Frame::Array(vec![Frame::bulk("pong"), Frame::Bulk(args.next_opt().unwrap_or_default())]));
    }
    match args.remaining() {
        0 => Ok(Frame::Simple("PONG".into())),
        1 => Ok(Frame::Bulk(args.next_bytes()?)),
        _ => Err(CmdError::wrong_arity("ping")),
    }
}

fn echo(_: &mut Ctx, args: &mut Args) -> CmdResult {
    Ok(Frame::Bulk(args.next_bytes()?))
}

fn db_out_of_range() -> CmdError {
    CmdError::err("DB index is out of range")
}

/// A database index: `not_int` if it does not parse, out of range if it is not a database.
fn parse_db(server: &Server, arg: &[u8], not_int: fn() -> CmdError) -> Result<usize, CmdError> {
    let index = parse_i64(arg).ok_or_else(not_int)?;
    usize::try_from(index).ok().filter(|i| *i < server.dbs.len()).ok_or_else(db_out_of_range)
}

fn select(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let db = parse_db(ctx.server, &args.next_bytes()?, CmdError::not_integer)?;
    ctx.client.db = db;
    Ok(Frame::ok())
}

fn swapdb(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let first = parse_i64(&args.next_bytes()?).ok_or_else(|| CmdError::err("invalid first DB index"))?;
    let second = parse_i64(&args.next_bytes()?).ok_or_else(|| CmdError::err("invalid second DB index"))?;
    let dbs = ctx.server.dbs.len() as i64;
    if !(0..dbs).contains(&first) || !(0..dbs).contains(&second) {
        return Err(db_out_of_range());
    }
    let (a, b) = (first as usize, second as usize);
    if a != b {
        // WATCHers of keys in either database see a change, as in Redis's SWAPDB.
        ctx.server.touch_swapped(a, b, ctx.now);
        ctx.server.dbs.swap(a, b);
        // Indexes hear of every key on both sides again, and `dirty` counts them again, as the
        // two passes over each database always did here.
        for db in [a, b] {
            if ctx.server.track_changes {
                let keys: Vec<Bytes> = ctx.server.dbs[db].keys().cloned().collect();
                ctx.server.changed.extend(keys.into_iter().map(|k| (db, k)));
            }
            ctx.server.dirty += ctx.server.dbs[db].len() as u64;
        }
        ctx.server.evict_pool.clear();
        ctx.server.events.emit(|| Event::Swapped { a, b });
    }
    Ok(Frame::ok())
}

fn move_key(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let dst = parse_db(ctx.server, &args.next_bytes()?, CmdError::not_integer)?;
    let src = ctx.client.db;
    if src == dst {
        return Err(CmdError::err("source and destination objects are the same"));
    }
    if ctx.peek(&key).is_none() {
        return Ok(Frame::Integer(0));
    }
    ctx.expire_if_needed_in(dst, &key);
    if ctx.server.dbs[dst].raw_get(&key).is_some() {
        return Ok(Frame::Integer(0));
    }
    let registered = ctx.server.dbs[src].field_ttls_registered(&key);
    let Some(entry) = ctx.server.dbs[src].remove(&key) else { return Ok(Frame::Integer(0)) };
    let now = ctx.now;
    ctx.server.dbs[dst].insert(key.clone(), entry.value, entry.expires_at, now);
    if let Some(moved) = ctx.server.dbs[dst].raw_get_mut(&key) {
        moved.access = entry.access;
        moved.encoding_floor = entry.encoding_floor;
    }
    ctx.server.dbs[dst].set_field_ttls(&key, entry.field_ttls, registered);
    ctx.server.events.emit(|| Event::Deleted { db: src, key: key.clone() });
    ctx.server.events.emit(|| Event::Written { db: dst, key: key.clone() });
    ctx.server.touch(src, &key);
    ctx.server.touch(dst, &key);
    crate::notify::notify(ctx.server, crate::notify::NEW, "new", dst, &key);
    crate::notify::notify(ctx.server, crate::notify::GENERIC, "move_from", src, &key);
    crate::notify::notify(ctx.server, crate::notify::GENERIC, "move_to", dst, &key);
    Ok(Frame::Integer(1))
}

/// The RedisJSON version the JSON oracle loads (MODULE LIST's `ver`).
pub const JSON_MODULE_VERSION: i64 = 20803;

/// The loaded modules as HELLO and MODULE LIST describe them, in the order a redis-stack
/// server with RedisJSON and RediSearch lists them.
pub fn modules() -> Vec<Frame> {
    let module = |name: &str, ver: i64, path: &str| {
        Frame::Map(vec![
            (Frame::bulk("name"), Frame::bulk(name.to_string())),
            (Frame::bulk("ver"), Frame::Integer(ver)),
            (Frame::bulk("path"), Frame::bulk(path.to_string())),
            (Frame::bulk("args"), Frame::Array(vec![])),
        ])
    };
    vec![
        module("ReJSON", JSON_MODULE_VERSION, "/opt/redis-stack/lib/rejson.so"),
        module("search", SEARCH_MODULE_VERSION, SEARCH_MODULE_PATH),
    ]
}

/// What HELLO replies: the server's identity and this connection's protocol and id.
fn hello_reply(client: &Client) -> Frame {
    let proto = if client.protocol == Protocol::Resp3 { 3 } else { 2 };
    Frame::Map(vec![
        (Frame::bulk("server"), Frame::bulk("redis")),
        (Frame::bulk("version"), Frame::bulk(REDIS_VERSION)),
        (Frame::bulk("proto"), Frame::Integer(proto)),
        (Frame::bulk("id"), Frame::Integer(client.id as i64)),
        (Frame::bulk("mode"), Frame::bulk("standalone")),
        (Frame::bulk("role"), Frame::bulk("master")),
        (Frame::bulk("modules"), Frame::Array(modules())),
    ])
}

fn hello(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut version = None;
    if let Some(arg) = args.next_opt() {
        let v = parse_i64(&arg)
            .ok_or_else(|| CmdError::err("Protocol version is not an integer or out of range"))?;
        version = Some(match v {
            2 => Protocol::Resp2,
            3 => Protocol::Resp3,
            _ => return Err(CmdError::raw("NOPROTO unsupported protocol version")),
        });
    }
    let mut credentials = None;
    let mut name = None;
    while let Some(option) = args.next_opt() {
        let more = args.remaining();
        if option.eq_ignore_ascii_case(b"AUTH") && more >= 2 {
            credentials = Some((args.next_bytes()?, args.next_bytes()?));
        } else if option.eq_ignore_ascii_case(b"SETNAME") && more >= 1 {
            name = Some(args.next_bytes()?);
        } else {
            return Err(CmdError::err(format!(
                "Syntax error in HELLO option '{}'",
                crate::args::truncate_for_error(&option, 128)
            )));
        }
    }
    if let Some((user, password)) = credentials {
        let command = args.all()[0].clone();
        super::acl::authenticate(ctx, &user, &password, &command)?;
    } else if ctx.client.noauth && ctx.server.acl.auth_required() {
        return Err(CmdError::raw(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> \
             AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol \
             version at the same time",
        ));
    }
    if let Some(name) = name {
        set_client_name(ctx.client, name)?;
    }
    if let Some(protocol) = version {
        ctx.client.protocol = protocol;
    }
    Ok(hello_reply(ctx.client))
}

/// AUTH [user] password: the one-argument form logs in as `default`, and is an error while
/// the default user needs no password.
fn auth(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let command = args.all()[0].clone();
    match args.remaining() {
        1 if ctx.server.acl.default_user().is_some_and(|u| u.nopass) => Err(CmdError::err(
            "AUTH <password> called without any password configured for the default user. \
             Are you sure your configuration is correct?",
        )),
        1 => {
            let password = args.next_bytes()?;
            super::acl::authenticate(ctx, b"default", &password, &command)?;
            Ok(Frame::ok())
        }
        2 => {
            let (user, password) = (args.next_bytes()?, args.next_bytes()?);
            super::acl::authenticate(ctx, &user, &password, &command)?;
            Ok(Frame::ok())
        }
        _ => Err(CmdError::syntax()),
    }
}

fn reset(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let client = &mut *ctx.client;
    super::monitor::forget(ctx.server, client);
    crate::cmd::transaction::unwatch_all(ctx.server, client);
    ctx.server.dirty_clients.remove(&client.id);
    client.watched.clear();
    client.watch_dirty = false;
    crate::cmd::pubsub::forget_client(ctx.server, client);
    crate::cmd::tracking::disable(ctx.server, client);
    client.multi = None;
    client.multi_error = false;
    client.db = 0;
    client.protocol = Protocol::Resp2;
    client.name = None;
    client.no_evict = false;
    client.no_touch = false;
    client.user = None;
    client.noauth = ctx.server.acl.auth_required();
    client.reply_off = false;
    client.reply_skip_next = false;
    Ok(Frame::Simple("RESET".into()))
}

fn quit(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    ctx.client.closing = true;
    Ok(Frame::ok())
}

fn client_id(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(ctx.client.id as i64))
}

/// Redis allows only printable ASCII without spaces in client names and library info.
fn valid_client_text(text: &[u8]) -> bool {
    text.iter().all(|b| (b'!'..=b'~').contains(b))
}

fn set_client_name(client: &mut Client, name: Bytes) -> Result<(), CmdError> {
    if !valid_client_text(&name) {
        return Err(CmdError::err("Client names cannot contain spaces, newlines or special characters."));
    }
    client.name = if name.is_empty() { None } else { Some(name) };
    Ok(())
}

fn client_setname(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    set_client_name(ctx.client, args.next_bytes()?)?;
    Ok(Frame::ok())
}

fn client_getname(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(ctx.client.name.clone().map_or(Frame::Null, Frame::Bulk))
}

fn client_setinfo(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let option = args.next_bytes()?;
    let value = args.next_bytes()?;
    let shown = crate::args::truncate_for_error(&option, 128);
    let is_name = option.eq_ignore_ascii_case(b"LIB-NAME");
    if !is_name && !option.eq_ignore_ascii_case(b"LIB-VER") {
        return Err(CmdError::err(format!("Unrecognized option '{shown}'")));
    }
    if !valid_client_text(&value) {
        return Err(CmdError::err(format!("{shown} cannot contain spaces, newlines or special characters.")));
    }
    let slot = if is_name { &mut ctx.client.lib_name } else { &mut ctx.client.lib_ver };
    *slot = if value.is_empty() { None } else { Some(value) };
    Ok(Frame::ok())
}

/// Parse `ON` / `OFF` (any case); anything else is a syntax error.
fn on_off(arg: &[u8]) -> Result<bool, CmdError> {
    if arg.eq_ignore_ascii_case(b"on") {
        Ok(true)
    } else if arg.eq_ignore_ascii_case(b"off") {
        Ok(false)
    } else {
        Err(CmdError::syntax())
    }
}

fn client_no_evict(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ctx.client.no_evict = on_off(&args.next_bytes()?)?;
    Ok(Frame::ok())
}

/// CLIENT REPLY: OFF and SKIP answer nothing themselves; ON answers OK (and ends a SKIP).
fn client_reply(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mode = args.next_bytes()?;
    let client = &mut *ctx.client;
    if mode.eq_ignore_ascii_case(b"on") {
        client.reply_off = false;
        client.reply_skip = false;
    } else if mode.eq_ignore_ascii_case(b"off") {
        client.reply_off = true;
    } else if mode.eq_ignore_ascii_case(b"skip") {
        client.reply_skip_next |= !client.reply_off;
        client.reply_skip = true;
    } else {
        return Err(CmdError::syntax());
    }
    Ok(Frame::ok())
}

fn client_no_touch(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ctx.client.no_touch = on_off(&args.next_bytes()?)?;
    Ok(Frame::ok())
}

/// The made-up peer address of a client (the playground has no sockets): stable per id.
pub fn client_addr(id: u64) -> String {
    format!("127.0.0.1:{}", 40000 + id % 20000)
}

/// One CLIENT LIST / CLIENT INFO line (with its trailing newline), in Redis 7.4's field order.
/// `current` is the command name to show for the calling client (`client|list`).
pub fn client_line(client: &Client, now: u64, current: Option<&str>) -> String {
    client_line_with(client, now, current, 0)
}

/// [`client_line`] with the query buffer's length: while a client's command runs, Redis's query
/// buffer still holds it (`qbuf=26` for CLIENT LIST's own line).
fn client_line_with(client: &Client, now: u64, current: Option<&str>, qbuf: usize) -> String {
    let mut flags = String::new();
    if client.monitor {
        flags.push('O');
    } else if client.replica {
        flags.push('S');
    }
    if client.subs.active() {
        flags.push('P');
    }
    if client.multi.is_some() {
        flags.push('x');
    }
    if client.parked.is_some() {
        flags.push('b');
    }
    if let Some(t) = &client.tracking {
        flags.push('t');
        if t.broken {
            flags.push('R');
        }
        if t.bcast {
            flags.push('B');
        }
    }
    if client.from_primary {
        flags.push('M');
    }
    if client.no_evict {
        flags.push('e');
    }
    if client.no_touch {
        flags.push('T');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let name = client.name.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
    let lib = |b: &Option<Bytes>| b.as_deref().map(String::from_utf8_lossy).unwrap_or_default().into_owned();
    let cmd = current.unwrap_or(if client.last_command.is_empty() { "NULL" } else { &client.last_command });
    format!(
        "id={id} addr={addr} laddr=127.0.0.1:6379 fd={fd} name={name} age={age} idle={idle} flags={flags} \
         db={db} sub={sub} psub={psub} ssub={ssub} multi={multi} watch={watch} qbuf={qbuf} qbuf-free=0 argv-mem=0 \
         multi-mem=0 rbs={rbs} rbp={rbp} obl=0 oll=0 omem=0 tot-mem={rbs} events=r cmd={cmd} user={user} \
         redir={redir} resp={resp} lib-name={lib_name} lib-ver={lib_ver}\n",
        id = client.id,
        addr = client_addr(client.id),
        fd = 8 + client.id,
        rbs = client.reply_buffer.size,
        rbp = client.reply_buffer.peak,
        age = now.saturating_sub(client.created_ms) / 1000,
        idle = if current.is_some() { 0 } else { now.saturating_sub(client.last_ms) / 1000 },
        db = client.db,
        sub = client.subs.channels.len(),
        psub = client.subs.patterns.len(),
        ssub = client.subs.shard.len(),
        multi = client.multi.as_ref().map_or(-1, |q| q.len() as i64),
        watch = client.watched.len(),
        redir = client.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
        resp = if client.protocol == Protocol::Resp3 { 3 } else { 2 },
        lib_name = lib(&client.lib_name),
        lib_ver = lib(&client.lib_ver),
        user = client.user.as_deref().map_or("default".into(), String::from_utf8_lossy),
    )
}

fn client_info(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let qbuf = crate::frame::command_len(args.all());
    Ok(Frame::Verbatim(Bytes::from(client_line_with(ctx.client, ctx.now, Some("client|info"), qbuf))))
}

fn client_list(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut only_ids: Option<Vec<u64>> = None;
    // TYPE's filter: Some(is a subscriber), None for a type nobody here has (replicas).
    let mut only_type: Option<Option<bool>> = None;
    if let Some(option) = args.next_opt() {
        if option.eq_ignore_ascii_case(b"TYPE") && args.remaining() == 1 {
            only_type = Some(client_type(&args.next_bytes()?)?);
        } else if option.eq_ignore_ascii_case(b"ID") && args.remaining() >= 1 {
            let mut ids = Vec::new();
            for arg in args.rest() {
                match parse_i64(&arg) {
                    Some(id) if id > 0 => ids.push(id as u64),
                    _ => return Err(CmdError::err("Invalid client ID")),
                }
            }
            only_ids = Some(ids);
        } else {
            return Err(CmdError::syntax());
        }
    }
    let mut text = String::new();
    let me = ctx.client.id;
    let wanted = |c: &Client| only_type.is_none_or(|t| t == Some(c.subs.active()));
    let mut lines: Vec<(u64, String)> = ctx
        .server
        .clients
        .values()
        .filter(|c| c.id != me && wanted(c))
        .map(|c| (c.id, client_line(c, ctx.now, None)))
        .collect();
    if wanted(ctx.client) {
        let qbuf = crate::frame::command_len(args.all());
        lines.push((me, client_line_with(ctx.client, ctx.now, Some("client|list"), qbuf)));
    }
    crate::order::sort_by_key(&mut lines, |(id, _)| *id);
    for (id, line) in lines {
        if only_ids.as_ref().is_none_or(|ids| ids.contains(&id)) {
            text.push_str(&line);
        }
    }
    Ok(Frame::Verbatim(Bytes::from(text)))
}

/// A client type as CLIENT LIST and KILL name it: Some(is a subscriber), or None for the
/// replication types, which no client here has.
fn client_type(kind: &[u8]) -> Result<Option<bool>, CmdError> {
    match kind.to_ascii_lowercase().as_slice() {
        b"normal" => Ok(Some(false)),
        b"pubsub" => Ok(Some(true)),
        b"master" | b"replica" | b"slave" => Ok(None),
        _ => Err(CmdError::err(format!(
            "Unknown client type '{}'",
            crate::args::truncate_for_error(kind, 128)
        ))),
    }
}

/// CLIENT KILL filters (the new form); every given filter must match.
#[derive(Default)]
struct KillFilter {
    id: Option<u64>,
    addr: Option<Bytes>,
    user: Option<Bytes>,
    /// TYPE: Some(is a subscriber), None for a type nobody here has; LADDR: a wrong one.
    of_type: Option<Option<bool>>,
    max_age: Option<u64>,
    skip_me: bool,
}

impl KillFilter {
    fn matches(&self, client: &Client, now: u64) -> bool {
        self.id.is_none_or(|id| id == client.id)
            && self.addr.as_ref().is_none_or(|a| a.as_ref() == client_addr(client.id).as_bytes())
            && self.user.as_ref().is_none_or(|u| *u == super::acl::user_name(client))
            && self.of_type.is_none_or(|t| t == Some(client.subs.active()))
            // Whole seconds on both sides, as Redis keeps a client's `ctime`.
            && self.max_age.is_none_or(|age| (now / 1000).saturating_sub(client.created_ms / 1000) >= age)
    }
}

fn client_kill(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let old_form = args.remaining() == 1;
    let mut filter = KillFilter::default();
    if old_form {
        filter.addr = Some(args.next_bytes()?);
    } else {
        filter.skip_me = true;
        while let Some(option) = args.next_opt() {
            let Some(value) = args.next_opt() else { return Err(CmdError::syntax()) };
            match option.to_ascii_lowercase().as_slice() {
                b"id" => match parse_i64(&value) {
                    Some(id) if id > 0 => filter.id = Some(id as u64),
                    _ => return Err(CmdError::err("client-id should be greater than 0")),
                },
                b"addr" => filter.addr = Some(value),
                b"laddr" if value.as_ref() != b"127.0.0.1:6379" => filter.of_type = Some(None),
                b"laddr" => {}
                b"user" => {
                    if !super::acl::user_exists(ctx.server, &value) {
                        return Err(CmdError::err(format!(
                            "No such user '{}'",
                            crate::args::truncate_for_error(&value, 128)
                        )));
                    }
                    filter.user = Some(value);
                }
                b"type" => filter.of_type = Some(client_type(&value)?),
                b"skipme" => filter.skip_me = on_yes_no(&value)?,
                b"maxage" => {
                    let age = parse_i64(&value)
                        .ok_or_else(|| CmdError::err("maxage is not an integer or out of range"))?;
                    if age <= 0 {
                        return Err(CmdError::err("maxage should be greater than 0"));
                    }
                    filter.max_age = Some(age as u64);
                }
                _ => return Err(CmdError::syntax()),
            }
        }
    }
    let now = ctx.now;
    let victims: Vec<u64> =
        ctx.server.clients.values().filter(|c| filter.matches(c, now)).map(|c| c.id).collect();
    let mut killed = victims.len();
    for id in victims {
        drop_client(ctx.server, id);
    }
    if !filter.skip_me && filter.matches(ctx.client, now) {
        ctx.client.closing = true;
        killed += 1;
    }
    if old_form {
        return if killed == 0 { Err(CmdError::err("No such client")) } else { Ok(Frame::ok()) };
    }
    Ok(Frame::Integer(killed as i64))
}

/// Close another connection (CLIENT KILL, ACL DELUSER): it leaves the map, and its WATCHes,
/// subscriptions, tracking and monitoring with it (a PUBLISH no longer counts it).
pub(crate) fn drop_client(server: &mut Server, id: u64) {
    if let Some(mut client) = server.clients.remove(&id) {
        crate::cmd::transaction::unwatch_all(server, &client);
        crate::cmd::pubsub::forget_client(server, &mut client);
        crate::cmd::tracking::disable(server, &mut client);
        super::monitor::forget(server, &mut client);
        server.dirty_clients.remove(&id);
    }
}

/// CLIENT UNBLOCK id [TIMEOUT | ERROR]: a parked blocking command gets the timeout reply (or
/// the UNBLOCKED error), which its connection collects on its next retry. 1 if the client was
/// blocked, else 0 (the caller itself never is).
fn client_unblock(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let raw_id = args.next_bytes()?;
    let error = match args.next_opt() {
        None => false,
        Some(reason) if reason.eq_ignore_ascii_case(b"TIMEOUT") => false,
        Some(reason) if reason.eq_ignore_ascii_case(b"ERROR") => true,
        Some(_) => return Err(CmdError::err("CLIENT UNBLOCK reason should be TIMEOUT or ERROR")),
    };
    if !args.is_empty() {
        // Redis names the subcommand as typed; the cursor no longer has it, so lowercase.
        return Err(CmdError::err(
            "unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.",
        ));
    }
    let id = parse_i64(&raw_id).ok_or_else(CmdError::not_integer)?;
    let unblocked = super::blocking::unblock(ctx.server, id as u64, error, |args, server| {
        if error {
            Frame::Error("UNBLOCKED client unblocked via CLIENT UNBLOCK".into())
        } else {
            super::blocking::timeout_reply(args, server)
        }
    });
    Ok(Frame::Integer(i64::from(unblocked)))
}

fn on_yes_no(arg: &[u8]) -> Result<bool, CmdError> {
    if arg.eq_ignore_ascii_case(b"yes") {
        Ok(true)
    } else if arg.eq_ignore_ascii_case(b"no") {
        Ok(false)
    } else {
        Err(CmdError::syntax())
    }
}

fn client_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines("CLIENT", CLIENT_HELP))
}

/// A `<CMD> HELP` reply: the standard first line, then the given lines, then HELP's own entry.
pub fn help_lines(command: &str, lines: &[&str]) -> Frame {
    let mut out =
        vec![Frame::Simple(format!("{command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"))];
    out.extend(lines.iter().map(|l| Frame::Simple((*l).to_string())));
    out.push(Frame::Simple("HELP".into()));
    out.push(Frame::Simple("    Print this help.".into()));
    Frame::Array(out)
}

const CLIENT_HELP: &[&str] = &[
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "    * ID <client-id>",
    "      Kill connections by client id.",
    "    * MAXAGE <maxage>",
    "      Kill connections older than the specified age.",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "NO-TOUCH (ON|OFF)",
    "    Will not touch LRU/LFU stats when this mode is on.",
];
