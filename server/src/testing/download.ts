import type { Server } from 'node:http';
import request from 'supertest';

/** GET a download (a spreadsheet, a file) signed in with `token`, answered as its status and raw bytes. */
export async function downloadBytes(server: Server, path: string, token: string): Promise<{ status: number; body: Buffer }> {
  const res = await request(server)
    .get(path)
    .set('authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return { status: res.status, body: res.body as Buffer };
}
