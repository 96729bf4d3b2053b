// The Python tab: notebook cells (cells.js) run by the page's Python (python.js), each cell's
// output under it as Python prints it. Mounted by the page's PythonTab into its section.

import { CELLS } from './cells.js';

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

let namespace; // the cells' shared globals, kept while the page lives
let running = false;

export async function mount(host) {
  host.replaceChildren();
  const status = el('p', { className: 'py-status', role: 'status' });
  host.append(
    el('h2', {}, 'Python with redis-py'),
    el(
      'p',
      { className: 'py-note' },
      "This is real Python (Pyodide) with the real redis-py. Every redis.Redis(...), redis.from_url(...), " +
        "StrictRedis and connection pool here connects to the page's current backend, whatever host, port, " +
        'ssl or password the code names, so the course code runs as written. ' +
        (window.playground?.remote
          ? `Now: the real server behind the proxy at ${window.playground.remote}.`
          : "Now: the engine in this page (time.sleep moves its virtual clock)."),
    ),
    status,
  );
  const cells = CELLS.map((cell, i) => cellView(cell, i));
  // A last, empty cell for the learner's own code (the course's exercises, pasted as written).
  const scratch = cellView(
    {
      title: 'Your own code',
      text: 'Paste an exercise or write your own: r and the imports above are here. Shift+Enter runs a cell.',
      code: '',
    },
    CELLS.length,
  );
  scratch.node.querySelector('textarea').rows = 8;
  const runAll = el('button', { className: 'py-run-all', type: 'button' }, 'Run all');
  runAll.onclick = async () => {
    for (const c of cells) if (!(await c.run())) break;
  };
  host.append(runAll, ...cells.map((c) => c.node), scratch.node);
  await loadPython(status);
}

async function loadPython(status) {
  status.textContent = 'Loading Python (Pyodide, about 6 MB compressed) and redis-py…';
  try {
    const { python, newNamespace } = await import('./python.js');
    const { loadMs, jspi } = await python();
    namespace ??= await newNamespace();
    status.textContent =
      `Python and redis-py ready (loaded in ${(loadMs / 1000).toFixed(1)} s).` +
      (jspi ? '' : ' This browser cannot pause Python: the key browser updates after each cell.');
    status.dataset.ready = 'true';
  } catch (error) {
    status.textContent = `Python could not be loaded: ${error.message}`;
    status.classList.add('error-text');
  }
}

function cellView(cell, index) {
  const code = el('textarea', {
    className: 'py-code',
    spellcheck: false,
    rows: cell.code.split('\n').length,
    value: cell.code,
  });
  code.setAttribute('aria-label', `Python code: ${cell.title}`);
  const output = el('pre', { className: 'py-out' });
  const run = el('button', { className: 'py-run', type: 'button' }, 'Run');
  const stopButton = el('button', { className: 'py-stop', type: 'button', disabled: true }, 'Stop');
  const node = el(
    'div',
    { className: 'py-cell' },
    el('h3', {}, `${index + 1}. ${cell.title}`),
    el('p', {}, cell.text),
    code,
    el('div', { className: 'py-buttons' }, run, stopButton),
    output,
  );
  node.dataset.cell = String(index);
  // Resolves to whether the cell ran without an exception.
  const go = async () => {
    if (running) return false;
    running = true;
    run.disabled = true;
    stopButton.disabled = false;
    output.textContent = '';
    output.classList.remove('error-text');
    node.dataset.state = 'running';
    try {
      const { python, runCell, newNamespace } = await import('./python.js');
      await python();
      namespace ??= await newNamespace();
      const { error } = await runCell(code.value, {
        namespace,
        write: (text) => output.append(text),
      });
      if (error) {
        output.append(el('span', { className: 'error-text' }, error));
      }
      node.dataset.state = error ? 'error' : 'done';
      return !error;
    } catch (error) {
      output.append(el('span', { className: 'error-text' }, String(error.message ?? error)));
      node.dataset.state = 'error';
      return false;
    } finally {
      running = false;
      run.disabled = false;
      stopButton.disabled = true;
    }
  };
  run.onclick = go;
  stopButton.onclick = async () => (await import('./python.js')).stop();
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.shiftKey || e.ctrlKey)) {
      e.preventDefault();
      go();
    }
  });
  return { node, run: go };
}
