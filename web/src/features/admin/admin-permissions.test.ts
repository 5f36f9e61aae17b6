import { describe, expect, it } from 'vitest';
import { adminPermissions } from './admin-permissions';

describe('admin permissions', () => {
  it('open the area to an admin of any scope and the organisation-wide tabs to admins of the organisation', () => {
    const unitAdmin = adminPermissions({ id: 'u', roles: [{ id: 'g', role: 'ADMIN', scopeId: 'unit', scopeKind: 'ORG_UNIT' }] }, 'org');
    expect(unitAdmin.area).toBe(true);
    expect(unitAdmin.settings.allowed).toBe(false);
    expect(unitAdmin.templates.reason).toMatch(/organisation/);
    const orgAdmin = adminPermissions({ id: 'u', roles: [{ id: 'g', role: 'ADMIN', scopeId: 'org', scopeKind: 'ORGANISATION' }] }, 'org');
    expect([orgAdmin.area, orgAdmin.settings.allowed, orgAdmin.templates.allowed]).toEqual([true, true, true]);
    expect(adminPermissions({ id: 'u', roles: [{ id: 'g', role: 'CONTROLLER', scopeId: 'org', scopeKind: 'ORGANISATION' }] }, 'org').area).toBe(false);
    expect(adminPermissions(null, 'org').area).toBe(false);
  });
});
