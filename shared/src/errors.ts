/**
 * The machine-readable error codes of the API (`extensions.code`). Servers throw them, the web app branches on
 * them; nobody matches on messages.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  GATE_CRITERIA_UNMET = 'GATE_CRITERIA_UNMET',
  RATE_LIMITED = 'RATE_LIMITED',
  /** A transient fault (database connection lost, serialisation failure): the same call may be retried. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}
