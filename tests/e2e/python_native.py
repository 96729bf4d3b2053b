"""The Python tab's cells run natively with redis-py against a real Redis (the oracle), as
tests/e2e/python.test.mjs compares them with the page's output. Like the page's glue
(static/python/playground.py), every connection goes to one server, whatever host, port, ssl or
password the code names.

Usage: python python_native.py PORT < cells.json   (prints each cell's output after a marker)
"""

import json
import sys
import traceback

import redis
import redis.connection as rc

PORT = int(sys.argv[1])
tcp_connect = rc.Connection._connect


def _connect(self):
    self._host, self.port = "127.0.0.1", PORT
    self.username = self.password = self.credential_provider = None
    return tcp_connect(self)


def _ssl_init(self, **kwargs):
    rc.Connection.__init__(self, **{k: v for k, v in kwargs.items() if not k.startswith("ssl_")})


rc.Connection._connect = _connect
rc.SSLConnection.__init__ = _ssl_init
rc.SSLConnection._connect = _connect

redis.Redis(port=PORT).flushall()
namespace = {"__name__": "__main__"}
for i, source in enumerate(json.load(sys.stdin)):
    print(f"\x00cell {i}", flush=True)
    try:
        exec(compile(source, "<cell>", "exec"), namespace)
    except Exception as error:
        traceback.print_exception(type(error), error, error.__traceback__.tb_next, file=sys.stdout)
