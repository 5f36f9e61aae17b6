import http from 'node:http';
import { post } from './http-post.mjs';

/** A small closed-loop load generator: `connections` clients, each sending its next request when the last answered. */
process.once('message', async ({ url, body, headers, seconds, connections }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const until = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const one = async () => {
    const { status } = await post(agent, target, { body, headers });
    if (status === 200) done++;
    else errors++;
  };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  process.send({ rps: done / ((Date.now() - started) / 1000), errors });
});
