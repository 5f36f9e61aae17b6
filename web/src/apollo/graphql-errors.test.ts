import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@gatehouse/shared';
import { describeError, errorCode, errorExtensions, errorField, errorReason } from './graphql-errors';

const graphQLError = (code: string, extensions: Record<string, unknown> = {}) =>
  new CombinedGraphQLErrors({ data: null, errors: [{ message: 'anything at all', extensions: { code, ...extensions } }] });

describe('error codes', () => {
  it('branches on extensions.code, never the message', () => {
    expect(errorCode(graphQLError('CONFLICT'))).toBe('CONFLICT');
    expect(errorCode(graphQLError('SOMETHING_NEW'))).toBe('INTERNAL_SERVER_ERROR');
    expect(errorCode(new TypeError('Failed to fetch'))).toBe('NETWORK');
    expect(errorCode(null)).toBeNull();
  });

  it('reads a code from a non-200 GraphQL answer, else classifies by status', () => {
    const response = new Response('', { status: 400 });
    const withBody = new ServerError('bad', { response, bodyText: JSON.stringify({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] }) });
    expect(errorCode(withBody)).toBe('BAD_USER_INPUT');
    const gateway = new ServerError('down', { response: new Response('', { status: 502 }), bodyText: '<html>' });
    expect(errorCode(gateway)).toBe('SERVICE_UNAVAILABLE');
  });

  it('exposes CONFLICT’s current version and BAD_USER_INPUT’s field', () => {
    expect(errorExtensions(graphQLError('CONFLICT', { currentVersion: 7 }), 'CONFLICT' as never)).toMatchObject({ currentVersion: 7 });
    expect(errorField(graphQLError('BAD_USER_INPUT', { field: 'title' }))).toBe('title');
  });

  it('describes errors for people by code', () => {
    expect(describeError(graphQLError('FORBIDDEN'))).toMatch(/roles/);
    expect(describeError(new TypeError('x'))).toMatch(/cannot be reached/);
  });

  const GENERIC = 'Something went wrong on our side. Please try again.';

  it('gives every code of the shared error list its own sentence; only an unknown answer reads as our fault', () => {
    const sentences = new Map<string, string>();
    for (const code of Object.values(ErrorCode)) {
      const sentence = describeError(new CombinedGraphQLErrors({ data: null, errors: [{ message: '', extensions: { code } }] }));
      expect(sentence, code).not.toBe('');
      if (code === ErrorCode.INTERNAL_SERVER_ERROR) expect(sentence).toBe(GENERIC);
      else expect(sentence, code).not.toBe(GENERIC);
      sentences.set(code, sentence);
    }
    expect(new Set(sentences.values()).size, 'two codes share a sentence').toBe(sentences.size);
    expect(describeError(graphQLError('SOMETHING_NEW'))).toBe(GENERIC);
    expect(describeError(new Error('not a GraphQL answer'))).not.toBe(GENERIC);
  });

  it('shows the server’s reason for a domain refusal, and never the message of a masked or transient error', () => {
    const refusal = new CombinedGraphQLErrors({
      data: null,
      errors: [{ message: 'Closure needs: Actuals recorded (0 months with actual values (needs 1))', extensions: { code: 'GATE_CRITERIA_UNMET', unmet: [] } }],
    });
    expect(describeError(refusal)).toBe('Criteria for this step are not met. Closure needs: Actuals recorded (0 months with actual values (needs 1)).');
    const owner = new CombinedGraphQLErrors({ data: null, errors: [{ message: 'A controller may never sign off a measure they own', extensions: { code: 'FORBIDDEN' } }] });
    expect(describeError(owner)).toBe('Your roles do not allow this here. A controller may never sign off a measure they own.');
    const internal = new CombinedGraphQLErrors({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(errorReason(internal)).toBeNull();
    expect(describeError(internal)).toBe(GENERIC);
    const busy = new CombinedGraphQLErrors({ data: null, errors: [{ message: 'The database is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    expect(describeError(busy)).not.toMatch(/database/);
  });
});
