import { isAllowed, type Action, type ActorFacts } from '../access-policy.js';

/**
 * Whether an admin may act on a person (invite, reset link, sessions, deactivation): when the action is allowed on
 * the organisation, or the person holds at least one role and every one of their role scopes lies within a scope
 * where the action is allowed. So an admin of a unit administers the people of that unit, never someone who also
 * holds a role elsewhere, nor someone without any role (only the organisation's admins see those).
 * `personScopePaths`: for each role grant of the person, the scope ids from the organisation down to its scope.
 */
export function mayAdministerPerson(
  action: Action,
  actor: ActorFacts,
  organisationId: string,
  personScopePaths: readonly (readonly string[])[],
): boolean {
  if (isAllowed(action, actor, { path: [organisationId] })) return true;
  return personScopePaths.length > 0 && personScopePaths.every((path) => isAllowed(action, actor, { path }));
}
