import { ScopeKind } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import { notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';

export interface ScopeNode {
  id: string;
  kind: ScopeKind;
  organisationId: string;
  name: string;
  /** Scope ids from the organisation down to this node, itself included. */
  path: string[];
}

/** Resolves any id of the hierarchy (organisation, org unit, program, package) to its kind and path. */
export async function findScope(manager: EntityManager, id: string): Promise<ScopeNode | null> {
  const rows: ScopeNode[] = await manager.query(
    `SELECT id, 'ORGANISATION' AS kind, id AS "organisationId", name, ARRAY[id] AS path FROM organisation WHERE id = $1
     UNION ALL SELECT id, 'ORG_UNIT', organisation_id, name, path FROM org_unit WHERE id = $1
     UNION ALL SELECT id, 'PROGRAM', organisation_id, name, path FROM program WHERE id = $1
     UNION ALL SELECT id, 'MEASURE_PACKAGE', organisation_id, name, path FROM measure_package WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Like findScope, for an id the caller named: malformed is bad input, unknown or another tenant's is NOT_FOUND. */
export async function requireScope(
  manager: EntityManager,
  id: string,
  organisationId: string,
  field = 'scopeId',
): Promise<ScopeNode> {
  const scope = await findScope(manager, assertId(id, field));
  if (!scope || scope.organisationId !== organisationId) throw notFound('Scope');
  return scope;
}
