import { annualTicketRate, TicketSource, type RowRejection, ticketEffectRates } from '@gatehouse/shared';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { decodeKeysetCursor, encodeCursor, pageSize, type SortKeyType } from '../../common/cursor.js';
import { badInput, forbidden, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { txActor } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize, canRead } from '../access/index.js';
import { escapeLike } from '../users/index.js';
import { ImportWarnings, type ImportWarning } from './parsing/import-warnings.js';
import { TicketImportService, type ImportTotals } from './ticket-import.service.js';
import { BREACHED_SQL, OPEN_SQL, TICKET_DAY_SQL } from './ticket-sql.js';
import {
  requireTicketReader,
  scopedGroupCountsSql,
  ticketInScopeSql,
  ticketReadScope,
  type TicketReadScope,
} from './ticket-scope.js';
import { Ticket, TicketGroup } from './tickets.entities.js';
import {
  type TicketEffect,
  type TicketFilter,
  type TicketGroupFilter,
  type TicketInput,
  type TicketTrendPoint,
} from './tickets.inputs.js';
import { ticketFromInput } from './ticket-input.js';

/**
 * Service tickets as their readers see them: the tickets, the recurring groups with their counts, trend and
 * effect check, and the API import. A ticket is read by the roles on its scope (ticket-scope.ts) and a group
 * through the tickets its reader may see. Links to measures: ticket-links.service.ts; settings:
 * ticket-settings.service.ts; the import loop: ticket-import.service.ts.
 */
export class TicketsService {
  readonly importer: TicketImportService;

  constructor(
    private readonly dataSource: DataSource,
    bus: EventBus,
  ) {
    this.importer = new TicketImportService(dataSource, bus);
  }

  async importTickets(actor: Actor, source: TicketSource, tickets: TicketInput[]): Promise<ImportTotals & { rejections: RowRejection[]; warnings: ImportWarning[] }> {
    authorize(actor, 'tickets.import', { path: [actor.organisation.id] });
    if (!Object.values(TicketSource).includes(source)) throw badInput('Unknown ticket source', { field: 'source' });
    const warnings = new ImportWarnings();
    const rows = tickets.map((t, i) => ticketFromInput(t, i, warnings));
    const { totals, rejections } = await this.importer.importList(txActor(actor), source, rows, 'api');
    return { ...totals, rejections, warnings: warnings.list() };
  }

  async listTickets(actor: Actor, filter: TicketFilter, first?: number | null, after?: string | null) {
    const scope = requireTicketReader(actor);
    const qb = this.dataSource.getRepository(Ticket).createQueryBuilder('t').where('t.organisation_id = :org', { org: actor.organisation.id });
    if (!scope.all) qb.andWhere(ticketInScopeSql('t', ':scopeIds'), { scopeIds: scope.grantedScopeIds });
    if (filter.source) {
      if (!Object.values(TicketSource).includes(filter.source as TicketSource)) throw badInput(`source must be one of ${Object.values(TicketSource).join(', ')}`, { field: 'source' });
      qb.andWhere('t.source = :source', { source: filter.source });
    }
    if (filter.groupId) qb.andWhere('t.group_id = :groupId', { groupId: assertId(filter.groupId, 'groupId') });
    if (filter.category) qb.andWhere('lower(t.category) = lower(:category)', { category: filter.category.slice(0, 200) });
    if (filter.open != null) qb.andWhere(filter.open ? OPEN_SQL : `NOT ${OPEN_SQL}`);
    if (filter.breached != null) qb.andWhere(filter.breached ? BREACHED_SQL : `NOT ${BREACHED_SQL}`);
    if (filter.search?.trim()) {
      qb.andWhere('(t.external_id ILIKE :q OR t.summary ILIKE :q)', { q: `%${escapeLike(filter.search.trim().slice(0, 200))}%` });
    }
    return keysetPage(qb, TICKET_DAY_SQL, 'timestamptz', 't', first, after);
  }

