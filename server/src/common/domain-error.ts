import { ErrorCode } from '@gatehouse/shared';

/**
 * The one error type services throw. `formatError` turns it into a GraphQL error whose `extensions.code` is
 * the code; anything else is masked as INTERNAL_SERVER_ERROR.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this here') => new DomainError(ErrorCode.FORBIDDEN, message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.CONFLICT, message, details);
export const unauthenticated = () => new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');

/** PostgreSQL's unique_violation, from TypeORM's wrapper (repository calls) or the driver (raw queries). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  return (err.driverError?.code ?? err.code) === '23505';
}
