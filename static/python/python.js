// The page's Python: Pyodide (from ../pyodide/, staged from npm by scripts/dev.sh) with the redis-py
// wheel, and playground.py, which makes every redis-py connection a client of the page's engine
// (window.playground.engine, the bridge the page's wasm exposes through engineReady(): RESP bytes
// in, RESP bytes out).
// Loaded once, on first use (the Python tab opened or window.playground.runPython called).

const REDIS_WHEEL = '../pyodide/redis-8.1.0.whl';

let booting;
let stopRequested = false;

/** Pyodide with redis-py and the glue, loaded once. */
export function python() {
  booting ??= boot().catch((error) => {
    booting = undefined;
    throw error;
  });
  return booting;
}

async function fetchBytes(path) {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function boot() {
  const started = performance.now();
  // The page engine's bridge (in the page's lazily loaded parts), then its Lua module (EVAL,
  // register_script, FCALL from Python) and engine chunks: small downloads that are in long
  // before Pyodide; without the Lua module those commands answer that scripting is not loaded.
  const ready = window.playground?.engineReady;
  if (ready) window.playground.engine = await ready();
  window.playground?.engine?.lua?.();
  const { loadPyodide } = await import(new URL('../pyodide/pyodide.mjs', import.meta.url).href);
  const indexURL = new URL('../pyodide/', import.meta.url).href;
  const [pyodide, wheel, glue] = await Promise.all([
    loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} }),
    fetchBytes(REDIS_WHEEL),
    fetch(new URL('playground.py', import.meta.url)).then((r) => r.text()),
  ]);
  const pyodideMs = performance.now() - started;
  pyodide.unpackArchive(wheel, 'wheel');
  pyodide.FS.writeFile('/home/pyodide/playground.py', glue);
  pyodide.registerJsModule('_playground', api());
  const glueModule = pyodide.pyimport('playground'); // imports redis
  // JavaScript Promise Integration (Chromium 137+): Python can pause at Redis calls.
  const jspi = typeof WebAssembly.Suspending === 'function';
  const loadMs = performance.now() - started;
  return { pyodide, glue: glueModule, jspi, loadMs, pyodideMs, redisMs: loadMs - pyodideMs };
}

/** The proxy's embeddings endpoint next to its WebSocket (as the semantic lab finds it). */
function embeddingsUrl(ws) {
  if (!ws) return null;
  const url = new URL(ws, document.baseURI);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/api/embeddings';
  return url.href;
}

let labsModule;
/** The labs' wasm module (the page imports the same one for the Labs tab: one instance). */
function labs() {
  labsModule ??= import(new URL('labs/labs.js', document.baseURI).href).then(async (m) => {
    await m.default();
    return m;
  });
  return labsModule;
}

// redis-py's connections to a real server: one WebSocket each to the proxy (binary messages
// carrying RESP, as the page's own remote backend speaks), by number.
const sockets = new Map();
let nextSocket = 1;

function openSocket(url) {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const socket = { ws, chunks: [], closed: null, wake: null };
    let opened = false;
    ws.onopen = () => {
      opened = true;
      const id = nextSocket++;
      sockets.set(id, socket);
      ok(id);
    };
    ws.onmessage = (event) => {
      socket.chunks.push(new Uint8Array(event.data));
      socket.wake?.();
    };
    ws.onclose = (event) => {
      socket.closed = event.reason || `closed (${event.code})`;
      if (!opened) fail(new Error(`could not connect to the proxy at ${url}`));
      socket.wake?.();
    };
  });
}

/** The next bytes from socket `id`, or 'timeout' after `ms`, or 'closed'. */
function receive(id, ms) {
  const socket = sockets.get(id);
  return new Promise((ok) => {
    // Declared before `settle`, which also runs at once when bytes are already waiting.
    let timer;
    const settle = () => {
      clearTimeout(timer);
      socket.wake = null;
      if (socket.chunks.length) ok(socket.chunks.shift());
      else ok(socket.closed ? 'closed' : 'timeout');
    };
    if (!socket || socket.chunks.length || socket.closed) return socket ? settle() : ok('closed');
    socket.wake = settle;
    timer = setTimeout(settle, ms);
  });
}

