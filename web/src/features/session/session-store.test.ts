import { describe, expect, it } from 'vitest';
import { fakeClient } from '../../testing/fake-graphql';
import { createSessionStore } from './session-store';
import { safeRedirect, signInMessage } from './sign-in-messages';

const org = { __typename: 'Organisation', id: 'org', name: 'Northwind', currency: 'EUR', potentialGreenPercent: 95, potentialAmberPercent: 80 };
const me = { __typename: 'User', id: 'u1', name: 'Olivia Owner', email: 'owner@x', roles: [{ __typename: 'RoleGrant', id: 'g', role: 'OWNER', scopeKind: 'ORGANISATION', scopeId: 'org' }] };

describe('the session store', () => {
  it('is signed out when the server answers UNAUTHENTICATED, and signs in with the cookie session', async () => {
    let signedIn = false;
    let kept = true;
    const { client } = fakeClient(({ operationName, variables }) => {
      if (operationName === 'SignIn') {
        if (variables.password !== 'right') return { errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] };
        signedIn = kept;
        return { data: { login: { __typename: 'AuthPayload', expiresAt: '2030-01-01T00:00:00Z', sessionCookieKept: kept, user: { __typename: 'User', id: 'u1' } } } };
      }
      if (operationName === 'CurrentSession') {
        return signedIn ? { data: { me, organisation: org } } : { errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] };
      }
      return { data: { logout: true } };
    });
    const session = createSessionStore(client);
    expect(await session.ensure()).toBe('signed-out');

    expect(await session.signIn('owner@x', 'wrong')).toBe('UNAUTHENTICATED');
    expect(await session.signIn('owner@x', 'right')).toBeNull();
    expect(session.status.value).toBe('signed-in');
    expect(session.user.value?.roles[0].role).toBe('OWNER');
    expect(session.organisation.value?.currency).toBe('EUR');

    // Right password, but the server set no cookie (plain HTTP from another machine): not "wrong password"
    signedIn = false;
    kept = false;
    expect(await session.signIn('owner@x', 'right')).toBe('INSECURE_TRANSPORT');
    kept = true;
    signedIn = false;
    expect(await session.signIn('owner@x', 'right')).toBeNull();

    await session.signOut();
    expect(session.status.value).toBe('signed-out');
    expect(session.user.value).toBeNull();
  });

  it('tells a network failure apart from being signed out', async () => {
    const { client } = fakeClient(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await createSessionStore(client).ensure()).toBe('error');
  });
});

describe('sign-in messages and redirects', () => {
  it('chooses the message by code', () => {
    expect(signInMessage('UNAUTHENTICATED' as never)).toMatch(/not correct/);
    expect(signInMessage('NETWORK')).toMatch(/cannot be reached/);
  });

  it('asks for https:// when the server could not keep the session over plain HTTP', () => {
    expect(signInMessage('INSECURE_TRANSPORT', { protocol: 'http:', host: '10.0.0.5:4000', pathname: '/sign-in' })).toBe(
      'This address uses plain HTTP, so the browser will not keep your session. Use https://10.0.0.5:4000/sign-in instead.',
    );
    // A page that is https: but was seen as plain HTTP: the proxy is not trusted, the address is not the problem
    expect(signInMessage('INSECURE_TRANSPORT', { protocol: 'https:', host: 'gatehouse.example', pathname: '/sign-in' })).toMatch(/TRUST_PROXY_HOPS/);
  });

  it('only redirects within the app', () => {
    expect(safeRedirect('/measures/m1?scope=x')).toBe('/measures/m1?scope=x');
    expect(safeRedirect('//evil.example/x')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect('/sign-in?redirect=/x')).toBe('/');
    expect(safeRedirect(undefined)).toBe('/');
  });
});
