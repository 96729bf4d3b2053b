// Shared by the e2e tests and the measurement script: the page (as `scripts/dev.sh serve` serves
// it when E2E_URL is set, else a tiny static server for what `trunk build` wrote to dist/), and a
// headless Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const DIST = resolve(process.env.DIST ?? join(ROOT, 'dist'));
export const SHOTS = join(ROOT, 'docs', 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The page's URL when a server already serves it: `scripts/dev.sh test` sets E2E_URL to the
 * `scripts/dev.sh serve` it started (trunk serve with Trunk.toml's proxy routes). */
export const E2E_URL = process.env.E2E_URL;

/** Serve DIST on a free localhost port, or use E2E_URL when set. Returns { url, close }. */
export async function serveDist() {
  if (E2E_URL) return { url: E2E_URL, close: async () => {} };
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`no page at ${DIST}: run \`trunk build --release\` first`);
  }
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST)) throw new Error('outside dist');
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium from the system (playwright's own download is not available here). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A page that records console errors and uncaught exceptions (the tests assert there are none). */
export async function openPage(browser, url, { width = 1280, height = 720, context } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: { width, height } }));
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(msg.text()); });
  page.on('pageerror', (err) => page.errors.push(String(err)));
  await page.goto(url);
  await page.waitForSelector('#console-input');
  return page;
}

/** Type a console line and wait until its reply is on the page; returns the reply text. */
export async function run(page, line) {
  const before = await page.locator('.scrollback .entry').count();
  await page.fill('#console-input', line);
  await page.press('#console-input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.scrollback .entry').length > n, before);
  return page.locator('.scrollback .entry .reply').last().innerText();
}

export function screenshotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, name);
}