  async listGroups(actor: Actor, filter: TicketGroupFilter, first?: number | null, after?: string | null) {
    const scope = requireTicketReader(actor);
    const qb = this.dataSource.getRepository(TicketGroup).createQueryBuilder('g').where('g.organisation_id = :org', { org: actor.organisation.id });
    // A scoped reader sees the groups with at least one ticket in their scope, counted over those tickets only.
    if (!scope.all) qb.innerJoin(`(${scopedGroupCountsSql('t.organisation_id = :org', ':scopeIds')})`, 'sc', 'sc.group_id = g.id').setParameter('scopeIds', scope.grantedScopeIds).addSelect('sc.n', 'sc_n').addSelect('sc.open', 'sc_open');
    else qb.andWhere('g.ticket_count > 0');
    if (filter.recurringOnly) qb.andWhere('g.recurring');
    if (filter.linked != null) qb.andWhere(`${filter.linked ? '' : 'NOT '}EXISTS (SELECT 1 FROM ticket_group_link l WHERE l.group_id = g.id)`);
    if (filter.category) qb.andWhere('lower(g.category) = lower(:category)', { category: filter.category.slice(0, 200) });
    if (filter.search?.trim()) qb.andWhere('(g.title ILIKE :q OR g.signature ILIKE :q)', { q: `%${escapeLike(filter.search.trim().slice(0, 200))}%` });
    if (scope.all) return keysetPage(qb, 'g.ticket_count', 'integer', 'g', first, after);
    const page = await keysetPage(qb, 'sc.n', 'integer', 'g', first, after);
    for (const g of page.nodes) withScopedCounts(g, page.raw.get(g.id));
    return page;
  }

  /** A group, with the counts of the tickets the reader may see; FORBIDDEN when they may see none of them. */
  async group(actor: Actor, id: string): Promise<TicketGroup> {
    const scope = requireTicketReader(actor);
    const group = await this.dataSource.getRepository(TicketGroup).findOneBy({ id: assertId(id, 'id') });
    if (!group || group.organisationId !== actor.organisation.id) throw notFound('Ticket group');
    return this.readableGroup(scope, group);
  }

  private async readableGroup(scope: TicketReadScope, group: TicketGroup): Promise<TicketGroup> {
    if (scope.all) return group;
    const [counts]: { n: number; open: number }[] = await this.dataSource.query(`SELECT n, open FROM (${scopedGroupCountsSql('t.group_id = $1', '$2')}) sc`, [group.id, scope.grantedScopeIds]);
    if (!counts) throw forbidden('None of this group’s tickets is in your scope (tickets.read)');
    return withScopedCounts(group, { sc_n: String(counts.n), sc_open: String(counts.open) });
  }

  /** Tickets and resolution-SLA breaches per month over the group's last `months` months of activity. */
  async trend(group: TicketGroup, months = 12, scope: TicketReadScope = { all: true }): Promise<TicketTrendPoint[]> {
    const span = Math.min(Math.max(Math.trunc(months), 1), 60);
    return this.dataSource.query(
      `WITH bounds AS (SELECT date_trunc('month', coalesce($2::date, current_date)) AS last),
            series AS (SELECT generate_series((SELECT last FROM bounds) - make_interval(months => $3 - 1), (SELECT last FROM bounds), interval '1 month') AS month)
       SELECT to_char(s.month, 'YYYY-MM') AS month,
              count(t.id)::int AS tickets,
              (count(t.id) FILTER (WHERE ${BREACHED_SQL}))::int AS breached
         FROM series s LEFT JOIN ticket t ON t.group_id = $1 AND date_trunc('month', ${TICKET_DAY_SQL} AT TIME ZONE 'UTC') = s.month
              AND ($4::uuid[] IS NULL OR ${ticketInScopeSql('t', '$4')})
        GROUP BY s.month ORDER BY s.month`,
      [group.id, group.lastDay, span, scope.all ? null : scope.grantedScopeIds],
    );
  }

  /** Tickets a year at the group's pace: its count over its active span, at least the recurring window. */
  annualRate(group: TicketGroup, windowDays: number): number {
    return annualTicketRate(group, windowDays);
  }

