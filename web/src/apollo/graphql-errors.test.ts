import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { describeError, errorCode, errorExtensions, errorField } from './graphql-errors';

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
});
