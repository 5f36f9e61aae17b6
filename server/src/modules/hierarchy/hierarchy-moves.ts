import type { EntityManager } from 'typeorm';

/**
 * Moves a node of the hierarchy (org unit, program or package) and everything below it: every path array that
 * passes through the node — org units, programs, packages, measures, their gate requests and history, gate
 * reviews held on a scope below it — gets the node's new path in front of what lies below the node, in one
 * statement (data-modifying CTEs). The rollup triggers on `measure` see the one statement's old and new paths and
 * shift the figures from the old ancestors to the new ones.
 */
export async function rewritePaths(manager: EntityManager, nodeId: string, newNodePath: readonly string[]): Promise<void> {
  const tail = (column: string) => `CAST($2 AS uuid[]) || ${column}[array_position(${column}, CAST($1 AS uuid)) + 1:]`;
  const under = (column: string) => `${column} @> ARRAY[CAST($1 AS uuid)]`;
  await manager.query(
    `WITH units AS (UPDATE org_unit SET path = ${tail('path')} WHERE ${under('path')} RETURNING 1),
          programs AS (UPDATE program SET path = ${tail('path')} WHERE ${under('path')} RETURNING 1),
          packages AS (UPDATE measure_package SET path = ${tail('path')} WHERE ${under('path')} RETURNING 1),
          requests AS (UPDATE gate_request SET path = ${tail('path')} WHERE ${under('path')} RETURNING 1),
          reviews AS (UPDATE gate_review SET scope_path = ${tail('scope_path')} WHERE ${under('scope_path')} RETURNING 1),
          history AS (UPDATE measure_history SET path = ${tail('path')} WHERE ${under('path')} RETURNING 1)
     UPDATE measure SET path = ${tail('path')} WHERE ${under('path')}`,
    [nodeId, [...newNodePath]],
  );
}
