"""The page's side of redis-py: every connection talks to the page's engine.

redis-py reads and writes through a socket (``sendall``, ``recv``, ``settimeout``). Here each
connection's "socket" is a client of the page's engine: whole RESP commands go to it through the
page's bridge (the engine's own RESP codec decodes them and encodes the replies, RESP2 or RESP3 as
the connection speaks), and the reply bytes come back for redis-py's own parser. So whatever host,
port, ``ssl`` or password the code names, ``redis.Redis(...)``, ``redis.from_url(...)``,
``redis.StrictRedis(...)`` and every connection pool reach the page's engine.

When the page's backend is a real server (the proxy), each connection is a WebSocket of its own
to the proxy instead, read with the browser's event loop running (JSPI's ``run_sync``).

``_playground`` is the JavaScript module python.js registers (see its ``api()``).
"""

import socket
import struct
import sys
import time
import traceback
import types

import _playground
import redis
import redis.connection as rc
from pyodide.ffi import to_js

try:
    from pyodide.ffi import can_run_sync, run_sync
except ImportError:  # an older Pyodide: no stack switching, the page draws after the cell

    def can_run_sync():
        return False

    run_sync = None


def _whole_commands(buf):
    """How many bytes at the start of ``buf`` are whole RESP commands (arrays of bulk strings,
    as redis-py sends them; it may send a large value in pieces)."""
    end, i, n = 0, 0, len(buf)
    while i < n:
        line = buf.find(b"\r\n", i)
        if buf[i : i + 1] != b"*" or line < 0:
            return end
        count, i = int(buf[i + 1 : line]), line + 2
        for _ in range(count):
            line = buf.find(b"\r\n", i)
            if line < 0:
                return end
            i = line + 2 + int(buf[i + 1 : line]) + 2
            if i > n:
                return end
        end = i
    return end


_last_pause = [time.monotonic()]


def pause():
    """Let the page draw (the key browser, the server panel) every few tens of milliseconds, when
    the browser can suspend Python (JSPI); stop here when the Stop button was pressed."""
    if _playground.stopped():
        raise KeyboardInterrupt("stopped from the page")
    if time.monotonic() - _last_pause[0] > 0.03 and can_run_sync():
        run_sync(_playground.pause())
        _last_pause[0] = time.monotonic()
        if _playground.stopped():
            raise KeyboardInterrupt("stopped from the page")


class PageSocket:
    """A connection to the page's engine, with the socket methods redis-py calls."""

    def __init__(self):
        self.client = int(_playground.connect())
        self.unsent = b""
        self.replies = bytearray()
        self.timeout = None

    def sendall(self, data):
        self.unsent += bytes(data)
        whole = _whole_commands(self.unsent)
        if whole:
            cmds, self.unsent = self.unsent[:whole], self.unsent[whole:]
            pause()
            self.replies += _playground.serve(self.client, to_js(cmds)).to_bytes()

    def send(self, data):
        self.sendall(data)
        return len(data)

    def recv(self, size):
        waited = 0.0
        while not self.replies:
            # A blocked command's reply or a pub/sub message, if one came meanwhile.
            self.replies += _playground.serve(self.client, to_js(b"")).to_bytes()
            if self.replies:
                break
            if self.timeout == 0 or (self.timeout is not None and waited >= self.timeout) or not can_run_sync():
                raise socket.timeout("timed out")
            # Wait with the page running (its clock and its other clients move on); Stop ends it.
            run_sync(_playground.wait(50))
            waited += 0.05
            if _playground.stopped():
                raise KeyboardInterrupt("stopped from the page")
        out = bytes(self.replies[:size])
        del self.replies[:size]
        return out

    def recv_into(self, buf, nbytes=0):
        data = self.recv(nbytes or len(buf))
        buf[: len(data)] = data
        return len(data)

    def settimeout(self, timeout):
        self.timeout = timeout

    def gettimeout(self):
        return self.timeout

    def setsockopt(self, *args):
        pass

    def setblocking(self, flag):
        pass

    def fileno(self):
        return -1

    def getpeername(self):
        return ("page", 0)

    def shutdown(self, how):
        pass

    def close(self):
        if self.client:
            _playground.close(self.client)
            self.client = 0


class ProxySocket:
    """A connection to the real server behind the page's proxy: a WebSocket of its own carrying
    RESP, read with the browser's event loop running (JSPI), so blocking commands and pub/sub
    wait as they would on a TCP socket (and stop with the Stop button)."""

    def __init__(self, url):
        if not can_run_sync():
            raise redis.ConnectionError("Python needs a browser that can pause it (JSPI) to reach the proxy")
        self.id = run_sync(_playground.ws_open(url))
        self.received = bytearray()
        self.timeout = None

    def sendall(self, data):
        pause()
        _playground.ws_send(self.id, to_js(bytes(data)))

    def send(self, data):
        self.sendall(data)
        return len(data)

    def recv(self, size):
        waited = 0.0
        while not self.received:
            step = 0.1 if self.timeout is None else min(0.1, max(self.timeout - waited, 0))
            chunk = run_sync(_playground.ws_recv(self.id, step * 1000))
            if _playground.stopped():
                raise KeyboardInterrupt("stopped from the page")
            if chunk == "closed":
                return b""
            if chunk != "timeout":
                self.received += chunk.to_bytes()
                break
            waited += step
            if self.timeout is not None and waited >= self.timeout:
                raise socket.timeout("timed out")
        out = bytes(self.received[:size])
        del self.received[:size]
        return out

    recv_into = PageSocket.recv_into
    settimeout = PageSocket.settimeout
    gettimeout = PageSocket.gettimeout
    setsockopt = setblocking = shutdown = PageSocket.setsockopt
    fileno = PageSocket.fileno
    getpeername = PageSocket.getpeername

    def close(self):
        if self.id:
            _playground.ws_close(self.id)
            self.id = 0


