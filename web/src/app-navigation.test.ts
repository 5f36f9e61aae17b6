import { describe, expect, it } from 'vitest';
import { navItemsFor } from './app-navigation';

const user = (...roles: string[]) => ({ roles: roles.map((role, i) => ({ id: `g${i}`, role, scopeKind: 'ORGANISATION', scopeId: 'org' })) }) as never;

describe('the primary navigation', () => {
  it('offers the tickets to everyone signed in, after the sign-off queue, lit on a group’s page too', () => {
    const names = (u: never) => navItemsFor(u).map((i) => i.name);
    expect(names(user('VIEWER'))).toEqual(['portfolio', 'measures', 'hierarchy', 'gates', 'tickets', 'audit']);
    expect(names(user('CONTROLLER'))).toEqual(['portfolio', 'measures', 'hierarchy', 'gates', 'sign-offs', 'tickets', 'audit']);
    expect(navItemsFor(user('OWNER')).find((i) => i.name === 'tickets')?.also).toEqual(['ticket-group']);
  });
});
