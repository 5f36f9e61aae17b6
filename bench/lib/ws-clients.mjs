import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A separate process holding many WebSocket clients: graphql-ws subscribers of a Gatehouse server, or plain
 * ws clients of a bare broadcaster. It reports the delivery latency of each message from the timestamp inside
 * it (same machine, same clock).
 */
process.once('message', async ({ kind, url, count, tokens, query, ms }) => {
  const latencies = [];
  let connected = 0;
  const sockets = [];
  if (kind === 'graphql') {
    for (let i = 0; i < count; i++) {
      const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { token: tokens[i % tokens.length] }, retryAttempts: 0, lazy: false, on: { connected: () => connected++ } });
      client.subscribe({ query }, {
        next: (v) => {
          const at = v.data?.measureChanged?.at;
          if (at) latencies.push(Date.now() - Date.parse(at));
        },
        error: () => {},
        complete: () => {},
      });
      sockets.push(client);
    }
  } else {
    for (let i = 0; i < count; i++) {
      const ws = new WebSocket(url);
      ws.on('open', () => connected++);
      ws.on('message', (data) => latencies.push(Date.now() - JSON.parse(String(data)).at));
      sockets.push(ws);
    }
  }
  const deadline = Date.now() + 60_000;
  while (connected < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  process.send({ ready: connected });
  process.once('message', async () => {
    process.send({ latencies });
    for (const s of sockets) (s.dispose ?? s.terminate).call(s);
    setTimeout(() => process.exit(0), 200);
  });
  void ms;
});
