// Cluster mode in the page: the server panel's switch turns the console into `redis-cli -c` on
// one node of a 3-shard cluster. It follows MOVED with redis-cli's redirect line, refuses keys
// of several slots with CROSSSLOT, and the key browser shows each key's hash slot and shard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, run, screenshotPath } from './harness.mjs';

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

test('the cluster switch: redirects, CROSSSLOT, hash tags and slots in the key browser', async () => {
  const page = await openPage(browser, server.url, { width: 1280, height: 900 });
  assert.match(await run(page, 'CLUSTER INFO'), /cluster support disabled/);
  await page.selectOption('[data-testid=cluster-mode]', '3');
  assert.match(await run(page, 'CLUSTER INFO'), /cluster_state:ok[\s\S]*cluster_known_nodes:3/);
  // foo hashes to slot 12182 (CLUSTER KEYSLOT on Redis), served by the third node.
  assert.equal(await run(page, 'SET foo 1'), 'OK');
  const entry = page.locator('.scrollback .entry').last();
  assert.match(await entry.innerText(), /-> Redirected to slot \[12182\] located at 127\.0\.0\.1:7002/);
  assert.equal(await run(page, 'CLUSTER KEYSLOT foo'), '(integer) 12182');
  // The console now talks to the node it was redirected to, and its prompt says so.
  assert.equal(await page.locator('.scrollback .entry .prompt-sign').last().innerText(), '127.0.0.1:7002>');
  assert.match(await run(page, 'MSET user:1 a user:2 b'), /CROSSSLOT Keys in request don't hash to the same slot/);
  assert.equal(await run(page, 'MSET {user:1}:profile ada {user:1}:cart 3'), 'OK');
  const slot = (key) => page.locator(`.key-row[data-key="${key}"] .slot`);
  await slot('foo').waitFor();
  assert.equal(await slot('foo').getAttribute('data-slot'), '12182');
  assert.equal(await slot('foo').getAttribute('data-shard'), '3');
  assert.equal(await slot('{user:1}:profile').getAttribute('data-slot'), await slot('{user:1}:cart').getAttribute('data-slot'));
  await page.screenshot({ path: screenshotPath('cluster.png') });
  // Back to one server: every command runs again, and the slots are gone.
  await page.selectOption('[data-testid=cluster-mode]', '0');
  assert.equal(await run(page, 'MSET user:1 a user:2 b'), 'OK');
  assert.equal(await page.locator('.key-row .slot').count(), 0);
  assert.deepEqual(page.errors, []);
});
