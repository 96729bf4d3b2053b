//! CLUSTER, READONLY, READWRITE and ASKING as a Redis 7.4 server started without
//! `cluster-enabled yes` answers them: every one of them is refused with Redis's words, after
//! the usual arity and subcommand checks, so a client probing for a cluster (redis-py's
//! `RedisCluster`, RedisVL, `redis-cli --cluster`) learns it talks to a single server.
//!
//! `playground-proxy emulate --cluster N` answers these commands itself, before they reach an
//! engine (crates/proxy/src/emulate/cluster.rs): the engine is one shard's data, not the cluster.

use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};

/// Redis's reply to every cluster command outside cluster mode.
fn disabled(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Err(CmdError::err("This instance has cluster support disabled"))
}

const INFO: &[&str] = &["stale"];
const TOPOLOGY: &[&str] = &["loading", "stale"];
const ADMIN: &[&str] = &["admin", "stale", "no_async_loading"];
const ADMIN_READ: &[&str] = &["admin", "stale"];
const CONNECTION: &[&str] = &["loading", "stale", "fast"];

/// A CLUSTER subcommand: keyless, in Redis's `cluster` group.
const fn sub(
    name: &'static str,
    arity: i32,
    flags: &'static [&'static str],
    summary: &'static str,
    syntax: &'static str,
) -> CommandSpec {
    spec(name, arity, flags, (0, 0, 0), "cluster", summary, syntax, disabled)
}

const CLUSTER_SUBCOMMANDS: &[CommandSpec] = &[
    sub("addslots", -3, ADMIN, "Give hash slots to this node.", "slot [slot ...]"),
    sub(
        "addslotsrange",
        -4,
        ADMIN,
        "Give ranges of hash slots to this node.",
        "start-slot end-slot [start-slot end-slot ...]",
    ),
    sub("bumpepoch", 2, ADMIN, "Move this node to a new configuration epoch.", ""),
    sub("count-failure-reports", 3, ADMIN_READ, "How many nodes report a node as failing.", "node-id"),
    sub("countkeysinslot", 3, INFO, "How many keys of one hash slot this node holds.", "slot"),
    sub("delslots", -3, ADMIN, "Take hash slots away from this node.", "slot [slot ...]"),
    sub(
        "delslotsrange",
        -4,
        ADMIN,
        "Take ranges of hash slots away from this node.",
        "start-slot end-slot [start-slot end-slot ...]",
    ),
    sub("failover", -2, ADMIN, "Make this replica take over from its primary.", "[FORCE | TAKEOVER]"),
    sub("flushslots", 2, ADMIN, "Drop every hash slot this node owns.", ""),
    sub("forget", 3, ADMIN, "Remove a node from this node's view of the cluster.", "node-id"),
    sub("getkeysinslot", 4, INFO, "Some key names of one hash slot.", "slot count"),
    sub("help", 2, TOPOLOGY, "What CLUSTER can do.", ""),
    sub("info", 2, INFO, "The cluster's state as this node sees it.", ""),
    sub("keyslot", 3, INFO, "The hash slot a key name maps to.", "key"),
    sub("links", 2, INFO, "The links this node keeps with its peers.", ""),
    sub("meet", -4, ADMIN, "Join another node into the cluster.", "ip port [cluster-bus-port]"),
    sub("myid", 2, INFO, "This node's id.", ""),
    sub("myshardid", 2, INFO, "This node's shard id.", ""),
    sub("nodes", 2, INFO, "Every node of the cluster, in the nodes.conf format.", ""),
    sub("replicas", 3, ADMIN_READ, "The replicas of a primary.", "node-id"),
    sub("replicate", 3, ADMIN, "Make this node a replica of another.", "node-id"),
    sub("reset", -2, &["admin", "noscript", "stale"], "Reset this node's cluster state.", "[HARD | SOFT]"),
    sub("saveconfig", 2, ADMIN, "Write the cluster's configuration to disk.", ""),
    sub("set-config-epoch", 3, ADMIN, "Set a new node's configuration epoch.", "config-epoch"),
    sub(
        "setslot",
        -4,
        ADMIN,
        "Migrate, import or assign one hash slot.",
        "slot <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>",
    ),
    sub("shards", 2, TOPOLOGY, "The shards of the cluster, their slots and nodes.", ""),
    sub("slaves", 3, ADMIN_READ, "The replicas of a primary (old name of REPLICAS).", "node-id"),
    sub("slots", 2, TOPOLOGY, "Hash slot ranges and the nodes that serve them.", ""),
];

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "cluster",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "cluster",
        summary: "Ask or change a Redis Cluster node (refused: this server runs alone).",
        syntax: "subcommand [arguments]",
        run: super::container,
        subcommands: CLUSTER_SUBCOMMANDS,
    },
    spec(
        "readonly",
        1,
        CONNECTION,
        (0, 0, 0),
        "cluster",
        "Let this connection read from a replica of a cluster.",
        "",
        disabled,
    ),
    spec(
        "readwrite",
        1,
        CONNECTION,
        (0, 0, 0),
        "cluster",
        "Stop reading from a cluster's replicas on this connection.",
        "",
        disabled,
    ),
    spec(
        "asking",
        1,
        &["fast"],
        (0, 0, 0),
        "cluster",
        "Follow an ASK redirection for the next command.",
        "",
        disabled,
    ),
];
