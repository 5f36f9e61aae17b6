import type { Role } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';

/**
 * The roles each of some active users holds on a scope path (granted on it or above), in one statement: what
 * segregation of duties checks when someone is made sponsor, controller or review chair.
 */
export async function rolesOnPathOf(manager: EntityManager, userIds: readonly string[], path: readonly string[]): Promise<Map<string, Set<Role>>> {
  const result = new Map(userIds.map((id) => [id, new Set<Role>()]));
  if (userIds.length === 0) return result;
  const rows: { user_id: string; role: Role }[] = await manager.query(
    `SELECT DISTINCT g.user_id, g.role FROM role_grant g JOIN app_user u ON u.id = g.user_id AND u.active
      WHERE g.user_id = ANY(CAST($1 AS uuid[])) AND g.scope_id = ANY(CAST($2 AS uuid[]))`,
    [[...userIds], [...path]],
  );
  for (const r of rows) result.get(r.user_id)?.add(r.role);
  return result;
}
