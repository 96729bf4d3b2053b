"""redis-py against `playground-proxy emulate`, in RESP2 and RESP3 (redis-py 8's default).

Usage: python redis_py_check.py PORT. Exits non-zero with a message on the first mismatch.
"""
import struct
import sys

import redis

port = int(sys.argv[1])
for protocol in (2, 3):
    r = redis.Redis(port=port, protocol=protocol)
    assert r.ping() is True
    r.flushdb()
    # The course's basics: cache-aside with a TTL, rate limiting, chat history, leaderboard.
    assert r.set("cache:answer", "42", ex=300) is True
    assert r.get("cache:answer") == b"42"
    assert 299 <= r.ttl("cache:answer") <= 300
    assert r.incr("rate:user-123") == 1
    assert r.expire("rate:user-123", 60) is True
    r.lpush("chat:1", "m1", "m2", "m3")
    r.ltrim("chat:1", 0, 1)
    assert r.lrange("chat:1", 0, -1) == [b"m3", b"m2"]
    r.zadd("board", {"ada": 30, "bob": 20})
    # RESP2 gives tuples, RESP3 gives lists (as the real server does): compare the contents.
    top = [tuple(pair) for pair in r.zrange("board", 0, -1, desc=True, withscores=True)]
    assert top == [(b"ada", 30.0), (b"bob", 20.0)], top
    assert r.zscore("board", "ada") == 30.0
    r.hset("user:1", mapping={"name": "Ada", "plan": "pro"})
    assert r.hgetall("user:1") == {b"name": b"Ada", b"plan": b"pro"}
    assert r.smembers("none") == set()
    # Binary-safe values: an embedding blob round-trips byte for byte.
    blob = struct.pack("4f", 0.1, -0.5, 1.0, 2.5)
    r.hset("doc:1", mapping={"embedding": blob})
    assert r.hget("doc:1", "embedding") == blob
    with r.pipeline() as p:
        p.multi()
        p.incr("n")
        p.incr("n")
        assert p.execute() == [1, 2]
    # Scripts: register_script's Script object runs EVALSHA, and EVAL after SCRIPT FLUSH
    # (NOSCRIPT); functions with FUNCTION LOAD and FCALL.
    release = r.register_script(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
    )
    r.set("lock", "me")
    assert release(keys=["lock"], args=["you"]) == 0
    r.script_flush()
    assert release(keys=["lock"], args=["me"]) == 1
    assert r.exists("lock") == 0
    assert r.script_exists(release.sha) == [True]
    assert r.eval("return {1, 'two', {3}}", 0) == [1, b"two", [3]]
    r.function_load(
        "#!lua name=lib\nredis.register_function('hello', function(keys, args) return 'hi ' .. args[1] end)",
        replace=True,
    )
    assert r.fcall("hello", 0, "ada") == b"hi ada"
    info = r.info("stats")
    assert "keyspace_hits" in info and "evicted_keys" in info
    print(f"redis-py {redis.__version__} RESP{protocol}: ok")
