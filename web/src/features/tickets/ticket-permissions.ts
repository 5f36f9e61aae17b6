import { isAllowed, Role, type RoleGrantFact } from '@gatehouse/shared';
import type { SessionUser } from '../session/session-store';
import type { Permission } from '../session/measure-permissions';

/**
 * What the tickets pages offer whom. The server decides every action; this keeps the pages from offering what
 * would be refused. Import and settings are organisation-wide, so the shared access policy answers them
 * exactly. Linking depends on the measure's place in the hierarchy and its owner, so for a given measure the
 * page reads the server's answer, `viewerCan.linkTicketGroup`.
 */
export interface TicketPermissions {
  import: Permission;
  configure: Permission;
  /** May link groups to some measures (owners their own). */
  link: Permission;
  /** May create a measure from a group. */
  createMeasure: Permission;
  /** May make someone else the owner of a new measure. */
  assignOwner: boolean;
}

type User = Pick<SessionUser, 'id' | 'roles'>;

const grantsOf = (user: User | null): RoleGrantFact[] => (user?.roles ?? []).map((r) => ({ role: r.role as Role, scopeId: r.scopeId }));
const holds = (user: User | null, roles: Role[]) => (user?.roles ?? []).some((r) => roles.includes(r.role as Role));
const p = (allowed: boolean, reason: string): Permission => (allowed ? { allowed: true, reason: '' } : { allowed: false, reason });

export function ticketPermissions(user: User | null, organisationId: string | null): TicketPermissions {
  const actor = { userId: user?.id ?? '', grants: grantsOf(user) };
  const org = { path: organisationId ? [organisationId] : [] };
  const linkers = [Role.ADMIN, Role.STEERING_COMMITTEE, Role.OWNER];
  return {
    import: p(Boolean(user && organisationId) && isAllowed('tickets.import', actor, org), 'Only admins of the organisation import tickets.'),
    configure: p(Boolean(user && organisationId) && isAllowed('tickets.configure', actor, org), 'Only admins of the organisation change the ticket settings and SLA policies.'),
    link: p(holds(user, linkers), 'Measure owners (for their own measures), the steering committee and admins link groups to measures.'),
    createMeasure: p(holds(user, linkers), 'Owners, the steering committee and admins create measures from groups.'),
    assignOwner: holds(user, [Role.ADMIN, Role.STEERING_COMMITTEE]),
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
