// The page's download budget: the wasm a learner downloads before anything loads lazily. The
// project's hard budget is 450 KB gzipped with the whole engine; issue #5 brought the page to
// 390 KB (goal 400), and saved search indexes, INFO's own counters and the console's notes on
// unknown commands took it to 404.6 KB. Issue #17's data types (bitmaps, HyperLogLog, geo,
// hash-field TTLs, SORT, LCS, blocking sorted-set pops, DUMP/RESTORE, DEBUG, the encoding
// settings, COMMAND GETKEYS, the empty PUBSUB/SLOWLOG/MODULE/FUNCTION answers) and their key
// browser views took it to 492.3 KB; an own decimal parser in place of core's took 12.5 KB off.
// Issues #18-#21 (streams, pub/sub with keyspace notifications and client tracking, RedisJSON,
// the engine's side of EVAL and FUNCTION: script cache, libraries, the ScriptRunner seam; the
// Lua VM itself is not in the page) and the second-client panel took it to 580.9 KB. The engine
// alone (every family, no UI) is now 402.9 KB gzipped, so the 450 KB hard budget "with the whole
// engine" leaves 47 KB for the UI, which takes 178: missed, and said so in the README ("Measured
// here"). This ratchet sits just
// above today's size, so a change that grows the page lands only on purpose (raise it here, with
// the reason). `measure.mjs` prints the figure. Issue #22's Python tab added about 2 KB (583.0): the
// tab, the bridge's `serve` for the Python connections (blocking commands, pushes) and
// `disconnect`; Python itself and its glue load lazily. Session 10 took it to 667.5 KB: RediSearch's
// scorers, FT.AGGREGATE with its expression language and cursors, FT.CONFIG/TAGVALS/ALIAS/DICT
// (about +65 KB raw), ACL with SHA-256, MONITOR and CLIENT REPLY (+30 KB raw), and the page's
// cluster mode, its view of a real cluster and the console's Python mode (+15 KB raw). Lua in the
// page took it to 673.2 KB (+5.7): the VM is its own module (dist/lua/), but once the page can
// install a runner, the engine's scripting handlers (FUNCTION LOAD/RESTORE/LIST/STATS, SCRIPT
// LOAD, the script host's call: about 14 KB raw by twiggy) are no longer dead code, and the
// page's runner, the console's wait for the module, the editor's slot and the Python tab's call for the module add about 8 KB raw.
// With the same session's JSON document tree in the key browser, indented JSON replies in the
// console, RedisJSON's own number reading (serde_json's) and printing (ryu's digits), and the
// console's CLIENT REPLY notes: 677.6 KB. Measured then: the page built with feature
// `core-engine` (the rarely used families left out) is 589.5 KB, so the 450 KB budget needs more
// than those families to load lazily (issue #17: search, and parts of the UI, too).
// Branch `infra` (issue #19's server surface) measured 694.4 KB (main's dist: 671.1): key specs
// and tips of every command with COMMAND GETKEYSANDFLAGS and Redis's key procedures, CONFIG over
// the whole 7.4 parameter table with each kind's checks, CLIENT PAUSE, SLOWLOG, LATENCY with its
// histograms, sparkline and doctor, MIGRATE (both tables are kept as text to stay small).
// Run after `trunk build --release` (or against `scripts/dev.sh serve`'s dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from './harness.mjs';

