import { ErrorCode } from '@gatehouse/shared';
import { errorCode, errorExtensions } from '../../apollo/graphql-errors';

export interface StaleEdit {
  /** Which part of the page was being saved. */
  source: 'details' | 'values';
  yourVersion: number;
  /** The server's version when it refused, when it said. */
  currentVersion: number | null;
}

/** A CONFLICT answer to an update that named `yourVersion`: the measure moved on under the person's edit. */
export function staleEditFrom(error: unknown, source: StaleEdit['source'], yourVersion: number): StaleEdit | null {
  if (errorCode(error) !== ErrorCode.CONFLICT) return null;
  const current = errorExtensions(error, ErrorCode.CONFLICT)?.currentVersion;
  return { source, yourVersion, currentVersion: typeof current === 'number' ? current : null };
}
