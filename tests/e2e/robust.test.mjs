// End-to-end: what once could freeze or kill the page gets an answer at once, and the page goes
// on (a panic in wasm kills the page, a long loop freezes the tab).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, run } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Run a line and return its reply and how long the page took to show it. */
async function timed(page, line) {
  const started = Date.now();
  const reply = await run(page, line);
  return { reply, ms: Date.now() - started };
}

test('a pattern that would match exponentially answers at once (KEYS, SCAN MATCH)', async () => {
  const page = await openPage(browser, server.url);
  await run(page, `SET ${'a'.repeat(40)} 1`);
  const bomb = `${'a*'.repeat(20)}b`;
  for (const line of [`KEYS ${bomb}`, `SCAN 0 MATCH ${bomb} COUNT 100`, `KEYS ${'*?'.repeat(5000)}`]) {
    const { reply, ms } = await timed(page, line);
    assert.ok(ms < 2000, `${line.slice(0, 30)}... took ${ms} ms`);
    assert.match(reply, /empty array|"0"/);
  }
  assert.equal(await run(page, 'PING'), 'PONG');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a count that would build an enormous reply gets an error, and the page goes on', async () => {
  const page = await openPage(browser, server.url);
  await run(page, 'HSET h a 1 b 2');
  assert.match(await run(page, 'HRANDFIELD h -9223372036854770000 WITHVALUES'), /value is out of range/);
  const { reply, ms } = await timed(page, 'SRANDMEMBER nothing -9223372036854775807');
  assert.match(reply, /empty array/, 'a missing key still answers as Redis does');
  assert.ok(ms < 2000);
  await run(page, 'SADD s x');
  assert.match(await run(page, 'SRANDMEMBER s -9223372036854775807'), /playground answers at most/);
  assert.equal(await run(page, 'PING'), 'PONG');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a value too big for a browser tab is refused in words, not built', async () => {
  const page = await openPage(browser, server.url);
  const { reply, ms } = await timed(page, 'SETRANGE big 536870000 x');
  assert.match(reply, /playground's limit of 64 MB per value in a browser tab \(real Redis would grow it/);
  assert.ok(ms < 2000, `took ${ms} ms`);
  assert.equal(await run(page, 'EXISTS big'), '(integer) 0');
  assert.equal(await run(page, 'PING'), 'PONG');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('transactions in the console answer as Redis does: DISCARD unwatches, SAVE is refused inside MULTI', async () => {
  const page = await openPage(browser, server.url);
  for (const line of ['WATCH x', 'SET x 10', 'MULTI', 'DISCARD', 'MULTI']) await run(page, line);
  assert.equal(await run(page, 'INCR x'), 'QUEUED');
  assert.match(await run(page, 'EXEC'), /1\) \(integer\) 11/);
  await run(page, 'MULTI');
  assert.match(await run(page, 'SAVE'), /Command not allowed inside a transaction/);
  assert.match(await run(page, 'EXEC'), /EXECABORT/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
