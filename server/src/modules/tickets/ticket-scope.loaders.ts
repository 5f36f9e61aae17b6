import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { LoaderOptions } from '../../common/loader-utils.js';
import { BREACHED_SQL } from './ticket-sql.js';
import { scopedGroupCountsSql, ticketInScopeSql, type TicketReadScope } from './ticket-scope.js';
import { TicketGroup } from './tickets.entities.js';

/** A group id asked for by a reader of this scope. */
export interface ScopedKey {
  id: string;
  scope: TicketReadScope;
}

const scopeKey = (s: TicketReadScope) => (s.all ? '*' : [...s.grantedScopeIds].sort().join(','));

/** Batches keys per reader scope: one statement per distinct scope (a request has one reader). */
function scopedLoader<V>(load: (ids: string[], scope: TicketReadScope) => Promise<Map<string, V>>, missing: V, options: LoaderOptions) {
  return new DataLoader<ScopedKey, V, string>(
    async (keys) => {
      const byScope = new Map<string, { scope: TicketReadScope; ids: string[] }>();
      for (const k of keys) {
        const sk = scopeKey(k.scope);
        if (!byScope.has(sk)) byScope.set(sk, { scope: k.scope, ids: [] });
        byScope.get(sk)!.ids.push(k.id);
      }
      const results = new Map<string, Map<string, V>>();
      for (const [sk, { scope, ids }] of byScope) results.set(sk, await load(ids, scope));
      return keys.map((k) => results.get(scopeKey(k.scope))!.get(k.id) ?? missing);
    },
    { ...options, cacheKeyFn: (k) => `${scopeKey(k.scope)}|${k.id}` },
  );
}

/**
 * Groups as their reader sees them (ticket-scope.ts): a scoped reader gets a group only when one of its tickets
 * is in their scope, with the counts of those tickets; breached counts likewise.
 */
export function createTicketScopeLoaders(ds: DataSource, options: LoaderOptions = {}) {
  const readableTicketGroup = scopedLoader<TicketGroup | null>(
    async (ids, scope) => {
      const qb = ds.getRepository(TicketGroup).createQueryBuilder('g').where('g.id = ANY(CAST(:ids AS uuid[]))', { ids });
      if (scope.all) return new Map((await qb.getMany()).map((g) => [g.id, g]));
      qb.innerJoin(`(${scopedGroupCountsSql('t.group_id = ANY(CAST(:ids AS uuid[]))', ':scopeIds')})`, 'sc', 'sc.group_id = g.id').setParameter('scopeIds', scope.grantedScopeIds);
      const { entities, raw } = await qb.addSelect('sc.n', 'sc_n').addSelect('sc.open', 'sc_open').getRawAndEntities<Record<string, string>>();
      const counts = new Map(raw.map((r) => [r.g_id, r]));
      for (const g of entities) {
        g.ticketCount = Number(counts.get(g.id)?.sc_n ?? 0);
        g.openCount = Number(counts.get(g.id)?.sc_open ?? 0);
      }
      return new Map(entities.map((g) => [g.id, g]));
    },
    null,
    options,
  );
  const readableBreachedCount = scopedLoader<number>(
    async (ids, scope) => {
      const rows: { group_id: string; n: number }[] = await ds.query(
        `SELECT t.group_id, count(*)::int AS n FROM ticket t WHERE t.group_id = ANY(CAST($1 AS uuid[])) AND ${BREACHED_SQL}
            AND ($2::uuid[] IS NULL OR ${ticketInScopeSql('t', '$2')}) GROUP BY t.group_id`,
        [ids, scope.all ? null : scope.grantedScopeIds],
      );
      return new Map(rows.map((r) => [r.group_id, r.n]));
    },
    0,
    options,
  );
  return { readableTicketGroup, readableBreachedCount };
}
