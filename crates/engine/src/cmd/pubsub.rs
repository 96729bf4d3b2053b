//! Pub/sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH, SPUBLISH and
//! PUBSUB, as Redis 7.4's `pubsub.c`.
//!
//! The engine has no sockets: a message for a subscriber is queued in that client's outbox
//! (`Client::pushes`, through [`Server::push_to`]) and its host writes it
//! ([`crate::Engine::take_pushes`]). Frames are built as pushes (`>` in RESP3, arrays in RESP2);
//! the host encodes them for the receiver's protocol. A command that confirms several channels
//! (`SUBSCRIBE a b`) answers the first confirmation and queues the others, ahead of anything else
//! its command pushes to itself. Channel sets keep insertion order where Redis iterates a hash
//! table (UNSUBSCRIBE with no argument, PUBSUB CHANNELS): the same elements, a stable order.

use super::connection::help_lines;
use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};
use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};

/// A client's subscriptions.
#[derive(Debug, Clone, Default)]
pub struct Subscriptions {
    pub channels: IndexSet<Bytes>,
    pub patterns: IndexSet<Bytes>,
    pub shard: IndexSet<Bytes>,
}

impl Subscriptions {
    /// True while any subscription is open (Redis's CLIENT_PUBSUB flag): a RESP2 client can then
    /// only run the pub/sub commands, PING, QUIT and RESET.
    pub fn active(&self) -> bool {
        !(self.channels.is_empty() && self.patterns.is_empty() && self.shard.is_empty())
    }
}

/// The subscribers of each channel, pattern and shard channel, server side.
#[derive(Debug, Default)]
pub struct Channels {
    pub channels: IndexMap<Bytes, IndexSet<u64>>,
    pub patterns: IndexMap<Bytes, IndexSet<u64>>,
    pub shard: IndexMap<Bytes, IndexSet<u64>>,
}

/// Which of the three namespaces a command works on.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Channel,
    Pattern,
    Shard,
}

impl Kind {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Kind::Channel => ("subscribe", "unsubscribe"),
            Kind::Pattern => ("psubscribe", "punsubscribe"),
            Kind::Shard => ("ssubscribe", "sunsubscribe"),
        }
    }

    fn mine(self, subs: &mut Subscriptions) -> &mut IndexSet<Bytes> {
        match self {
            Kind::Channel => &mut subs.channels,
            Kind::Pattern => &mut subs.patterns,
            Kind::Shard => &mut subs.shard,
        }
    }

    fn server(self, all: &mut Channels) -> &mut IndexMap<Bytes, IndexSet<u64>> {
        match self {
            Kind::Channel => &mut all.channels,
            Kind::Pattern => &mut all.patterns,
            Kind::Shard => &mut all.shard,
        }
    }

    /// The count a confirmation carries: shard channels count apart from the others.
    fn count(self, subs: &Subscriptions) -> i64 {
        match self {
            Kind::Shard => subs.shard.len() as i64,
            _ => (subs.channels.len() + subs.patterns.len()) as i64,
        }
    }
}

const SUB: &[&str] = &["pubsub", "noscript", "loading", "stale"];
const PUB: &[&str] = &["pubsub", "loading", "stale", "fast"];
const INSPECT: &[&str] = &["pubsub", "loading", "stale"];

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec(
        "subscribe",
        -2,
        SUB,
        (0, 0, 0),
        "pubsub",
        "Listen for messages on channels.",
        "channel [channel ...]",
        subscribe,
    ),
    spec(
        "psubscribe",
        -2,
        SUB,
        (0, 0, 0),
        "pubsub",
        "Listen for messages on every channel matching glob patterns.",
        "pattern [pattern ...]",
        psubscribe,
    ),
    spec(
        "ssubscribe",
        -2,
        SUB,
        (1, -1, 1),
        "pubsub",
        "Listen for messages on shard channels.",
        "shardchannel [shardchannel ...]",
        ssubscribe,
    ),
    spec(
        "unsubscribe",
        -1,
        SUB,
        (0, 0, 0),
        "pubsub",
        "Stop listening on channels (all of them without arguments).",
        "[channel [channel ...]]",
        unsubscribe,
    ),
    spec(
        "punsubscribe",
        -1,
        SUB,
        (0, 0, 0),
        "pubsub",
        "Stop listening on patterns (all of them without arguments).",
        "[pattern [pattern ...]]",
        punsubscribe,
    ),
    spec(
        "sunsubscribe",
        -1,
        SUB,
        (1, -1, 1),
        "pubsub",
        "Stop listening on shard channels (all of them without arguments).",
        "[shardchannel [shardchannel ...]]",
        sunsubscribe,
    ),
    spec(
        "publish",
        3,
        PUB,
        (0, 0, 0),
        "pubsub",
        "Send a message to a channel; answers how many subscribers got it.",
        "channel message",
        publish,
    ),
    spec(
        "spublish",
        3,
        PUB,
        (1, 1, 1),
        "pubsub",
        "Send a message to a shard channel; answers how many subscribers got it.",
        "shardchannel message",
        spublish,
    ),
    CommandSpec {
        name: "pubsub",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "pubsub",
        summary: "Inspect channels, patterns and their subscribers.",
        syntax: "subcommand [argument ...]",
        run: super::container,
        subcommands: PUBSUB_SUBCOMMANDS,
    },
]);

