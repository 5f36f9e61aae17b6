import { describe, expect, it } from 'vitest';
import { Role } from '../roles.js';
import { mayAdministerPerson } from './people-policy.js';

const ORG = 'org';
const unitAdmin = { userId: 'a', grants: [{ role: Role.ADMIN, scopeId: 'unitA' }] };

describe('who administers a person', () => {
  it('an admin of the organisation: everyone, people without a role included', () => {
    const orgAdmin = { userId: 'o', grants: [{ role: Role.ADMIN, scopeId: ORG }] };
    expect(mayAdministerPerson('user.invite', orgAdmin, ORG, [])).toBe(true);
    expect(mayAdministerPerson('user.invite', orgAdmin, ORG, [[ORG, 'unitB']])).toBe(true);
  });
  it('an admin of a unit: people whose every role lies within the unit', () => {
    expect(mayAdministerPerson('user.resetPassword', unitAdmin, ORG, [[ORG, 'unitA'], [ORG, 'unitA', 'sub']])).toBe(true);
    expect(mayAdministerPerson('user.resetPassword', unitAdmin, ORG, [[ORG, 'unitA'], [ORG, 'unitB']])).toBe(false);
    expect(mayAdministerPerson('user.resetPassword', unitAdmin, ORG, [[ORG]])).toBe(false);
    expect(mayAdministerPerson('user.resetPassword', unitAdmin, ORG, [])).toBe(false);
  });
  it('another role on the unit administers nobody', () => {
    const steering = { userId: 's', grants: [{ role: Role.STEERING_COMMITTEE, scopeId: 'unitA' }] };
    expect(mayAdministerPerson('user.sessions', steering, ORG, [[ORG, 'unitA']])).toBe(false);
  });
});
