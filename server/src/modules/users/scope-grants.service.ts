import { Role, ScopeKind } from '@gatehouse/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { type Actor, authorize, requireScope, ScopeRef } from '../access/index.js';

export enum GrantPlacement {
  /** Granted on a scope above the one asked about: inherited by it. */
  INHERITED = 'INHERITED',
  HERE = 'HERE',
  /** Granted on a scope below the one asked about. */
  BELOW = 'BELOW',
}
registerEnumType(GrantPlacement, { name: 'GrantPlacement', description: 'Where a grant lies relative to the scope asked about.' });

@ObjectType({ description: 'A role grant seen from a scope: on it, inherited from above, or on a scope below.' })
export class ScopeGrant {
  @Field(() => ID)
  id: string;

  userId: string;

  @Field(() => Role)
  role: Role;

  @Field(() => ScopeRef, { description: 'The scope the role is granted on.' })
  scope: ScopeRef;

  @Field(() => GrantPlacement)
  placement: GrantPlacement;

  @Field(() => Int, { description: 'Programs that inherit the grant (those at or below its scope).' })
  programsInheriting: number;
}

/** The role grants around a scope, for the admin area's Roles tab: one statement, whatever their number. */
export class ScopeGrantsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(actor: Actor, scopeId: string): Promise<ScopeGrant[]> {
    const scope = await requireScope(this.dataSource.manager, scopeId, actor.organisation.id);
    authorize(actor, 'role.read', { path: scope.path });
    const rows: { id: string; user_id: string; role: Role; scope_id: string; scope_kind: ScopeKind; scope_name: string; scope_path: string[]; programs: number }[] =
      await this.dataSource.query(
        `SELECT g.id, g.user_id, g.role, g.scope_id, g.scope_kind, coalesce(ou.name, p.name, o.name) AS scope_name,
                coalesce(ou.path, p.path, ARRAY[g.scope_id]) AS scope_path,
                (SELECT count(*) FROM program x WHERE x.path @> ARRAY[g.scope_id])::int AS programs
           FROM role_grant g JOIN app_user u ON u.id = g.user_id AND u.organisation_id = $1
           LEFT JOIN org_unit ou ON ou.id = g.scope_id LEFT JOIN program p ON p.id = g.scope_id LEFT JOIN organisation o ON o.id = g.scope_id
          WHERE g.scope_id = ANY(CAST($2 AS uuid[])) OR coalesce(ou.path, p.path) @> ARRAY[CAST($3 AS uuid)]
          ORDER BY array_length(coalesce(ou.path, p.path, ARRAY[g.scope_id]), 1), scope_name, g.role, u.name`,
        [actor.organisation.id, scope.path, scope.id],
      );
    return rows.map((r) =>
      Object.assign(new ScopeGrant(), {
        id: r.id,
        userId: r.user_id,
        role: r.role,
        scope: { id: r.scope_id, kind: r.scope_kind, name: r.scope_name, path: r.scope_path },
        placement: r.scope_id === scope.id ? GrantPlacement.HERE : scope.path.includes(r.scope_id) ? GrantPlacement.INHERITED : GrantPlacement.BELOW,
        programsInheriting: r.programs,
      }),
    );
  }
}