crate::cmd::lazy_table!(
    PUBSUB_SUBCOMMANDS,
    PUBSUB_FULL = [
        spec(
            "channels",
            -2,
            INSPECT,
            (0, 0, 0),
            "pubsub",
            "Channels with subscribers matching a pattern.",
            "[pattern]",
            channels,
        ),
        spec(
            "numsub",
            -2,
            INSPECT,
            (0, 0, 0),
            "pubsub",
            "Subscriber count of each channel given.",
            "[channel [channel ...]]",
            numsub,
        ),
        spec("numpat", 2, INSPECT, (0, 0, 0), "pubsub", "How many patterns have subscribers.", "", numpat),
        spec(
            "shardchannels",
            -2,
            INSPECT,
            (0, 0, 0),
            "pubsub",
            "Shard channels with subscribers matching a pattern.",
            "[pattern]",
            shardchannels,
        ),
        spec(
            "shardnumsub",
            -2,
            INSPECT,
            (0, 0, 0),
            "pubsub",
            "Subscriber count of each shard channel given.",
            "[shardchannel [shardchannel ...]]",
            shardnumsub,
        ),
        spec(
            "help",
            2,
            &["loading", "stale"],
            (0, 0, 0),
            "pubsub",
            "Show PUBSUB's subcommands.",
            "",
            pubsub_help,
        ),
    ]
);

/// A confirmation or message: `[word, items...]` as a push.
fn push(word: &str, items: impl IntoIterator<Item = Frame>) -> Frame {
    Frame::Push(std::iter::once(Frame::bulk(word.to_owned())).chain(items).collect())
}

/// Answer the first of `frames` and queue the others in the caller's outbox.
fn answer(ctx: &mut Ctx, mut frames: Vec<Frame>) -> Frame {
    let first = frames.remove(0);
    ctx.client.pushes.extend(frames);
    first
}

fn subscribe_to(ctx: &mut Ctx, args: &mut Args, kind: Kind) -> CmdResult {
    let id = ctx.client.id;
    let mut frames = Vec::new();
    for name in args.rest() {
        if kind.mine(&mut ctx.client.subs).insert(name.clone()) {
            kind.server(&mut ctx.server.pubsub).entry(name.clone()).or_default().insert(id);
        }
        let count = kind.count(&ctx.client.subs);
        frames.push(push(kind.words().0, [Frame::Bulk(name), Frame::Integer(count)]));
    }
    Ok(answer(ctx, frames))
}

/// Drop one subscription of `client`; true if it had it.
fn drop_one(server: &mut Server, client: &mut Client, kind: Kind, name: &Bytes) -> bool {
    if !kind.mine(&mut client.subs).shift_remove(name) {
        return false;
    }
    let map = kind.server(&mut server.pubsub);
    if let Some(ids) = map.get_mut(name) {
        ids.shift_remove(&client.id);
        if ids.is_empty() {
            map.shift_remove(name);
        }
    }
    true
}

fn unsubscribe_from(ctx: &mut Ctx, args: &mut Args, kind: Kind) -> CmdResult {
    let names =
        if args.is_empty() { kind.mine(&mut ctx.client.subs).iter().cloned().collect() } else { args.rest() };
    let word = kind.words().1;
    let mut frames = Vec::new();
    for name in names {
        drop_one(ctx.server, ctx.client, kind, &name);
        frames.push(push(word, [Frame::Bulk(name), Frame::Integer(kind.count(&ctx.client.subs))]));
    }
    if frames.is_empty() {
        frames.push(push(word, [Frame::Null, Frame::Integer(kind.count(&ctx.client.subs))]));
    }
    Ok(answer(ctx, frames))
}