  /**
   * The effect check: for each measure linked to the group that reached DoI 4, tickets per 30 days in the W
   * days before that date and in the W days after it (up to today).
   */
  /** Effects of links to measures the actor may read: a group's effects never name a measure out of the caller's reach. */
  async effects(actor: Actor, where: { groupId?: string; measureId?: string }): Promise<TicketEffect[]> {
    const scope = ticketReadScope(actor);
    const scopeIds = scope.all ? null : scope.grantedScopeIds;
    const rows: { group_id: string; measure_id: string; implemented_at: Date | null; before: number; after: number; days_after: number; w: number; path: string[]; people: (string | null)[] }[] =
      await this.dataSource.query(
        `WITH links AS (
           SELECT l.group_id, l.measure_id,
                  (SELECT min(h.at) FROM measure_history h WHERE h.measure_id = l.measure_id AND h.doi >= 4) AS implemented_at
             FROM ticket_group_link l JOIN ticket_group g ON g.id = l.group_id
            WHERE g.organisation_id = $1 AND ($2::uuid IS NULL OR l.group_id = $2) AND ($3::uuid IS NULL OR l.measure_id = $3)
              -- A scoped reader: only groups with a ticket of theirs (ticket-scope.ts).
              AND ($4::uuid[] IS NULL OR EXISTS (SELECT 1 FROM ticket t WHERE t.group_id = l.group_id AND ${ticketInScopeSql('t', '$4')}))),
         settings AS (SELECT recurring_window_days AS w FROM organisation WHERE id = $1)
         SELECT l.group_id, l.measure_id, l.implemented_at, (SELECT w FROM settings) AS w, m.path, ARRAY[m.owner_id, m.sponsor_id, m.controller_id] AS people,
                (SELECT count(*) FROM ticket t WHERE t.group_id = l.group_id AND ($4::uuid[] IS NULL OR ${ticketInScopeSql('t', '$4')})
                    AND ${TICKET_DAY_SQL} >= l.implemented_at - make_interval(days => (SELECT w FROM settings)) AND ${TICKET_DAY_SQL} < l.implemented_at)::int AS before,
                (SELECT count(*) FROM ticket t WHERE t.group_id = l.group_id AND ($4::uuid[] IS NULL OR ${ticketInScopeSql('t', '$4')})
                    AND ${TICKET_DAY_SQL} >= l.implemented_at AND ${TICKET_DAY_SQL} < l.implemented_at + make_interval(days => (SELECT w FROM settings)))::int AS after,
                CASE WHEN l.implemented_at IS NULL THEN 0
                     ELSE greatest(0, least((SELECT w FROM settings), floor(extract(epoch FROM now() - l.implemented_at) / 86400)))::int END AS days_after
           FROM links l JOIN measure m ON m.id = l.measure_id ORDER BY l.implemented_at NULLS LAST`,
        [actor.organisation.id, where.groupId ?? null, where.measureId ?? null, scopeIds],
      );
    return rows.filter((r) => canRead(actor, r.path, r.people)).map((r) => {
      if (!r.implemented_at) {
        return { groupId: r.group_id, measureId: r.measure_id, implementedAt: null, ratePer30DaysBefore: null, ratePer30DaysAfter: null, changePercent: null, ticketsBefore: 0, ticketsAfter: 0, daysAfter: 0 };
      }
      return {
        groupId: r.group_id,
        measureId: r.measure_id,
        implementedAt: r.implemented_at,
        ...ticketEffectRates({ ticketsBefore: r.before, ticketsAfter: r.after, daysAfter: r.days_after, windowDays: r.w }),
        ticketsBefore: r.before,
        ticketsAfter: r.after,
        daysAfter: r.days_after,
      };
    });
  }

}

/** A group as a scoped reader sees it: counted over their tickets only. */
function withScopedCounts(group: TicketGroup, raw: Record<string, string> | undefined): TicketGroup {
  group.ticketCount = Number(raw?.sc_n ?? 0);
  group.openCount = Number(raw?.sc_open ?? 0);
  return group;
}

/** Keyset paging, largest/newest first, by a sort expression and the row id. */
async function keysetPage<T extends { id: string }>(qb: SelectQueryBuilder<T>, expr: string, type: SortKeyType, alias: string, first?: number | null, after?: string | null) {
  const limit = pageSize(first);
  const count = () => qb.clone().getCount();
  const page = qb.clone().addSelect(`(${expr})::text`, 'sort_key');
  if (after) {
    const [key, id] = decodeKeysetCursor(after, type);
    page.andWhere(`(${expr}, ${alias}.id) < (CAST(:afterKey AS ${type}), CAST(:afterId AS uuid))`, { afterKey: key, afterId: id });
  }
  page.orderBy(expr, 'DESC').addOrderBy(`${alias}.id`, 'DESC').limit(limit + 1);
  const { entities, raw } = await page.getRawAndEntities<Record<string, string>>();
  const keys = new Map(raw.map((r) => [r[`${alias}_id`], r.sort_key]));
  const nodes = entities.slice(0, limit);
  const rawById = new Map(raw.map((r) => [r[`${alias}_id`], r]));
  return { nodes, cursors: nodes.map((n) => encodeCursor([keys.get(n.id) ?? null, n.id])), hasNextPage: entities.length > limit, totalCount: count, raw: rawById };
}

