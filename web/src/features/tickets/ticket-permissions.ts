import { isAllowed, type Role, type RoleGrantFact } from '@gatehouse/shared';
import type { SessionUser } from '../session/session-store';
import type { Permission } from '../session/measure-permissions';

/**
 * What the tickets pages offer whom. The server decides every action; this keeps the pages from offering what
 * would be refused. Import and settings are organisation-wide, so the shared access policy answers them
 * exactly. Linking and creating measures from a group are the server's verdicts, read from the group
 * (`TicketGroup.viewerCan`) and, for a given measure, from the measure (`viewerCan.linkTicketGroup`).
 */
export interface TicketPermissions {
  import: Permission;
  configure: Permission;
}

type User = Pick<SessionUser, 'id' | 'roles'>;

const grantsOf = (user: User | null): RoleGrantFact[] => (user?.roles ?? []).map((r) => ({ role: r.role as Role, scopeId: r.scopeId }));
const p = (allowed: boolean, reason: string): Permission => (allowed ? { allowed: true, reason: '' } : { allowed: false, reason });

export function ticketPermissions(user: User | null, organisationId: string | null): TicketPermissions {
  const actor = { userId: user?.id ?? '', grants: grantsOf(user) };
  const org = { path: organisationId ? [organisationId] : [] };
  return {
    import: p(Boolean(user && organisationId) && isAllowed('tickets.import', actor, org), 'Only admins of the organisation import tickets.'),
    configure: p(Boolean(user && organisationId) && isAllowed('tickets.configure', actor, org), 'Only admins of the organisation change the ticket settings and SLA policies.'),
  };
}

export interface LinkCandidate {
  viewerCan: { linkTicketGroup: boolean };
}

/** Whether the person may link a group to (or unlink it from) this measure: the server's answer, with a reason. */
export function mayLinkTo(user: User | null, measure: LinkCandidate): Permission {
  if (!user) return p(false, 'Sign in first.');
  if (measure.viewerCan.linkTicketGroup) return p(true, '');
  return p(false, 'Only its owner, the steering committee or an admin in its part of the organisation links groups to this measure.');
}
