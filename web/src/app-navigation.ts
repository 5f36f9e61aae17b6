import type { SessionUser } from './features/session/session-store';

/**
 * The primary navigation, in the order a person works through it. Entries may show only for some roles: the
 * page itself still answers (the server decides), the menu just does not offer what would stay empty.
 */
export interface NavItem {
  name: string;
  label: string;
  /** Route names that light this entry up too. */
  also?: string[];
  /** Shown only to people holding one of these roles somewhere. */
  roles?: string[];
}

export const NAV_ITEMS: NavItem[] = [
  { name: 'portfolio', label: 'Portfolio' },
  { name: 'measures', label: 'Measures', also: ['measure', 'measure-new', 'measure-import'] },
  { name: 'hierarchy', label: 'Hierarchy' },
  { name: 'gates', label: 'Gate reviews', also: ['gate-review'] },
  { name: 'sign-offs', label: 'Sign-offs', roles: ['CONTROLLER'] },
  // Recurring tickets: groups with trend and SLA breaches, links to measures, import and settings.
  { name: 'tickets', label: 'Tickets', also: ['ticket-group'] },
  { name: 'audit', label: 'Audit log' },
  // The admin area: structure, people, roles, gate templates, settings, where the person is ADMIN.
  { name: 'admin', label: 'Admin', also: ['admin-roles', 'admin-templates', 'admin-settings', 'admin-people'], roles: ['ADMIN'] },
];

/** The entries a person sees. */
export function navItemsFor(user: Pick<SessionUser, 'roles'> | null): NavItem[] {
  const held = new Set<string>((user?.roles ?? []).map((r) => r.role));
  return NAV_ITEMS.filter((item) => !item.roles || item.roles.some((r) => held.has(r)));
}
