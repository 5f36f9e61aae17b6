/** Roles are granted on a scope (organisation, org unit, program) and inherited by everything below it. */
export enum Role {
  ADMIN = 'ADMIN',
  STEERING_COMMITTEE = 'STEERING_COMMITTEE',
  CONTROLLER = 'CONTROLLER',
  OWNER = 'OWNER',
  VIEWER = 'VIEWER',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export enum ScopeKind {
  ORGANISATION = 'ORGANISATION',
  ORG_UNIT = 'ORG_UNIT',
  PROGRAM = 'PROGRAM',
  MEASURE_PACKAGE = 'MEASURE_PACKAGE',
}

/** Roles can be granted on these kinds of scope; packages inherit from their program. */
export const GRANTABLE_SCOPE_KINDS: readonly ScopeKind[] = [ScopeKind.ORGANISATION, ScopeKind.ORG_UNIT, ScopeKind.PROGRAM];
