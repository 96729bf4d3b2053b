"""redis-py's clients that listen: pub/sub (`listen`, `get_message`, `run_in_thread`, patterns,
sharded channels) and server-assisted client-side caching (`protocol=3, cache_config=...`),
against `playground-proxy emulate` and against Redis 7.4, with what each saw compared.

Usage: python redis_py_clients_check.py EMULATE_PORT ORACLE_PORT
Prints each step; exits non-zero at the first difference, showing both sides.
"""
import sys
import threading
import time

import redis
from redis.cache import CacheConfig

PREFIX = "clientcheck"


def wait_for(predicate, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def messages(pubsub, count, timeout=5.0):
    """The next `count` messages (subscribe confirmations included), as plain tuples."""
    out = []
    deadline = time.time() + timeout
    while len(out) < count and time.time() < deadline:
        m = pubsub.get_message(timeout=0.1)
        if m is not None:
            out.append((m["type"], m.get("pattern"), m["channel"], m["data"]))
    return out


def pubsub_steps(port, protocol, step):
    r = redis.Redis(port=port, protocol=protocol)
    p = r.pubsub()
    p.subscribe(f"{PREFIX}:news", f"{PREFIX}:alerts")
    p.psubscribe(f"{PREFIX}:user:*")
    step("subscribed", messages(p, 3))
    step("numsub", r.pubsub_numsub(f"{PREFIX}:news", f"{PREFIX}:none"))
    step("numpat", r.pubsub_numpat())
    step("channels", sorted(c for c in r.pubsub_channels(f"{PREFIX}:*")))
    step("publish to one subscriber", r.publish(f"{PREFIX}:news", "hello"))
    step("publish to a pattern", r.publish(f"{PREFIX}:user:42", "updated"))
    step("publish to nobody", r.publish(f"{PREFIX}:nobody", "x"))
    step("messages", messages(p, 2))
    p.unsubscribe(f"{PREFIX}:alerts")
    p.punsubscribe()
    step("unsubscribed", messages(p, 2))
    p.close()

    # listen() in a loop, the way an app instance waits for invalidations.
    got = []
    listener = r.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(f"{PREFIX}:invalidate")

    def listen():
        for m in listener.listen():
            got.append(m["data"])
            if m["data"] == b"stop":
                return

    t = threading.Thread(target=listen, daemon=True)
    t.start()
    wait_for(lambda: r.pubsub_numsub(f"{PREFIX}:invalidate")[0][1] == 1)
    for key in (b"user:1", b"user:2", b"stop"):
        r.publish(f"{PREFIX}:invalidate", key)
    t.join(5)
    step("listen() received", got)
    listener.close()

    # run_in_thread with handlers, as redis-py documents it.
    seen = []
    worker_pubsub = r.pubsub()
    worker_pubsub.subscribe(**{f"{PREFIX}:events": lambda m: seen.append(m["data"])})
    worker = worker_pubsub.run_in_thread(sleep_time=0.01, daemon=True)
    wait_for(lambda: r.pubsub_numsub(f"{PREFIX}:events")[0][1] == 1)
    for n in range(3):
        r.publish(f"{PREFIX}:events", f"event-{n}")
    wait_for(lambda: len(seen) == 3)
    worker.stop()
    worker.join(5)
    step("run_in_thread handled", seen)

    # Sharded channels (SSUBSCRIBE / SPUBLISH) on a single server.
    sharded = r.pubsub()
    sharded.ssubscribe(f"{PREFIX}:shard")
    step("ssubscribed", [m for m in [sharded.get_sharded_message(timeout=1)] if m])
    step("spublish", r.spublish(f"{PREFIX}:shard", "s1"))
    m = sharded.get_sharded_message(timeout=2)
    step("sharded message", m and (m["type"], m["channel"], m["data"]))
    step("shardnumsub", r.pubsub_shardnumsub(f"{PREFIX}:shard"))
    sharded.close()


def caching_steps(port, step):
    """redis-py's client-side cache: reads served locally until the server invalidates them."""
    writer = redis.Redis(port=port)
    cached = redis.Redis(port=port, protocol=3, cache_config=CacheConfig(max_size=100))
    cache = cached.get_cache()
    writer.set(f"{PREFIX}:price", "10")
    step("first read", cached.get(f"{PREFIX}:price"))
    step("cached after a read", cache.size)
    step("second read (from the cache)", cached.get(f"{PREFIX}:price"))
    writer.set(f"{PREFIX}:price", "12")
    # The invalidation push arrives on the caching connection; redis-py reads it before the
    # next command on that connection.
    fresh = None
    for _ in range(100):
        fresh = cached.get(f"{PREFIX}:price")
        if fresh == b"12":
            break
        time.sleep(0.01)
    step("read after another client's write", fresh)
    writer.delete(f"{PREFIX}:price")
    gone = b"?"
    for _ in range(100):
        gone = cached.get(f"{PREFIX}:price")
        if gone is None:
            break
        time.sleep(0.01)
    step("read after a delete", gone)
    cached.hset(f"{PREFIX}:user", mapping={"name": "Ada"})
    step("hash read", cached.hgetall(f"{PREFIX}:user"))
    writer.hset(f"{PREFIX}:user", "name", "Grace")
    hashed = None
    for _ in range(100):
        hashed = cached.hgetall(f"{PREFIX}:user")
        if hashed.get(b"name") == b"Grace":
            break
        time.sleep(0.01)
    step("hash after another client's write", hashed)
    info = writer.client_list()
    step("a tracking client is listed", any("t" in c.get("flags", "") for c in info))
    cached.close()
    writer.delete(f"{PREFIX}:user")


def scenario(port):
    steps = []

    def step(label, value):
        steps.append((label, value))

    for protocol in (2, 3):
        pubsub_steps(port, protocol, lambda label, value, p=protocol: step(f"RESP{p} {label}", value))
    caching_steps(port, step)
    return steps


def main():
    emulate, oracle = int(sys.argv[1]), int(sys.argv[2])
    ours, theirs = scenario(emulate), scenario(oracle)
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    for (label, got), (_, want) in zip(ours, theirs):
        if got != want:
            print(f"MISMATCH at step '{label}':\n  emulate: {got!r}\n  redis:   {want!r}")
            sys.exit(1)
        print(f"ok  {label}")
    print(f"{len(ours)} steps identical")


if __name__ == "__main__":
    main()
