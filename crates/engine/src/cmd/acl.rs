//! ACL: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, LOG, DRYRUN, as Redis 7.4's
//! `aclCommand` answers them (the users and the checks live in `acl.rs`). There is no ACL file:
//! LOAD and SAVE answer as a server started without one.

use super::{spec, CommandSpec};
use crate::acl::{commands, denial_message, Denied};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};
use bytes::Bytes;
use rand_core::RngCore;

const ADMIN: &[&str] = &["admin", "noscript", "loading", "stale"];

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "acl",
    arity: -2,
    flags: &[],
    keys: (0, 0, 0),
    group: "server",
    summary: "Users and what they may run (SETUSER, GETUSER, LIST, CAT, LOG, DRYRUN ...).",
    syntax: "subcommand [argument ...]",
    run: super::container,
    subcommands: ACL_SUBCOMMANDS,
}];

/// The name of the user a client is authenticated as.
pub fn user_name(client: &Client) -> Bytes {
    client.user.clone().unwrap_or_else(|| Bytes::from_static(b"default"))
}

/// `ACLMergeSelectorArguments`: a selector spread over several arguments (`(~x` `+get)`) is one
/// rule; an unclosed one is an error naming where it starts.
fn merge_selectors(args: &[Bytes]) -> Result<Vec<Vec<u8>>, CmdError> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Vec<u8>)> = None;
    for (i, arg) in args.iter().enumerate() {
        let closes = arg.last() == Some(&b')');
        if let Some((_, sel)) = open.as_mut() {
            sel.push(b' ');
            sel.extend_from_slice(arg);
            if closes {
                out.push(open.take().map(|(_, s)| s).unwrap_or_default());
            }
        } else if arg.first() == Some(&b'(') && !closes {
            open = Some((i, arg.to_vec()));
        } else {
            out.push(arg.to_vec());
        }
    }
    if let Some((i, _)) = open {
        return Err(CmdError::err(format!(
            "Unmatched parenthesis in acl selector starting at '{}'.",
            String::from_utf8_lossy(&args[i])
        )));
    }
    Ok(out)
}

fn setuser(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    if name.iter().any(|b| *b == b' ' || *b == 0) {
        return Err(CmdError::err("Usernames can't contain spaces or null characters"));
    }
    let rules = merge_selectors(&args.rest())?;
    let mut user = ctx.server.acl.users.get(&name).cloned().unwrap_or_default();
    for rule in &rules {
        if let Err(e) = user.apply(rule) {
            return Err(CmdError::err(format!(
                "Error in ACL SETUSER modifier '{}': {}",
                String::from_utf8_lossy(rule),
                e.message()
            )));
        }
    }
    if let Some(upcoming) = ctx.server.acl.users.get(&name).and_then(|old| user.narrowed_channels(old)) {
        kill_revoked_subscribers(ctx, &name, &upcoming);
    }
    ctx.server.acl.users.insert(name, user);
    ctx.server.acl.refresh();
    Ok(Frame::ok())
}

/// `ACLKillPubsubClientsIfNeeded`: the user's subscribers to a channel (or pattern, compared
/// literally) its new rules no longer allow are disconnected.
fn kill_revoked_subscribers(ctx: &mut Ctx, name: &[u8], upcoming: &[Bytes]) {
    let revoked = |c: &Client| {
        let allowed = |ch: &Bytes, pattern: bool| {
            upcoming.iter().any(|p| if pattern { p == ch } else { crate::glob::glob_match(p, ch) })
        };
        c.user.as_deref() == Some(name)
            && (c.subs.patterns.iter().any(|p| !allowed(p, true))
                || c.subs.channels.iter().chain(&c.subs.shard).any(|ch| !allowed(ch, false)))
    };
    let victims: Vec<u64> = ctx.server.clients.values().filter(|c| revoked(c)).map(|c| c.id).collect();
    for id in victims {
        super::connection::drop_client(ctx.server, id);
    }
    if revoked(ctx.client) {
        ctx.client.closing = true;
    }
}

/// Close every connection (but the caller, which closes after its reply) logged in as `name`.
fn kill_clients_of(ctx: &mut Ctx, name: &[u8]) {
    let victims: Vec<u64> =
        ctx.server.clients.values().filter(|c| c.user.as_deref() == Some(name)).map(|c| c.id).collect();
    for id in victims {
        super::connection::drop_client(ctx.server, id);
    }
    if ctx.client.user.as_deref() == Some(name) {
        ctx.client.closing = true;
    }
}

