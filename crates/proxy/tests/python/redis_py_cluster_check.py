"""redis-py's RedisCluster against `playground-proxy emulate --cluster 3`: discovery, routing,
hash tags, CROSSSLOT, and a cache-aside flow, in RESP2 and RESP3. Usage: PORT (first node)."""

import sys

from redis.cluster import RedisCluster
from redis.exceptions import RedisClusterException, ResponseError

port = int(sys.argv[1])

# The "database" the cache sits in front of, and how often it was read.
DB = {f"user:{i}": f"name {i}" for i in range(50)}
loads = {"n": 0}


def load(key):
    loads["n"] += 1
    return DB[key]


def get_user(rc, key):
    """Cache-aside: the cache first, the database on a miss, then fill the cache."""
    v = rc.get(key)
    if v is None:
        v = load(key)
        rc.set(key, v, ex=300)
    return v


for proto in (2, 3):
    rc = RedisCluster(host="127.0.0.1", port=port, protocol=proto, decode_responses=True)
    nodes = sorted(n.port for n in rc.get_nodes())
    assert len(nodes) == 3, nodes
    loads["n"] = 0
    keys = [f"user:{i}" for i in range(50)]
    prefix = f"p{proto}:"
    # First pass: every read misses and loads; second pass: every read hits.
    for k in keys:
        DB[prefix + k] = DB[k]
    assert [get_user(rc, prefix + k) for k in keys] == [DB[k] for k in keys]
    assert loads["n"] == 50, loads
    assert [get_user(rc, prefix + k) for k in keys] == [DB[k] for k in keys]
    assert loads["n"] == 50, loads
    # The keys are spread over the three shards.
    owners = {rc.get_node_from_key(prefix + k).port for k in keys}
    assert owners == set(nodes), owners
    per_node = [rc.dbsize(target_nodes=n) for n in rc.get_primaries()]
    assert all(n > 0 for n in per_node) and sum(per_node) >= 50, per_node
    # An update invalidates: the next read loads again.
    DB[prefix + "user:7"] = "renamed"
    rc.delete(prefix + "user:7")
    assert get_user(rc, prefix + "user:7") == "renamed" and loads["n"] == 51
    # Keys of one user together with a hash tag: multi-key commands work...
    tag = f"{{{prefix}user:1}}"
    rc.mset({tag + ":profile": "ada", tag + ":cart": "3 items"})
    assert rc.mget(tag + ":profile", tag + ":cart") == ["ada", "3 items"]
    assert rc.keyslot(tag + ":profile") == rc.keyslot(tag + ":cart")
    assert rc.cluster_keyslot(tag + ":cart") == rc.keyslot(tag + ":cart")
    # ... across users they do not (redis-py refuses before sending; the node says CROSSSLOT).
    try:
        rc.mset({prefix + "user:1": "a", prefix + "user:2": "b"})
        raise AssertionError("MSET across slots succeeded")
    except RedisClusterException as e:
        assert "same key slot" in str(e), e
    node = rc.get_node_from_key(prefix + "user:1")
    try:
        rc.execute_command("MSET", prefix + "user:1", "a", prefix + "user:2", "b", target_nodes=node)
    except ResponseError as e:
        assert str(e) == "Keys in request don't hash to the same slot", e
    # A transaction-like pipeline on one slot.
    p = rc.pipeline()
    p.incr(tag + ":visits").incr(tag + ":visits").get(tag + ":profile")
    assert p.execute() == [1, 2, "ada"]
    slot = rc.keyslot(tag + ":cart")
    owner = rc.get_node_from_key(tag + ":cart")
    counted = rc.execute_command("CLUSTER", "COUNTKEYSINSLOT", slot, target_nodes=owner)
    # profile, cart, visits, and the plain key the tag names (user:1 itself hashes there too).
    assert counted == 4, counted
    rc.close()
    print(f"RESP{proto}: ok")
