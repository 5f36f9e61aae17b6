import { ErrorCode } from '@gatehouse/shared';
import type { Request } from 'express';
import { sessionToken } from '../http/session-cookie.js';
import { mayChangeAnything, type Actor } from './access/index.js';
import type { Services } from './context.js';

/** Why an upload request is refused before its body is read: its status, code and message. */
export interface UploadRefusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/**
 * The signed-in person of an import upload (tickets, measures), or why not: the X-Gatehouse-Import: 1 header
 * (a cross-site form cannot send it), a session or API token, and not a read-only token.
 */
export async function uploader(req: Request, services: Services): Promise<Actor | UploadRefusal> {
  if (req.get('x-gatehouse-import') !== '1') return { status: 400, code: ErrorCode.BAD_USER_INPUT, message: 'Send the X-Gatehouse-Import: 1 header' };
  const actor = await services.auth.authenticate(sessionToken(req.headers));
  if (!actor) return { status: 401, code: ErrorCode.UNAUTHENTICATED, message: 'Sign in first' };
  if (!mayChangeAnything(actor)) return { status: 403, code: ErrorCode.FORBIDDEN, message: 'This API token is read-only' };
  return actor;
}

