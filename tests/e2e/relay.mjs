// A minimal WebSocket server (RFC 6455 handshake and framing by hand: Node 20 has no
// WebSocket server) that relays each connection's binary messages to a TCP port and back, the
// way `playground-proxy serve` bridges the page to Redis, minus its policy and TLS.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';

/** One WebSocket frame (server side: never masked). */
function wsFrame(opcode, payload) {
  const len = payload.length;
  let head;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) { head = Buffer.alloc(4); head[0] = 0x80 | opcode; head[1] = 126; head.writeUInt16BE(len, 2); }
  else { head = Buffer.alloc(10); head[0] = 0x80 | opcode; head[1] = 127; head.writeBigUInt64BE(BigInt(len), 2); }
  return Buffer.concat([head, payload]);
}

/** A minimal WebSocket server at /ws relaying binary messages to a TCP port and back. */
export async function startRelay(targetPort) {
  const http = createServer((req, res) => res.writeHead(404).end());
  const sockets = new Set();
  http.on('upgrade', (req, socket) => {
    if (!req.url.startsWith('/ws')) return socket.destroy();
    const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    const upstream = connect(targetPort, '127.0.0.1');
    // Redis's replies go back as binary messages, cut wherever TCP cut them (the page reassembles).
    upstream.on('data', (data) => socket.write(wsFrame(2, data)));
    upstream.on('close', () => socket.end(wsFrame(8, Buffer.from([0x03, 0xe8]))));
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (buf.length < 2) return;
        const opcode = buf[0] & 0x0f;
        let len = buf[1] & 0x7f;
        let at = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; }
        else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }
        const masked = (buf[1] & 0x80) !== 0;
        const need = at + (masked ? 4 : 0) + len;
        if (buf.length < need) return;
        const mask = masked ? buf.subarray(at, at + 4) : null;
        const payload = Buffer.from(buf.subarray(at + (masked ? 4 : 0), need));
        if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
        buf = buf.subarray(need);
        if (opcode === 8) { upstream.end(); socket.end(wsFrame(8, Buffer.from([0x03, 0xe8]))); return; }
        if (opcode === 9) { socket.write(wsFrame(10, payload)); continue; }
        if (opcode === 1 || opcode === 2 || opcode === 0) upstream.write(payload);
      }
    });
    socket.on('close', () => { sockets.delete(socket); upstream.destroy(); });
    socket.on('error', () => upstream.destroy());
  });
  await new Promise((ok) => http.listen(0, '127.0.0.1', ok));
  return {
    url: `ws://127.0.0.1:${http.address().port}/ws`,
    close: () => { for (const s of sockets) s.destroy(); return new Promise((ok) => http.close(ok)); },
  };
}

