import http from 'node:http';
import { post } from './http-post.mjs';

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
  const one = async (request) => {
    const { status, ms } = await post(agent, target, request);
    if (status === 200) latencies.push(ms);
    else errors++;
  };
  process.send({ started: true });
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      for (let i = c; !stopping; i++) await one(requests[i % requests.length]);
    }),
  );
  process.send({ latencies, errors });
});
