"""RedisVL, unchanged, against `playground-proxy emulate` and against Redis 7.4 + RediSearch + JSON.

Usage: python redisvl_check.py EMULATE_PORT ORACLE_PORT

Runs the same scenario through RedisVL's public APIs on both servers (indexes on hashes and on
JSON, vector, range, filter, count, text and hybrid queries, pagination, the semantic cache, the
embeddings cache, message histories, the semantic router) and compares what RedisVL returns,
step by step. Prints each step's label; exits non-zero at the first difference, showing both
sides. Only values that are random or wall-clock by design (ULIDs, timestamps) are masked.
RedisVL's own default vectorizer downloads a model: the scenario uses a deterministic
`CustomTextVectorizer` instead, so nothing leaves the machine.
"""
import hashlib
import json
import math
import struct
import sys
import time

import redis
from redisvl.extensions.cache.embeddings import EmbeddingsCache
from redisvl.extensions.cache.llm import SemanticCache
from redisvl.extensions.message_history import MessageHistory, SemanticMessageHistory
from redisvl.extensions.router import Route, SemanticRouter
from redisvl.index import SearchIndex
from redisvl.query import (
    CountQuery,
    FilterQuery,
    RangeQuery,
    TextQuery,
    VectorQuery,
)
from redisvl.query.aggregate import AggregateHybridQuery
from redisvl.query.filter import Geo, GeoRadius, Num, Tag, Text
from redisvl.utils.vectorize import CustomTextVectorizer

DIMS = 8
# Every run names its keys and indexes afresh, so what an interrupted run left cannot meet it.
PREFIX = f"vlcheck{int(time.time() * 1000) % 10**8}"

# Words that put a text near a topic: the toy embedding is a bag of topics, so rephrasings of a
# question land close to each other (as with a real model) and unrelated texts do not.
TOPICS = [
    ("redis", "cache", "caching", "ttl", "expire"),
    ("price", "cost", "pay", "billing", "invoice"),
    ("weather", "rain", "sunny", "forecast"),
    ("python", "code", "library", "client"),
    ("vector", "embedding", "semantic", "similar"),
    ("hello", "hi", "greeting", "morning"),
    ("refund", "return", "money", "back"),
    ("password", "login", "account", "reset"),
]


def embed(text):
    """A unit vector of topic counts (plus a small hash term so no two texts tie exactly)."""
    words = [w.strip("?.,!").lower() for w in text.split()]
    vec = [float(sum(w in topic for w in words)) for topic in TOPICS]
    digest = hashlib.sha256(text.encode()).digest()
    vec = [v + digest[i] / 2550.0 for i, v in enumerate(vec)]
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def vectorizer():
    return CustomTextVectorizer(embed=embed, embed_many=lambda texts, **_: [embed(t) for t in texts])


DOCS = [
    ("doc:1", "How to cache answers in Redis with a TTL", "redis", 2019, "ada"),
    ("doc:2", "Billing and invoice questions about the price", "billing", 2021, "bob"),
    ("doc:3", "Sunny weather forecast for the weekend", "weather", 2020, "cy"),
    ("doc:4", "A Python client library for Redis caching", "redis", 2023, "ada"),
    ("doc:5", "Semantic search with vector embeddings", "vectors", 2024, "dee"),
    ("doc:6", "Reset your account password after login fails", "account", 2022, "bob"),
    ("doc:7", "Refund policy: money back on returns", "billing", 2018, "cy"),
    ("doc:8", "Expire keys in Redis: TTL strategies for a cache", "redis", 2024, "dee"),
]

# Where each document was written (a GEO field): around the San Francisco Bay, and further.
PLACES = ["-122.4194,37.7749", "-122.2711,37.8044", "-118.2437,34.0522", "-121.8863,37.3382",
          "2.3522,48.8566", "-122.4194,37.7749", "-73.9857,40.7484", "-122.0839,37.3861"]


