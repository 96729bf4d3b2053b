// A blocking command in the page's console waits on the virtual clock, as BLPOP waits on a real
// server: no reply until the deadline, then the timeout reply; data already there answers at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, run } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await serveDist();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('BLPOP waits for the virtual clock, then times out; with data it answers at once', async () => {
  const page = await openPage(browser, server.url);
  await page.getByRole('button', { name: 'Pause' }).click();
  const entries = () => page.locator('.scrollback .entry').count();
  const before = await entries();
  await page.fill('#console-input', 'BLPOP jobs 30');
  await page.press('#console-input', 'Enter');
  await page.waitForTimeout(600);
  assert.equal(await entries(), before, 'no reply while the clock is paused before the deadline');
  await page.getByRole('button', { name: '+1 min' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length > n, before);
  assert.match(await page.locator('.scrollback .entry .reply').last().innerText(), /\(nil\)/);
  assert.equal(await run(page, 'RPUSH jobs j1'), '(integer) 1');
  assert.match(await run(page, 'BLPOP jobs 30'), /1\) "jobs"\s+2\) "j1"/);
  assert.deepEqual(page.errors, []);
});

test('XREAD BLOCK waits until the second client adds to the stream, or the clock passes its timeout', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Pause' }).click();
  const entries = () => page.locator('.scrollback .entry').count();
  const lastReply = () => page.locator('.scrollback .entry .reply').last().innerText();
  let before = await entries();
  await page.fill('#console-input', 'XREAD BLOCK 5000 STREAMS events $');
  await page.press('#console-input', 'Enter');
  await page.waitForTimeout(600);
  assert.equal(await entries(), before, 'no reply before anything is added');
  // Another connection writes: the waiting read is served with the new entry.
  await page.fill('#second-input', 'XADD events 1-1 kind login');
  await page.press('#second-input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length > n, before);
  assert.match(await lastReply(), /"events"[\s\S]*"1-1"[\s\S]*"kind"[\s\S]*"login"/);
  assert.match(await page.locator('#second-log').innerText(), /"1-1"/);
  // Nothing newer than `$`: the read waits for the virtual clock, then times out.
  before = await entries();
  await page.fill('#console-input', 'XREAD BLOCK 5000 STREAMS events $');
  await page.press('#console-input', 'Enter');
  await page.waitForTimeout(600);
  assert.equal(await entries(), before, 'no reply while the clock is paused before the deadline');
  await page.getByRole('button', { name: '+1 min' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length > n, before);
  assert.match(await lastReply(), /\(nil\)/);
  assert.deepEqual(page.errors, []);
});