// Merged in session 11, with the page stemming English only (feature `english-only`: the other
// 17 stemmers would add about 41 KB): 762.3 KB. Issue #20's rest (FT.EXPLAIN, FT.PROFILE,
// FT.SPELLCHECK, FT.SUG*, synonyms, fuzzy matching, the new field options: about +75 KB raw)
// and issue #19's rest (the key-spec and CONFIG tables, CLIENT PAUSE, SLOWLOG, LATENCY: about
// +45 KB raw), ROLE/WAIT/WAITAOF/REPLICAOF/FAILOVER and MEMORY DOCTOR/STATS (+4 KB raw).
// LOLWUT's two pictures and the console's note on LANGUAGE: 764.9 KB. Issue #21's rest (branch
// scriptpage: redis.acl_check_cmd's host call, scripts' error counting, the FUNCTION libraries
// in saved sessions, compare mode's wait for the Lua module): +1.9 KB, 767.1 KB (765.4 before,
// same machine; 767.3 KB with the nested script errors counted). Session 12: the replication
// stream (SYNC/PSYNC/REPLCONF, an RDB file writer, the propagated forms of SET EX, EXPIRE, GETEX,
// the pops, SPOP, RESTORE, INCRBYFLOAT, min-replicas-to-write), invalidations before the reply,
// RESP3 attributes, SHUTDOWN, a BGSAVE that takes time and CONFIG SET's rollback: 775.2 KB.
// RediSearch's GEO fields (radius queries, GEOFILTER and FILTER, geodistance()): 778.0 KB.
// Session 13 (777.8 KB at its start on this machine): issue #20's last pieces, SUMMARIZE and
// HIGHLIGHT with RediSearch's fragmenter, PHONETIC with its Double Metaphone, INFIELDS masks,
// FT.PROFILE's APPLY/FILTER lines (+8.3 KB), GEOSHAPE fields with WKT and polygon validity,
// NaN-score order, JSON type errors (+9.3 KB; the ten new stemmers are left out by
// `english-only`), and the engine's replica side (REPLICAOF's read-only and stale rules),
// lazyfree counts, streams' and hash-field TTLs' propagated forms, reply buffer sizing: 804.7 KB.
// RediSearch's own orders for FT.AGGREGATE's groups (its khash) and TOLIST (its dict), and its
// HyperLogLog for COUNT_DISTINCTISH: 806.8 KB.
// Session 14: the page's wasm is split (scripts/page-wasm.sh, src/families.rs): RediSearch's
// handlers (144.5 KB gzipped) and the rarely used families' (84.2 KB) are chunks of their own,
// fetched by the first command that needs them: 601.3 KB. RediSearch's indexer moved into its
// chunk (an index exists only once the chunk is in): 556.5 KB. The server's rarer commands (ACL,
// SCRIPT/FUNCTION, LATENCY, SLOWLOG, COMMAND's subcommands, MEMORY, replication, LOLWUT, SHUTDOWN)
// joined the rare families: 515.5 KB. The page's own parts (src/parts.rs: the key detail view,
// the labs' and Python's engine bridge) became a chunk: 484.8 KB. SWAPDB, MOVE, CLIENT KILL and
// client-side caching's subcommands joined the rare group: 477.8 KB. Pub/sub's commands,
// ZMPOP/BZMPOP/BZPOPMIN/MAX, the Lua module's script runner and a real server's key browser (a
// page part): 465.1 KB. The data types' rarer commands (set and sorted-set algebra, lexicographic
// ranges, random members, LINSERT, LPOS, the moving and multi-key list pops, COPY): 447.9 KB,
// within the project's 450 KB budget for the page's first wasm. The Labs, Lessons and Python tabs'
// hosts joined the page parts: 442.3 KB.
const BUDGET_KB = 443;
// The project's hard budget for the first wasm: the ratchet may never be raised past it.
const HARD_BUDGET_KB = 450;

test(`the page's first wasm stays within ${BUDGET_KB} KB gzipped (lazily loaded modules and chunks apart)`, () => {
  assert.ok(BUDGET_KB <= HARD_BUDGET_KB, `the ratchet (${BUDGET_KB} KB) is over the ${HARD_BUDGET_KB} KB budget`);
  // Only the page's own module: dist/labs/ (the Labs and Lessons tabs, the Lua editor), dist/lua/
  // (the Lua VM) and the engine's chunks (dist/split_*.wasm, dist/chunk_*.wasm) load later.
  const wasm = readdirSync(DIST).filter((name) => name.endsWith('_bg.wasm'));
  assert.equal(wasm.length, 1, `one page module in dist/: ${wasm}`);
  const gzipped = gzipSync(readFileSync(join(DIST, wasm[0])), { level: 9 }).length / 1024;
  assert.ok(gzipped <= BUDGET_KB, `${wasm[0]} is ${gzipped.toFixed(1)} KB gzipped, over the ${BUDGET_KB} KB budget`);
});