def _connect(self):
    # The course's password is for its Azure cache: the page's engine has none to check (the
    # AUTH would fail with "called without any password configured"), so the connection
    # authenticates as nobody, the way it ignores the host and the port.
    self.username = self.password = self.credential_provider = None
    url = _playground.remote()
    return ProxySocket(url) if url else PageSocket()


def _ssl_init(self, **kwargs):
    # TLS is the page's business no more than the network is: the ssl_* options are accepted
    # (the course's Azure code passes them) and the connection is the page's, as for the rest.
    rc.Connection.__init__(self, **{k: v for k, v in kwargs.items() if not k.startswith("ssl_")})


rc.Connection._connect = _connect
rc.UnixDomainSocketConnection._connect = _connect
rc.SSLConnection.__init__ = _ssl_init
rc.SSLConnection._connect = _connect


def _sleep(seconds):
    """time.sleep moves the engine's virtual clock forward (keys expire as they would have)
    instead of freezing the page."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if _playground.remote():
        # A real server's clock is real: wait (the page keeps running; Stop ends the wait).
        if not can_run_sync():
            return _real_sleep(seconds)
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            run_sync(_playground.wait(min(left, 0.1) * 1000))
            if _playground.stopped():
                raise KeyboardInterrupt("stopped from the page")
        return None
    _playground.sleep(seconds * 1000)
    _last_pause[0] = 0
    pause()


_real_sleep, time.sleep = time.sleep, _sleep


def embed(text):
    """The embedding of ``text``: a list of floats. With the page's engine, the page's MiniLM (the
    semantic lab's model, 128 of them; text-embedding-3-small gives 1536, the code around it is
    the same); with a real server chosen, the proxy's model when it has one configured."""
    if not can_run_sync():
        raise RuntimeError("embed() needs a browser that can pause Python (JSPI: Chrome 137 or later)")
    blob = run_sync(_playground.embed_proxy(str(text))) if _playground.remote() else None
    if blob is None:
        blob = run_sync(_playground.embed(str(text)))
    blob = blob.to_bytes()
    return list(struct.unpack(f"{len(blob) // 4}f", blob))


class _Record(types.SimpleNamespace):
    pass


class _Embeddings:
    def create(self, input, model="text-embedding-3-small", **kwargs):
        texts = [input] if isinstance(input, str) else list(input)
        data = [_Record(object="embedding", index=i, embedding=embed(t)) for i, t in enumerate(texts)]
        tokens = sum(len(t.split()) for t in texts)
        return _Record(
            object="list", data=data, model=model, usage=_Record(prompt_tokens=tokens, total_tokens=tokens)
        )


class OpenAI:
    """An OpenAI-like client whose ``embeddings.create(input=..., model=...)`` answers with
    ``embed`` (the page's MiniLM or the proxy's model, whatever model, endpoint or key is named),
    so the course's code runs as written. ``import openai`` gives this, as ``OpenAI`` and
    ``AzureOpenAI``."""

    def __init__(self, *args, **kwargs):
        self.embeddings = _Embeddings()


_openai = types.ModuleType("openai", "The page's stand-in for the OpenAI client (embeddings only).")
_openai.OpenAI = _openai.AzureOpenAI = OpenAI
sys.modules.setdefault("openai", _openai)


class _Output:
    """sys.stdout and sys.stderr for a run: the page's callback gets each piece of text."""

    def __init__(self, write):
        self._write = write

    def write(self, text):
        self._write(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def run(source, namespace, write, mode="exec"):
    """Run ``source`` in ``namespace`` (a dict, kept across a notebook's cells), its output to
    ``write``. Returns the traceback as Python prints it (without this function's frame), or
    None. ``mode="single"`` runs one interactive statement as the Python prompt does: the value
    of an expression is printed (the console's Python mode)."""
    out = _Output(write)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = out
    _last_pause[0] = time.monotonic()
    try:
        namespace.setdefault("__name__", "__main__")
        namespace.setdefault("embed", embed)
        namespace.setdefault("client", OpenAI())
        exec(compile(source, "<stdin>" if mode == "single" else "<cell>", mode), namespace)
        return None
    except BaseException as error:  # noqa: B036: the learner's KeyboardInterrupt shows too
        return "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
    finally:
        sys.stdout, sys.stderr = saved