def schema(storage):
    path = "$." if storage == "json" else ""
    return {
        "index": {"name": f"{PREFIX}-{storage}", "prefix": f"{PREFIX}:{storage}", "storage_type": storage},
        "fields": [
            {"name": "title", "type": "text", **({"path": f"{path}title"} if path else {})},
            {"name": "topic", "type": "tag", **({"path": f"{path}topic"} if path else {})},
            {"name": "year", "type": "numeric", **({"path": f"{path}year"} if path else {})},
            {"name": "author", "type": "tag", **({"path": f"{path}author"} if path else {})},
            {"name": "location", "type": "geo", **({"path": f"{path}location"} if path else {})},
            {
                "name": "embedding",
                "type": "vector",
                **({"path": f"{path}embedding"} if path else {}),
                "attrs": {"dims": DIMS, "distance_metric": "cosine", "algorithm": "flat", "datatype": "float32"},
            },
        ],
    }


def records(storage):
    out = []
    for (key, title, topic, year, author), place in zip(DOCS, PLACES):
        vec = embed(title)
        out.append({
            "id": key.split(":")[1],
            "title": title,
            "topic": topic,
            "year": year,
            "author": author,
            "location": place,
            "embedding": vec if storage == "json" else struct.pack(f"{DIMS}f", *vec),
        })
    return out


def rounded(value):
    """Scores and distances as RedisVL returns them (strings or floats), to 5 digits."""
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, str):
        try:
            return f"{float(value):.5g}" if any(c in value for c in ".e") else value
        except ValueError:
            return value
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


MASKED = {"entry_id", "inserted_at", "updated_at", "timestamp", "id_field", "session_tag"}


def masked(value):
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, dict):
        return {k: ("<masked>" if k in MASKED else masked(v)) for k, v in value.items()}
    return value


def scanned(index):
    """Wait for FT.CREATE's scan of the existing keys. Redis runs it in the background: keys
    written while it runs may be indexed twice (a second document id for the same key, which
    changes the text scores), as any client racing it would see."""
    for _ in range(500):
        if str(index.info().get("indexing")) == "0":
            return
        time.sleep(0.01)
    raise AssertionError(f"{index.name}: the initial scan did not end")


