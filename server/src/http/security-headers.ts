import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of the web app. Scripts only from our own origin (the Vite build emits no inline
 * script: `security-headers.test.ts` checks the built index.html), no plugins, no framing, forms and base URL
 * pinned to our origin. `style-src` allows 'unsafe-inline' because Vue's `:style` bindings and chart.js write
 * element styles; CSS cannot run script, and with `connect-src`/`img-src` limited to 'self' an injected style has
 * nowhere to send what it could read.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  // 'self' covers ws:// and wss:// of our own host in CSP Level 3 browsers: the graphql-ws connection.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response; the review pack sets its own, stricter CSP. */
export const securityHeaders = (production: boolean): RequestHandler => (_req, res, next) => {
  // Behind TLS in production: browsers that saw HTTPS once never downgrade (ignored over plain HTTP).
  if (production) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  next();
};