fn deluser(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let names = args.rest();
    if names.iter().any(|n| n.as_ref() == b"default") {
        return Err(CmdError::err("The 'default' user cannot be removed"));
    }
    let mut deleted = 0;
    for name in names {
        if ctx.server.acl.users.remove(&name).is_some() {
            deleted += 1;
            kill_clients_of(ctx, &name);
        }
    }
    ctx.server.acl.refresh();
    Ok(Frame::Integer(deleted))
}

fn getuser(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    let Some(user) = ctx.server.acl.users.get(&name) else { return Ok(Frame::Null) };
    let pair = |k: &str, v: String| (Frame::bulk(k.to_string()), Frame::bulk(v));
    let mut fields = vec![
        (Frame::bulk("flags"), Frame::Set(user.flags().into_iter().map(Frame::bulk).collect())),
        (
            Frame::bulk("passwords"),
            Frame::Array(user.passwords.iter().map(|p| Frame::bulk(p.clone())).collect()),
        ),
    ];
    fields.extend(user.selectors[0].fields().into_iter().map(|(k, v)| pair(k, v)));
    let selectors = user.selectors[1..]
        .iter()
        .map(|s| Frame::Map(s.fields().into_iter().map(|(k, v)| pair(k, v)).collect()))
        .collect();
    fields.push((Frame::bulk("selectors"), Frame::Array(selectors)));
    Ok(Frame::Map(fields))
}

fn list(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let lines = ctx.server.acl.users.iter().map(|(name, user)| {
        Frame::bulk(format!("user {} {}", String::from_utf8_lossy(name), user.describe()))
    });
    Ok(Frame::Array(lines.collect()))
}

fn users(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Array(ctx.server.acl.users.keys().map(|n| Frame::bulk(n.clone())).collect()))
}

fn whoami(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::bulk(user_name(ctx.client)))
}

fn no_file(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Err(CmdError::err(
        "This Redis instance is not configured to use an ACL file. You may want to specify users via the \
         ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file \
         set) in order to store users in the Redis configuration.",
    ))
}

/// Redis's reply to a subcommand given more arguments than it takes (its arity allows them).
fn one_at_most(args: &Args) -> Result<(), CmdError> {
    if args.remaining() > 1 {
        return Err(CmdError::err(format!(
            "unknown subcommand or wrong number of arguments for '{}'. Try ACL HELP.",
            crate::args::truncate_for_error(&args.all()[1], 128)
        )));
    }
    Ok(())
}

fn cat(_: &mut Ctx, args: &mut Args) -> CmdResult {
    one_at_most(args)?;
    let Some(name) = args.next_opt() else {
        return Ok(Frame::Array(crate::acl::category_names().iter().map(|c| Frame::bulk(*c)).collect()));
    };
    let text = String::from_utf8_lossy(&name);
    let Some(bit) = crate::cmd::server::docs::category_bit(&text) else {
        return Err(CmdError::err(format!(
            "Unknown category '{}'",
            crate::args::truncate_for_error(&name, 128)
        )));
    };
    let names =
        commands().list.iter().filter(|c| c.categories & bit != 0).map(|c| Frame::bulk(c.name.clone()));
    Ok(Frame::Array(names.collect()))
}

fn genpass(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    one_at_most(args)?;
    let bits = match args.next_opt() {
        Some(arg) => parse_i64(&arg).ok_or_else(CmdError::not_integer)?,
        None => 256,
    };
    if bits <= 0 || bits > 4096 {
        return Err(CmdError::err(
            "ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096",
        ));
    }
    let chars = (bits as usize).div_ceil(4);
    let hex: String = (0..chars)
        .map(|_| char::from(b"0123456789abcdef"[(ctx.server.rng.next_u32() % 16) as usize]))
        .collect();
    Ok(Frame::bulk(hex))
}

fn log(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    one_at_most(args)?;
    let mut count = 10;
    if let Some(arg) = args.next_opt() {
        if arg.eq_ignore_ascii_case(b"reset") {
            ctx.server.acl.log.clear();
            return Ok(Frame::ok());
        }
        count = parse_i64(&arg).ok_or_else(CmdError::not_integer)?.max(0);
    }
    let now = ctx.now;
    let entries = ctx.server.acl.log.iter().take(count as usize).map(|e| {
        let reason = match e.reason {
            Denied::Command => "command",
            Denied::Key => "key",
            Denied::Channel => "channel",
            Denied::Auth => "auth",
        };
        let pair = |k: &str, v: Frame| (Frame::bulk(k.to_string()), v);
        Frame::Map(vec![
            pair("count", Frame::Integer(e.count as i64)),
            pair("reason", Frame::bulk(reason)),
            pair("context", Frame::bulk(e.context)),
            pair("object", Frame::bulk(e.object.clone())),
            pair("username", Frame::bulk(e.username.clone())),
            pair("age-seconds", Frame::Double(now.saturating_sub(e.updated) as f64 / 1000.0)),
            pair("client-info", Frame::bulk(e.client_info.trim_end().to_string())),
            pair("entry-id", Frame::Integer(e.id as i64)),
            pair("timestamp-created", Frame::Integer(e.created as i64)),
            pair("timestamp-last-updated", Frame::Integer(e.updated as i64)),
        ])
    });
    Ok(Frame::Array(entries.collect()))
}

