import { describe, expect, it } from 'vitest';
import { mayLinkTo, ticketPermissions } from './ticket-permissions';

const ORG = 'org-1';
const user = (id: string, ...grants: [role: string, scopeId: string][]) => ({
  id,
  roles: grants.map(([role, scopeId], i) => ({ id: `g${i}`, role: role as never, scopeKind: (scopeId === ORG ? 'ORGANISATION' : 'ORG_UNIT') as never, scopeId })),
});

describe('what the tickets pages offer whom', () => {
  it('offers import and settings to admins of the organisation only', () => {
    expect(ticketPermissions(user('a', ['ADMIN', ORG]), ORG)).toMatchObject({ import: { allowed: true }, configure: { allowed: true } });
    // An admin of one org unit does not administer the organisation's tickets.
    const unitAdmin = ticketPermissions(user('u', ['ADMIN', 'unit-1']), ORG);
    expect(unitAdmin.import.allowed).toBe(false);
    expect(unitAdmin.import.reason).toMatch(/admins of the organisation/);
    expect(ticketPermissions(user('s', ['STEERING_COMMITTEE', ORG]), ORG).configure.allowed).toBe(false);
  });

  it('offers a link where the server says the person may link, and says why not elsewhere', () => {
    const owner = user('olivia', ['OWNER', ORG]);
    expect(mayLinkTo(owner, { viewerCan: { linkTicketGroup: true } }).allowed).toBe(true);
    expect(mayLinkTo(owner, { viewerCan: { linkTicketGroup: false } })).toEqual({ allowed: false, reason: expect.stringMatching(/owner, the steering committee or an admin/) });
    expect(mayLinkTo(null, { viewerCan: { linkTicketGroup: true } }).allowed).toBe(false);
  });
});