def index_steps(client, storage, step):
    index = SearchIndex.from_dict(schema(storage), redis_client=client)
    index.create(overwrite=True, drop=True)
    scanned(index)
    keys = index.load(records(storage), id_field="id")
    step("load keys", sorted(keys))
    step("exists", index.exists())
    step("fetch", masked(rounded({k: v for k, v in (index.fetch("4") or {}).items() if k != "embedding"})))
    query_vec = embed("redis cache ttl")
    vq = VectorQuery(query_vec, "embedding", return_fields=["title", "topic", "year"], num_results=3)
    step("vector query", rounded(index.query(vq)))
    vq = VectorQuery(query_vec, "embedding", return_fields=["title"], num_results=3,
                     filter_expression=Tag("topic") == "redis")
    step("vector query with a tag filter", rounded(index.query(vq)))
    vq = VectorQuery(query_vec, "embedding", return_fields=["title"], num_results=2,
                     filter_expression=(Num("year") >= 2020) & (Tag("author") == ["ada", "dee"]))
    step("vector query with numeric and tag filters", rounded(index.query(vq)))
    rq = RangeQuery(query_vec, "embedding", return_fields=["title"], distance_threshold=0.5)
    step("range query", rounded(index.query(rq)))
    fq = FilterQuery(return_fields=["title", "year"], filter_expression=Num("year").between(2019, 2022))
    fq.sort_by("year", asc=False)
    step("filter query sorted", rounded(index.query(fq)))
    bay = GeoRadius(-122.4194, 37.7749, 60, "km")
    fq = FilterQuery(return_fields=["title", "location"], filter_expression=Geo("location") == bay)
    fq.sort_by("year")
    step("geo radius filter", rounded(index.query(fq)))
    vq = VectorQuery(query_vec, "embedding", return_fields=["title"], num_results=3,
                     filter_expression=(Geo("location") != bay) & (Num("year") >= 2019))
    step("vector query outside a geo radius", rounded(index.query(vq)))
    fq = FilterQuery(return_fields=["title"], filter_expression=Text("title") % "cach*")
    fq.sort_by("year")
    step("text filter with a prefix", rounded(index.query(fq)))
    step("count query", index.query(CountQuery(filter_expression=Tag("topic") == "billing")))
    step("count all", index.query(CountQuery()))
    info = index.info()
    step("index statistics", {k: info[k] for k in ("num_docs", "max_doc_id", "num_terms", "num_records")})
    tq = TextQuery("redis cache ttl", "title", return_fields=["title"], num_results=4, stopwords=None)
    step("text query (BM25STD)", rounded(index.query(tq)))
    tq = TextQuery("refund money", "title", text_scorer="TFIDF", return_fields=["title"], stopwords=None)
    step("text query (TFIDF)", rounded(index.query(tq)))
    hq = AggregateHybridQuery("redis cache", "title", query_vec, "embedding", num_results=4,
                              return_fields=["title", "year"], stopwords=None)
    step("hybrid query (FT.AGGREGATE)", rounded(index.query(hq)))
    pages = [rounded(p) for p in index.paginate(
        FilterQuery(return_fields=["title"], filter_expression=Tag("topic") == "redis").sort_by("year"), page_size=2)]
    step("paginate", pages)
    info = index.info()
    step("info", {k: info[k] for k in ("index_name", "num_docs", "hash_indexing_failures") if k in info})
    step("listed", f"{PREFIX}-{storage}" in index.listall())
    step("drop keys", index.drop_keys([f"{PREFIX}:{storage}:1", f"{PREFIX}:{storage}:2"]))
    step("count after drop", index.query(CountQuery()))
    index.delete(drop=True)
    step("deleted", index.exists())


def cache_steps(client, step):
    cache = SemanticCache(name=f"{PREFIX}-llmcache", vectorizer=vectorizer(), distance_threshold=0.05,
                          redis_client=client, overwrite=True,
                          filterable_fields=[{"name": "tenant", "type": "tag"}])
    cache.clear()
    cache.store("What is the price of the pro plan?", "It costs $20 a month.",
                metadata={"source": "faq"}, filters={"tenant": "acme"})
    cache.store("How do I reset my password?", "Use the login page's reset link.", filters={"tenant": "acme"})
    cache.store("Will it rain tomorrow?", "Sunny all day.", filters={"tenant": "other"})
    hit = cache.check("What does the pro plan cost, what price?", return_fields=["prompt", "response", "metadata"])
    step("semantic cache hit on a rephrasing", masked(rounded(hit)))
    step("semantic cache miss", cache.check("Tell me about vector embeddings"))
    step("filtered to another tenant",
         masked(rounded(cache.check("How do I reset my password?", filter_expression=Tag("tenant") == "other"))))
    step("top 2 within a wider threshold", masked(rounded(
        cache.check("price to pay", num_results=2, distance_threshold=0.9, return_fields=["prompt"]))))
    cache.set_threshold(0.5)
    step("threshold", cache.distance_threshold)
    cache.drop(keys=[])
    cache.delete()


def embeddings_cache_steps(client, step):
    cache = EmbeddingsCache(name=f"{PREFIX}-embcache", redis_client=client, ttl=60)
    cache.set("hello world", "toy-model", embed("hello world"), metadata={"n": 1})
    got = cache.get("hello world", "toy-model")
    step("embeddings cache get", masked(rounded({k: v for k, v in got.items()})))
    step("exists", cache.exists("hello world", "toy-model"))
    step("missing", cache.get("never stored", "toy-model"))
    cache.mset([{"content": t, "model_name": "toy-model", "embedding": embed(t)} for t in ("a b", "c d")])
    step("mget", [masked(rounded(e)) for e in cache.mget(["a b", "c d", "e f"], "toy-model")])
    cache.drop("hello world", "toy-model")
    step("dropped", cache.exists("hello world", "toy-model"))
    cache.clear()