fn dryrun(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    let argv = args.rest();
    let Some(user) = ctx.server.acl.users.get(&name) else {
        return Err(CmdError::err(format!("User '{}' not found", String::from_utf8_lossy(&name))));
    };
    let table = commands();
    let found = table.find(&argv[0]).map(|id| match (table.list[id].subs.is_empty(), argv.get(1)) {
        (false, Some(sub)) => {
            let full = [argv[0].as_ref(), b"|", sub.as_ref()].concat();
            table.find(&full)
        }
        (false, None) => Some(id),
        (true, _) => Some(id),
    });
    let Some(Some(id)) = found else {
        return Err(CmdError::err(format!("Command '{}' not found", String::from_utf8_lossy(&argv[0]))));
    };
    let cmd = &table.list[id];
    if !cmd.spec.arity_ok(argv.len()) {
        return Err(CmdError::wrong_arity(&cmd.name));
    }
    match user.check(id, &argv) {
        Ok(()) => Ok(Frame::ok()),
        Err((reason, at)) => Ok(Frame::bulk(denial_message(
            reason,
            &name,
            &cmd.name,
            argv.get(at).map_or(&[][..], |a| a),
            true,
        ))),
    }
}

fn help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(super::connection::help_lines("ACL", ACL_HELP))
}

const ACL_HELP: &[&str] = &[
    "CAT [<category>]",
    "    List all commands that belong to <category>, or all command categories",
    "    when no category is specified.",
    "DELUSER <username> [<username> ...]",
    "    Delete a list of users.",
    "DRYRUN <username> <command> [<arg> ...]",
    "    Returns whether the user can execute the given command without executing the command.",
    "GETUSER <username>",
    "    Get the user's details.",
    "GENPASS [<bits>]",
    "    Generate a secure 256-bit user password. The optional `bits` argument can",
    "    be used to specify a different size.",
    "LIST",
    "    Show users details in config file format.",
    "LOAD",
    "    Reload users from the ACL file.",
    "LOG [<count> | RESET]",
    "    Show the ACL log entries.",
    "SAVE",
    "    Save the current config to the ACL file.",
    "SETUSER <username> <attribute> [<attribute> ...]",
    "    Create or modify a user with the specified attributes.",
    "USERS",
    "    List all the registered usernames.",
    "WHOAMI",
    "    Return the current connection username.",
];

/// AUTH and HELLO AUTH: log in as `user`, or count and log the failure (WRONGPASS).
pub fn authenticate(ctx: &mut Ctx, user: &[u8], password: &[u8], command: &[u8]) -> Result<(), CmdError> {
    if ctx.server.acl.users.get(user).is_some_and(|u| u.accepts(password)) {
        ctx.client.user = if user == b"default" { None } else { Some(Bytes::copy_from_slice(user)) };
        ctx.client.noauth = false;
        return Ok(());
    }
    ctx.server.auth_failures += 1;
    let context = if ctx.client.multi.is_some() { "multi" } else { "toplevel" };
    let name = crate::args::lower(command);
    let info = super::connection::client_line(ctx.client, ctx.now, Some(&name));
    let max = ctx.server.config.acllog_max_len as usize;
    let object = Bytes::copy_from_slice(command);
    ctx.server.acl.record(Denied::Auth, context, object, Bytes::copy_from_slice(user), info, ctx.now, max);
    Err(CmdError::raw("WRONGPASS invalid username-password pair or user is disabled."))
}

