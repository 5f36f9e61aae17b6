import { describe, expect, it } from 'vitest';
import { ACCESS_POLICY, isAllowed, mayOnSomeScope, rolesOnPath, type ActorFacts } from './access-policy.js';
import { Role } from './roles.js';

const org = 'org';
const unitA = 'unit-a';
const unitB = 'unit-b';
const pathA = [org, unitA, 'program-a', 'package-a'];
const pathB = [org, unitB, 'program-b', 'package-b'];
const actor = (role: Role, scopeId: string, userId = 'u1'): ActorFacts => ({ userId, grants: [{ role, scopeId }] });

describe('access policy', () => {
  it('inherits a role granted on a scope to everything below it', () => {
    expect(rolesOnPath(actor(Role.ADMIN, unitA), pathA)).toEqual(new Set([Role.ADMIN]));
    expect(rolesOnPath(actor(Role.ADMIN, unitA), pathB)).toEqual(new Set());
  });

  it('lets an admin change structure only in scope', () => {
    expect(isAllowed('program.create', actor(Role.ADMIN, unitA), { path: [org, unitA] })).toBe(true);
    expect(isAllowed('program.create', actor(Role.ADMIN, unitA), { path: [org, unitB] })).toBe(false);
    expect(isAllowed('program.create', actor(Role.OWNER, org), { path: [org, unitA] })).toBe(false);
  });

  it('lets an owner edit only the measures they own', () => {
    const owner = actor(Role.OWNER, org, 'olivia');
    expect(isAllowed('measure.update', owner, { path: pathA, measureOwnerId: 'olivia' })).toBe(true);
    expect(isAllowed('measure.update', owner, { path: pathA, measureOwnerId: 'priya' })).toBe(false);
  });

  it('lets a viewer change nothing', () => {
    const viewer = actor(Role.VIEWER, org);
    const writes = Object.keys(ACCESS_POLICY).filter((a) => !a.endsWith('.read')) as (keyof typeof ACCESS_POLICY)[];
    for (const action of writes) {
      expect(isAllowed(action, viewer, { path: pathA, measureOwnerId: viewer.userId }), action).toBe(false);
    }
    expect(isAllowed('measure.read', viewer, { path: pathA })).toBe(true);
  });

  it('keeps e-mail addresses and the whole audit trail for the organisation level', () => {
    expect(isAllowed('user.readContact', actor(Role.ADMIN, org), { path: [org] })).toBe(true);
    expect(isAllowed('user.readContact', actor(Role.ADMIN, unitA), { path: [org] })).toBe(false);
    expect(isAllowed('user.readContact', actor(Role.CONTROLLER, org), { path: [org] })).toBe(false);
    expect(isAllowed('audit.readAll', actor(Role.CONTROLLER, org), { path: [org] })).toBe(true);
    expect(isAllowed('audit.readAll', actor(Role.CONTROLLER, unitA), { path: [org] })).toBe(false);
    expect(isAllowed('audit.readAll', actor(Role.STEERING_COMMITTEE, org), { path: [org] })).toBe(false);
  });

  it('offers an action whose target comes later to whoever holds one of its roles on any scope', () => {
    // An owner of one unit may link groups to their own measures and create measures there.
    expect(mayOnSomeScope('ticketGroup.link', actor(Role.OWNER, unitA))).toBe(true);
    expect(mayOnSomeScope('measure.create', actor(Role.OWNER, unitB))).toBe(true);
    expect(mayOnSomeScope('measure.assignOwner', actor(Role.OWNER, org))).toBe(false);
    expect(mayOnSomeScope('measure.assignOwner', actor(Role.STEERING_COMMITTEE, unitB))).toBe(true);
    for (const role of [Role.VIEWER, Role.CONTROLLER]) {
      expect(mayOnSomeScope('ticketGroup.link', actor(role, org)), role).toBe(false);
      expect(mayOnSomeScope('measure.create', actor(role, org)), role).toBe(false);
    }
    expect(mayOnSomeScope('ticketGroup.link', { userId: 'nobody', grants: [] })).toBe(false);
  });
});