/** What playground.py calls (see its docstring). */
function api() {
  const engine = () => {
    const bridge = window.playground?.engine;
    if (!bridge) throw new Error("the page's engine is not ready");
    return bridge;
  };
  return {
    connect: () => engine().connect(),
    serve: (client, cmds) => engine().serve(client, cmds),
    close: (client) => engine().disconnect(client),
    sleep: (ms) => engine().jump(Math.round(ms)),
    wait: (ms) => new Promise((ok) => setTimeout(ok, ms)),
    // A real server through the proxy (the page's backend switch): its WebSocket URL, or null.
    remote: () => window.playground?.remote ?? null,
    ws_open: openSocket,
    ws_send: (id, bytes) => sockets.get(id)?.ws.send(bytes),
    ws_recv: receive,
    ws_close: (id) => {
      sockets.get(id)?.ws.close();
      sockets.delete(id);
    },
    // A macrotask: the page's timers (the clock's tick, which redraws the key browser) run.
    pause: () => new Promise((ok) => setTimeout(ok, 0)),
    stopped: () => stopRequested,
    // The page's MiniLM, in the labs' lazily loaded module (the table loads on first use):
    // the embedding's little-endian float32 bytes.
    embed: async (text) => new Uint8Array((await (await labs()).embed_minilm(text)).buffer),
    // With the proxy chosen: its real model (POST /api/embeddings, the key stays in the proxy),
    // the little-endian float32 bytes; null when the proxy has no model configured (404).
    embed_proxy: async (text) => {
      const url = embeddingsUrl(window.playground?.remote);
      if (!url) return null;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: [text] }),
      });
      if (response.status === 404) return null;
      const reply = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(`the proxy's embeddings answered ${response.status}: ${reply.error ?? ''}`);
      return new Uint8Array(Float32Array.from(reply.data[0].embedding).buffer);
    },
  };
}

/** Ask the running code to stop at its next Redis call or sleep. */
export function stop() {
  stopRequested = true;
}

/**
 * Run `source` in `namespace` (a Python dict from `newNamespace`, or a fresh one), its output to
 * `write` as it comes. Resolves to { output, error } (error: the traceback text, or null).
 */
export async function runCell(source, { namespace, write } = {}) {
  const { pyodide, glue } = await python();
  const ns = namespace ?? pyodide.globals.get('dict')();
  let output = '';
  const sink = (text) => {
    output += text;
    write?.(text);
  };
  stopRequested = false;
  try {
    const run = glue.run;
    const error = run.callPromising ? await run.callPromising(source, ns, sink) : run(source, ns, sink);
    return { output, error: error ?? null };
  } finally {
    if (!namespace) ns.destroy();
  }
}

let consoleNamespace;

/**
 * The console's Python mode: one line (or a pasted block) in a namespace kept for the page's
 * life, an expression's value printed as the Python prompt prints it. Resolves to
 * { output, error } like runCell.
 */
export async function runConsole(source) {
  const { pyodide, glue } = await python();
  consoleNamespace ??= pyodide.globals.get('dict')();
  // One line is an interactive statement; a pasted block runs as a script.
  const mode = source.includes('\n') ? 'exec' : 'single';
  let output = '';
  stopRequested = false;
  const run = glue.run;
  const sink = (text) => { output += text; };
  const error = run.callPromising
    ? await run.callPromising(source, consoleNamespace, sink, mode)
    : run(source, consoleNamespace, sink, mode);
  return { output, error: error ?? null };
}

/** A namespace kept across a notebook's cells. */
export async function newNamespace() {
  const { pyodide } = await python();
  return pyodide.globals.get('dict')();
}

/** window.playground.runPython: what `source` printed, or a rejection with its traceback. */
export async function runPython(source) {
  const { output, error } = await runCell(source);
  if (error) throw new Error(output + error);
  return output;
}
