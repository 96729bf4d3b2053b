// The page's download budget (issue #5): the wasm a learner downloads before anything loads
// lazily stays within 400 KB gzipped. `measure.mjs` prints the figure; this keeps a change that
// grows the page past it from landing unnoticed. Run after `trunk build --release`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from './harness.mjs';

const BUDGET_KB = 400;

test(`the page's wasm stays within ${BUDGET_KB} KB gzipped (lazily loaded modules apart)`, () => {
  // Only the page's own module: dist/labs/ (the Labs and Lessons tabs) loads later.
  const wasm = readdirSync(DIST).filter((name) => name.endsWith('_bg.wasm'));
  assert.equal(wasm.length, 1, `one page module in dist/: ${wasm}`);
  const gzipped = gzipSync(readFileSync(join(DIST, wasm[0])), { level: 9 }).length / 1024;
  assert.ok(gzipped <= BUDGET_KB, `${wasm[0]} is ${gzipped.toFixed(1)} KB gzipped, over the ${BUDGET_KB} KB budget`);
});
