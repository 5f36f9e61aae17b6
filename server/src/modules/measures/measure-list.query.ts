import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { decodeKeysetCursor, encodeCursor, type SortKeyType } from '../../common/cursor.js';
import { grantedScopeIds, type Actor, type ScopeNode } from '../access/index.js';
import { escapeLike } from '../users/index.js';
import { Measure } from './measure.entity.js';
import { IMPLEMENTATION_STATUS_SQL, OVERDUE_SQL, POTENTIAL_STATUS_SQL } from './measure-status.sql.js';
import { MeasureSortField, SortDirection, type MeasureFilter, type MeasureSort } from './measures.inputs.js';

/** Each sort is a SQL expression and the type its cursor value is cast back to. */
const SORTS: Record<MeasureSortField, { expr: string; type: SortKeyType }> = {
  CODE: { expr: 'm.seq', type: 'integer' },
  TITLE: { expr: 'lower(m.title)', type: 'text' },
  DOI: { expr: 'm.doi', type: 'smallint' },
  STATE: { expr: 'm.state', type: 'text' },
  PLAN_TOTAL: { expr: 'm.plan_total', type: 'numeric' },
  FORECAST_TOTAL: { expr: 'm.forecast_total', type: 'numeric' },
  ANNUAL_POTENTIAL: { expr: 'm.annual_potential', type: 'numeric' },
  // Nothing due sorts last, as if due at the end of time, so the key is never NULL.
  NEXT_DUE_ON: { expr: `coalesce(m.next_due_on, 'infinity'::timestamptz)`, type: 'timestamptz' },
  UPDATED_AT: { expr: 'm.updated_at', type: 'timestamptz' },
};

export interface MeasureListArgs {
  filter: MeasureFilter;
  scope: ScopeNode | null;
  sort: MeasureSort;
  first: number;
  after?: string | null;
}

export interface MeasurePage {
  nodes: Measure[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/** The measures the actor may read: a role on the measure's scope path, or being one of its people. */
export function visibleMeasures(dataSource: DataSource, actor: Actor): SelectQueryBuilder<Measure> {
  return dataSource
    .getRepository(Measure)
    .createQueryBuilder('m')
    .innerJoin('organisation', 'o', 'o.id = m.organisation_id')
    .where('m.organisation_id = :org', { org: actor.organisation.id })
    .andWhere(
      '(m.path && CAST(:granted AS uuid[]) OR m.owner_id = :me OR m.sponsor_id = :me OR m.controller_id = :me)',
      { granted: grantedScopeIds(actor), me: actor.userId },
    );
}

function applyFilter(qb: SelectQueryBuilder<Measure>, filter: MeasureFilter, scope: ScopeNode | null): void {
  if (scope) qb.andWhere('m.path @> ARRAY[CAST(:scopeId AS uuid)]', { scopeId: scope.id });
  if (filter.doi != null) qb.andWhere('m.doi = :doi', { doi: filter.doi });
  if (filter.state != null) qb.andWhere('m.state = :state', { state: filter.state });
  if (filter.ownerId != null) qb.andWhere('m.owner_id = :ownerId', { ownerId: filter.ownerId });
  if (filter.implementationStatus != null) {
    qb.andWhere(`${IMPLEMENTATION_STATUS_SQL} = :implStatus`, { implStatus: filter.implementationStatus });
  }
  if (filter.potentialStatus != null) {
    qb.andWhere(`${POTENTIAL_STATUS_SQL} = :potStatus`, { potStatus: filter.potentialStatus });
  }
  if (filter.overdue != null) qb.andWhere(filter.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`);
  const search = filter.search?.trim();
  if (search) {
    qb.andWhere('(m.code ILIKE :q OR m.title ILIKE :q OR m.description ILIKE :q)', { q: `%${escapeLike(search)}%` });
  }
}

/** One page by keyset (sort key, id), plus a lazily counted total. Two statements at most. */
export async function listMeasures(dataSource: DataSource, actor: Actor, args: MeasureListArgs): Promise<MeasurePage> {
  const sort = SORTS[args.sort.field];
  const descending = args.sort.direction === SortDirection.DESC;
  const base = visibleMeasures(dataSource, actor);
  applyFilter(base, args.filter, args.scope);

  const page = base.clone().addSelect(`(${sort.expr})::text`, 'sort_key');
  if (args.after) {
    const [key, id] = decodeKeysetCursor(args.after, sort.type);
    page.andWhere(`(${sort.expr}, m.id) ${descending ? '<' : '>'} (CAST(:afterKey AS ${sort.type}), CAST(:afterId AS uuid))`, {
      afterKey: key,
      afterId: id,
    });
  }
  const direction = descending ? 'DESC' : 'ASC';
  page.orderBy(sort.expr, direction).addOrderBy('m.id', direction).limit(args.first + 1);
  const { entities, raw } = await page.getRawAndEntities<{ sort_key: string; m_id: string }>();
  const hasNextPage = entities.length > args.first;
  const nodes = entities.slice(0, args.first);
  const keys = new Map(raw.map((r) => [r.m_id, r.sort_key]));
  return {
    nodes,
    cursors: nodes.map((n) => encodeCursor([keys.get(n.id) ?? null, n.id])),
    hasNextPage,
    // A plain count(*): TypeORM's getCount() counts DISTINCT ids, a needless sort for a list without joins to many.
    totalCount: async () => Number((await base.clone().select('count(*)', 'n').orderBy().getRawOne<{ n: string }>())?.n ?? 0),
  };
}