def history_steps(client, step):
    history = MessageHistory(name=f"{PREFIX}-chat", session_tag="s1", redis_client=client)
    history.clear()
    history.add_messages([
        {"role": "user", "content": "hi, how do I cache answers?"},
        {"role": "llm", "content": "Use Redis with a TTL."},
        {"role": "user", "content": "and what does it cost?"},
    ])
    history.store("one more question", "one more answer")
    step("recent messages", masked(history.get_recent(top_k=3)))
    step("recent as text", history.get_recent(top_k=2, as_text=True))
    step("all messages", masked(history.messages))
    history.drop()
    step("after drop", masked(history.get_recent(top_k=10)))
    history.delete()

    semantic = SemanticMessageHistory(name=f"{PREFIX}-semchat", session_tag="s2", vectorizer=vectorizer(),
                                      distance_threshold=0.5, redis_client=client, overwrite=True)
    semantic.clear()
    semantic.add_messages([
        {"role": "user", "content": "What is the weather forecast, rain or sunny?"},
        {"role": "llm", "content": "Sunny weather all weekend."},
        {"role": "user", "content": "How do I reset my account password?"},
        {"role": "llm", "content": "Use the login reset link."},
    ])
    step("relevant messages", masked(semantic.get_relevant("will it rain? weather forecast", top_k=2)))
    step("recent semantic", masked(semantic.get_recent(top_k=2)))
    semantic.delete()


def router_steps(client, step):
    routes = [
        Route(name="greeting", references=["hello", "hi there", "good morning"], distance_threshold=0.3),
        Route(name="billing", references=["what is the price", "invoice and billing", "how much do I pay"],
              metadata={"team": "finance"}, distance_threshold=0.3),
        Route(name="support", references=["reset my password", "login to my account"], distance_threshold=0.3),
    ]
    router = SemanticRouter(name=f"{PREFIX}-router", vectorizer=vectorizer(), routes=routes,
                            redis_client=client, overwrite=True)
    step("route a greeting", rounded(router("hi, good morning").model_dump()))
    step("route billing", rounded(router("how much is the price to pay?").model_dump()))
    step("no route", rounded(router("vector embedding semantic").model_dump()))
    step("route many", [rounded(m.model_dump()) for m in router.route_many("price billing invoice", max_k=2)])
    step("config", json.loads(json.dumps(router.to_dict(), default=str))["routes"])
    router.delete()


def scenario(port):
    client = redis.Redis(port=port)
    # What earlier runs left behind (an interrupted run keeps its keys and indexes).
    for name in [n for n in client.execute_command("FT._LIST") if n.decode().startswith("vlcheck")]:
        client.execute_command("FT.DROPINDEX", name)
    for key in client.scan_iter("vlcheck*"):
        client.delete(key)
    steps = []

    def step(label, value):
        steps.append((label, value))

    index_steps(client, "hash", step)
    index_steps(client, "json", step)
    cache_steps(client, step)
    embeddings_cache_steps(client, step)
    history_steps(client, step)
    router_steps(client, step)
    return steps


def main():
    emulate, oracle = int(sys.argv[1]), int(sys.argv[2])
    started = time.time()
    ours, theirs = scenario(emulate), scenario(oracle)
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    for (label, got), (_, want) in zip(ours, theirs):
        if got != want:
            print(f"MISMATCH at step '{label}':\n  emulate: {got!r}\n  redis:   {want!r}")
            sys.exit(1)
        print(f"ok  {label}")
    print(f"{len(ours)} steps identical ({time.time() - started:.1f} s)")


if __name__ == "__main__":
    main()
