// The Python tab's notebook: the course's flows with redis-py, in our own code and words. Cells
// share one namespace, as in a Jupyter notebook (the first cell makes `r`). Plain data, so the
// end-to-end test runs the same sources natively against a real Redis and compares the output.

export const CELLS = [
  {
    title: 'Connect',
    text:
      'On Azure Managed Redis the database listens on port 10000, TLS only: that one port is the ' +
      "service's proxy endpoint (it routes each key to its shard, so a clustered database still looks " +
      'like one server to the client), and plain-text ports are off by default. Here the same code ' +
      "reaches the page's engine: host, port, ssl and password are accepted and not used.",
    code: `import redis

r = redis.Redis(
    host="my-cache.westeurope.redis.azure.net",
    port=10000,
    ssl=True,
    password="<access key>",
    decode_responses=True,
)
print("PING ->", r.ping())
print("server says", r.echo("hello from redis-py"))`,
  },
  {
    title: 'Strings and hashes',
    text:
      'A string with a TTL, a hash set from a dict, and the same hash read back over RESP3 ' +
      '(protocol=3) without decode_responses: bytes, as redis-py returns them.',
    code: `r.set("greeting", "hello", ex=300)
print(r.get("greeting"), r.ttl("greeting"))

r.hset("user:42", mapping={"name": "Ada", "plan": "pro", "visits": 1})
r.hincrby("user:42", "visits", 5)
print(r.hgetall("user:42"))
print(r.hget("user:42", "plan"), r.hexists("user:42", "email"))

raw = redis.Redis(host="localhost", port=6379, protocol=3)
print(raw.hgetall("user:42"))`,
  },
  {
    title: 'Cache-aside with a TTL',
    text:
      'Read the cache first; on a miss ask the slow source, then keep its answer for 5 minutes. ' +
      'time.sleep moves the virtual clock here, so the "slow" lookup costs no real time.',
    code: `import json, time

def slow_product_lookup(product_id):
    time.sleep(0.5)  # the database
    return {"id": product_id, "name": f"Product {product_id}", "price": 19.99}

def get_product(product_id):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached), "HIT"
    product = slow_product_lookup(product_id)
    r.set(key, json.dumps(product), ex=300)
    return product, "MISS"

for _ in range(2):
    product, where = get_product(7)
    print(where, product["name"], product["price"])
print("product:7 expires in", r.ttl("product:7"), "s")`,
  },
  {
    title: 'Invalidation by SCAN',
    text:
      'When products change, drop every cached product: SCAN walks the keyspace a page at a time ' +
      '(never KEYS on a busy server), and scan_iter does the cursor loop for you.',
    code: `for product_id in (1, 2, 3):
    r.set(f"product:{product_id}", json.dumps({"id": product_id}), ex=300)

cursor, deleted = 0, 0
while True:
    cursor, keys = r.scan(cursor, match="product:*", count=100)
    if keys:
        deleted += r.delete(*keys)
    if cursor == 0:
        break
print("invalidated", deleted, "cached products")
print("left:", sorted(r.scan_iter(match="product:*", count=100)))`,
  },
  {
    title: 'Rate limiting with INCR',
    text:
      'A fixed window: INCR counts the calls, the first one sets the window with EXPIRE. ' +
      'The transaction variant makes both one step (MULTI/EXEC).',
    code: `def allow(user, limit=5, window=60):
    key = f"rate:{user}"
    count = r.incr(key)
    if count == 1:
        r.expire(key, window)
    return count <= limit

print([allow("ada") for _ in range(7)])
print("window resets in", r.ttl("rate:ada"), "s")

pipe = r.pipeline(transaction=True)
pipe.incr("rate:bob")
pipe.expire("rate:bob", 60, nx=True)
print(pipe.execute())`,
  },
  {
    title: 'Chat history',
    text:
      'Keep the last few messages of a conversation for the model: LPUSH the newest, LTRIM the rest, ' +
      'one round trip with a pipeline, and an hour of idle time before the history goes.',
    code: `def remember(session_id, role, text, keep=4):
    key = f"chat:{session_id}"
    pipe = r.pipeline()
    pipe.lpush(key, json.dumps({"role": role, "text": text}))
    pipe.ltrim(key, 0, keep - 1)
    pipe.expire(key, 3600)
    pipe.execute()

for i in range(6):
    remember("s1", "user" if i % 2 == 0 else "assistant", f"message {i}")
for item in reversed(r.lrange("chat:s1", 0, -1)):
    print(json.loads(item))`,
  },
  {
    title: 'Leaderboard',
    text: 'A sorted set keeps the scores in order: the top three and one rank in one call each.',
    code: `r.delete("leaderboard")
r.zadd("leaderboard", {"ada": 120, "grace": 95, "alan": 143})
r.zincrby("leaderboard", 30, "grace")
print(r.zrevrange("leaderboard", 0, 2, withscores=True))
print("grace is number", r.zrevrank("leaderboard", "grace") + 1)`,
  },
  {
    title: 'Semantic cache at 0.95',
    native: false, // embeddings come from the page's model: no native run to compare with
    text:
      "Cache answers by meaning: embed the question, store the vector as a FLOAT32 blob " +
      '(struct.pack) in a hash under a vector index, and on a new question take the nearest cached ' +
      'one and reuse its answer when the cosine similarity reaches 0.95. The OpenAI client here is ' +
      "the page's stand-in: its embeddings come from the page's MiniLM table (128 numbers, not " +
      "text-embedding-3-small's 1536, and not the same scores: a threshold belongs to a model).",
    code: `import hashlib, struct
from openai import AzureOpenAI

client = AzureOpenAI(azure_endpoint="https://my-openai.openai.azure.com",
                     api_key="<key>", api_version="2024-06-01")

def get_embedding(text):
    response = client.embeddings.create(input=text, model="text-embedding-3-small")
    return response.data[0].embedding

def to_blob(vector):
    return struct.pack(f"{len(vector)}f", *vector)

DIM = len(get_embedding("hello"))  # 128 here, 1536 with text-embedding-3-small
try:
    r.execute_command("FT.DROPINDEX", "idx:semantic", "DD")
except redis.ResponseError:
    pass  # no index yet
r.execute_command(
    "FT.CREATE", "idx:semantic", "ON", "HASH", "PREFIX", 1, "semantic:",
    "SCHEMA", "answer", "TEXT",
    "embedding", "VECTOR", "HNSW", 6, "TYPE", "FLOAT32", "DIM", DIM, "DISTANCE_METRIC", "COSINE",
)

def semantic_cache_set(question, answer, ttl=3600):
    key = "semantic:" + hashlib.sha1(question.encode()).hexdigest()[:12]
    vector = to_blob(get_embedding(question))
    r.hset(key, mapping={"question": question, "answer": answer, "embedding": vector})
    r.expire(key, ttl)

def semantic_cache_get(question, threshold=0.95):
    reply = r.execute_command(
        "FT.SEARCH", "idx:semantic", "*=>[KNN 1 @embedding $vec AS distance]",
        "PARAMS", 2, "vec", to_blob(get_embedding(question)),
        "RETURN", 3, "question", "answer", "distance", "DIALECT", 2,
    )
    if isinstance(reply, dict):  # RESP3, redis-py 8's default: a map
        if not reply["results"]:
            return None, 0.0
        fields = reply["results"][0]["extra_attributes"]
    else:  # RESP2 (protocol=2): [total, key, [field, value, ...], ...]
        if reply[0] == 0:
            return None, 0.0
        fields = dict(zip(reply[2][::2], reply[2][1::2]))
    similarity = 1 - float(fields["distance"])
    return (fields["answer"] if similarity >= threshold else None), similarity

semantic_cache_set("How do I reset my password?", "Settings, then Security, then Reset password.")
for question in ["How can I reset my password?",
                 "How can I change my password?",
                 "What is the capital of France?"]:
    answer, similarity = semantic_cache_get(question)
    print("HIT " if answer else "MISS", f"{similarity:.3f}", question, "->", answer)`,
  },
];