/// The check Redis's `processCommand` makes before a command runs (after NOAUTH and the
/// transaction checks): `Err` is the NOPERM reply, logged.
pub fn check(
    server: &mut Server,
    client: &Client,
    spec: &CommandSpec,
    argv: &[Bytes],
    now: u64,
) -> Result<(), Frame> {
    let name = user_name(client);
    let table = commands();
    let Some(id) = table.id_of(spec) else { return Ok(()) };
    let Some(user) = server.acl.users.get(&name) else { return Ok(()) };
    let Err((reason, at)) = user.check(id, argv) else { return Ok(()) };
    let cmd = &table.list[id];
    let context = if client.multi.is_some() { "multi" } else { "toplevel" };
    deny(server, client, reason, at, cmd.name.as_str(), argv, context, now);
    let arg = argv.get(at).map_or(&[][..], |a| a);
    Err(Frame::Error(format!("NOPERM {}", denial_message(reason, &name, &cmd.name, arg, false))))
}

/// Log a refusal (the object is the command's name, or the key or channel at `at`).
#[allow(clippy::too_many_arguments)]
pub fn deny(
    server: &mut Server,
    client: &Client,
    reason: Denied,
    at: usize,
    command: &str,
    argv: &[Bytes],
    context: &'static str,
    now: u64,
) {
    let object = match reason {
        Denied::Command => Bytes::from(command.to_string()),
        _ => argv.get(at).cloned().unwrap_or_default(),
    };
    let info = super::connection::client_line(client, now, Some(command));
    let max = server.config.acllog_max_len as usize;
    server.acl.record(reason, context, object, user_name(client), info, now, max);
}

/// The same check for a command a transaction runs or a script calls: `Err((reason, at))`.
pub fn check_quiet(
    server: &Server,
    client: &Client,
    spec: &CommandSpec,
    argv: &[Bytes],
) -> Result<(), (Denied, usize)> {
    let table = commands();
    let (Some(id), Some(user)) = (table.id_of(spec), server.acl.users.get(&user_name(client))) else {
        return Ok(());
    };
    user.check(id, argv)
}

/// A refused command's ACL name (`config|get`).
pub fn full_name(spec: &CommandSpec) -> String {
    let table = commands();
    table.id_of(spec).map_or_else(|| spec.name.to_string(), |id| table.list[id].name.clone())
}

/// `User` of a name, for CLIENT KILL USER.
pub fn user_exists(server: &Server, name: &[u8]) -> bool {
    server.acl.users.contains_key(name)
}

crate::cmd::lazy_table!(
    ACL_SUBCOMMANDS,
    ACL_FULL = [
        spec(
            "cat",
            -2,
            &["noscript", "loading", "stale"],
            (0, 0, 0),
            "server",
            "The ACL categories, or the commands of one.",
            "[category]",
            cat,
        ),
        spec(
            "deluser",
            -3,
            ADMIN,
            (0, 0, 0),
            "server",
            "Delete users (their connections close).",
            "username [username ...]",
            deluser,
        ),
        spec(
            "dryrun",
            -4,
            ADMIN,
            (0, 0, 0),
            "server",
            "Would this user be allowed this command?",
            "username command [arg [arg ...]]",
            dryrun,
        ),
        spec(
            "genpass",
            -2,
            &["noscript", "loading", "stale"],
            (0, 0, 0),
            "server",
            "A random password (256 bits of hex by default).",
            "[bits]",
            genpass,
        ),
        spec(
            "getuser",
            3,
            ADMIN,
            (0, 0, 0),
            "server",
            "A user's flags, password hashes, commands, keys, channels and selectors.",
            "username",
            getuser,
        ),
        spec("help", 2, &["loading", "stale"], (0, 0, 0), "server", "Show ACL's subcommands.", "", help),
        spec("list", 2, ADMIN, (0, 0, 0), "server", "Every user as an ACL rule line.", "", list),
        spec(
            "load",
            2,
            ADMIN,
            (0, 0, 0),
            "server",
            "Reload users from the ACL file (there is none here).",
            "",
            no_file,
        ),
        spec(
            "log",
            -2,
            ADMIN,
            (0, 0, 0),
            "server",
            "Recent refusals (commands, keys, channels, AUTH), or RESET.",
            "[count | RESET]",
            log,
        ),
        spec(
            "save",
            2,
            ADMIN,
            (0, 0, 0),
            "server",
            "Save users to the ACL file (there is none here).",
            "",
            no_file,
        ),
        spec(
            "setuser",
            -3,
            ADMIN,
            (0, 0, 0),
            "server",
            "Create or change a user with ACL rules.",
            "username [rule [rule ...]]",
            setuser,
        ),
        spec("users", 2, ADMIN, (0, 0, 0), "server", "The user names.", "", users),
        spec(
            "whoami",
            2,
            &["noscript", "loading", "stale"],
            (0, 0, 0),
            "server",
            "The user of this connection.",
            "",
            whoami,
        ),
    ]
);
