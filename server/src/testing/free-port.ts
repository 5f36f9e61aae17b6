import net from 'node:net';

/**
 * A port free on `host` now (asked of the system, then released): for a server whose own address must be known
 * before it starts, such as an application registered at an OpenID Connect provider by its callback URL.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
