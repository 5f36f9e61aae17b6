import http from 'node:http';

/**
 * Other users, in a process of their own: `connections` clients each sending its next request when the last one
 * answered, until told to stop; reports every request's latency in milliseconds (and failures).
 */
process.once('message', async ({ url, requests, connections }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies = [];
  let errors = 0;
  let stopping = false;
  process.once('message', () => (stopping = true));
  const one = ({ body, headers }) =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  process.send({ started: true });
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      for (let i = c; !stopping; i++) await one(requests[i % requests.length]);
    }),
  );
  process.send({ latencies, errors });
});
