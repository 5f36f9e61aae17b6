/**
 * Which pages may open a WebSocket to us. Browsers always send Origin on a WebSocket upgrade and cookies ride
 * along, so a page of another site could otherwise subscribe with the visitor's session (cross-site WebSocket
 * hijacking). Allowed: no Origin at all (scripts and servers, which carry a token instead of a cookie), our own
 * origin (the Origin's host equals the Host the request came to), and the configured ALLOWED_ORIGINS.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  return allowed.includes(url.origin);
}