/// Drop every subscription of `client` without a word to it (RESET, a closed connection).
pub fn forget_client(server: &mut Server, client: &mut Client) {
    for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
        let names: Vec<Bytes> = kind.mine(&mut client.subs).iter().cloned().collect();
        for name in names {
            drop_one(server, client, kind, &name);
        }
    }
}

fn subscribe(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    subscribe_to(ctx, args, Kind::Channel)
}

fn psubscribe(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    subscribe_to(ctx, args, Kind::Pattern)
}

fn ssubscribe(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    // EXEC runs its commands as a client that must not block (Redis's CLIENT_DENY_BLOCKING);
    // SUBSCRIBE and PSUBSCRIBE are let through inside MULTI for compatibility, SSUBSCRIBE not.
    if ctx.client.in_exec {
        return Err(CmdError::err("SSUBSCRIBE isn't allowed for a DENY BLOCKING client"));
    }
    subscribe_to(ctx, args, Kind::Shard)
}

fn unsubscribe(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    unsubscribe_from(ctx, args, Kind::Channel)
}

fn punsubscribe(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    unsubscribe_from(ctx, args, Kind::Pattern)
}

fn sunsubscribe(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    unsubscribe_from(ctx, args, Kind::Shard)
}

/// Deliver `message` on `channel` (a shard channel with `shard`): to the channel's subscribers,
/// then (not for shard channels) to each pattern that matches, as Redis's
/// `pubsubPublishMessage`. Returns how many deliveries were made.
pub fn publish_message(server: &mut Server, channel: &Bytes, message: &Bytes, shard: bool) -> i64 {
    let mut out: Vec<(u64, Frame)> = Vec::new();
    let (map, word) =
        if shard { (&server.pubsub.shard, "smessage") } else { (&server.pubsub.channels, "message") };
    if let Some(ids) = map.get(channel) {
        for &id in ids {
            out.push((id, push(word, [Frame::Bulk(channel.clone()), Frame::Bulk(message.clone())])));
        }
    }
    if !shard {
        for (pattern, ids) in &server.pubsub.patterns {
            if crate::glob::glob_match(pattern, channel) {
                for &id in ids {
                    let items = [pattern, channel, message].map(|b| Frame::Bulk(b.clone()));
                    out.push((id, push("pmessage", items)));
                }
            }
        }
    }
    let receivers = out.len() as i64;
    for (id, frame) in out {
        server.push_to(id, frame);
    }
    receivers
}

fn publish(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (channel, message) = (args.next_bytes()?, args.next_bytes()?);
    Ok(Frame::Integer(publish_message(ctx.server, &channel, &message, false)))
}

fn spublish(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (channel, message) = (args.next_bytes()?, args.next_bytes()?);
    Ok(Frame::Integer(publish_message(ctx.server, &channel, &message, true)))
}

fn list_channels(args: &mut Args, map: &IndexMap<Bytes, IndexSet<u64>>) -> CmdResult {
    if args.remaining() > 1 {
        return Err(super::services::syntax_error(args, "PUBSUB"));
    }
    let pattern = args.next_opt();
    let names = map.keys().filter(|c| pattern.as_ref().is_none_or(|p| crate::glob::glob_match(p, c)));
    Ok(Frame::Array(names.map(|c| Frame::Bulk(c.clone())).collect()))
}

fn count_subscribers(args: &mut Args, map: &IndexMap<Bytes, IndexSet<u64>>) -> CmdResult {
    // A flat array in RESP3 too, as Redis sends it.
    let counts = args.rest().into_iter().flat_map(|c| {
        let n = map.get(&c).map_or(0, |ids| ids.len() as i64);
        [Frame::Bulk(c), Frame::Integer(n)]
    });
    Ok(Frame::Array(counts.collect()))
}

fn channels(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    list_channels(args, &ctx.server.pubsub.channels)
}

fn shardchannels(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    list_channels(args, &ctx.server.pubsub.shard)
}

fn numsub(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    count_subscribers(args, &ctx.server.pubsub.channels)
}

fn shardnumsub(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    count_subscribers(args, &ctx.server.pubsub.shard)
}

fn numpat(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(ctx.server.pubsub.patterns.len() as i64))
}

fn pubsub_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    ))
}
