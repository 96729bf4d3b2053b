// Our HNSW compiled to wasm, measured in headless Chromium inside the built page (the release
// build, optimised for size as the page ships): prints one JSON line with the build rate and,
// per EF_RUNTIME, query ms and recall@10 on the vector benchmark's clustered data.
// `cargo run --profile fast -p playground-engine --example vector_bench` runs it (after
// `trunk build --release`) and prints the rows beside the native ones.
//   node tests/e2e/vector_wasm.mjs N QUERIES DATA_SALT QUERY_SALT
import { serveDist, launch } from './harness.mjs';

const [n = 10000, queries = 200, dataSalt = 1, querySalt = 9] = process.argv.slice(2).map(Number);
const server = await serveDist();
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(server.url);
  // The benchmark lives in the lazily loaded module (labs/labs.js), as the labs do.
  const json = await page.evaluate(async ([a, b, c, d]) => {
    const module = await import(new URL('labs/labs.js', document.baseURI).href);
    await module.default();
    return module.bench_vectors(a, b, c, d);
  }, [n, queries, dataSalt, querySalt]);
  console.log(json);
} finally {
  await browser.close();
  await server.close();
}
