import { isAllowed, mayOnSomeScope, type Role, type RoleGrantFact } from '@gatehouse/shared';
import type { Permission } from '../session/measure-permissions';
import type { SessionUser } from '../session/session-store';

/**
 * What the admin area offers whom, from the shared access policy. The area is for people holding ADMIN on some
 * scope; the settings and the gate template are the organisation's, so only its admins change them. The
 * server decides every change either way.
 */
export interface AdminPermissions {
  area: boolean;
  settings: Permission;
  templates: Permission;
}

type User = Pick<SessionUser, 'id' | 'roles'>;
const p = (allowed: boolean, reason: string): Permission => (allowed ? { allowed: true, reason: '' } : { allowed: false, reason });

export function adminPermissions(user: User | null, organisationId: string | null): AdminPermissions {
  const actor = { userId: user?.id ?? '', grants: (user?.roles ?? []).map((r): RoleGrantFact => ({ role: r.role as Role, scopeId: r.scopeId })) };
  const org = { path: organisationId ? [organisationId] : [] };
  const orgWide = Boolean(user && organisationId);
  return {
    area: Boolean(user) && mayOnSomeScope('orgUnit.update', actor),
    settings: p(orgWide && isAllowed('organisation.update', actor, org), 'Only admins of the organisation change its settings.'),
    templates: p(orgWide && isAllowed('gateTemplate.update', actor, org), 'Only admins of the organisation edit the gate template.'),
  };
}
