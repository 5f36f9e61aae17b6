import {
  annualTicketCost,
  annualTicketRate,
  Lever,
  mayOnSomeScope,
  moneyToCents,
  Priority,
  SLA_PRIORITIES,
  shortSummary,
  TicketSource,
  type RowRejection,
  ticketEffectRates,
  type TicketRecord,
} from '@gatehouse/shared';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { decodeKeysetCursor, encodeCursor, pageSize, type SortKeyType } from '../../common/cursor.js';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor, type Tx } from '../../common/transaction.js';
import { money, optionalText, requiredText } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize, canRead } from '../access/index.js';
import { MeasureTransitions, Measure, type MeasuresService } from '../measures/index.js';
import { Organisation } from '../hierarchy/index.js';
import { escapeLike } from '../users/index.js';
import { priorityValue, stateCategoryValue } from './parsing/field-values.js';
import { ImportWarnings, type ImportWarning } from './parsing/import-warnings.js';
import { TicketImportService, type ImportTotals } from './ticket-import.service.js';
import { BREACHED_SQL, OPEN_SQL, TICKET_DAY_SQL } from './ticket-sql.js';
import { recomputeAllGroupWindows } from './ticket-groups.js';
import { boundedTicketEvent, requireTicketReader, scopedGroupCountsSql, scopeIdsOfGroups, ticketInScopeSql, ticketReadScope, type TicketReadScope } from './ticket-scope.js';
import { ServiceCategory, SlaPolicy, Ticket, TicketGroup } from './tickets.entities.js';
import { TicketGroupPermissions, type ServiceCategoryInput, type SlaPolicyInput, type TicketEffect, type TicketFilter, type TicketGroupFilter, type TicketInput, type TicketSettingsInput, type TicketTrendPoint } from './tickets.inputs.js';


/** "UNKNOWN" from a caller is its own verdict (the command line's --url sends it for a value it warned about). */
const API_PRIORITY_WORDS = new Map([['unknown', Priority.UNKNOWN]]);

/**
 * Turns one API ticket into the record every import format produces, or its rejection. A priority or state
 * nobody knows is kept as UNKNOWN and counted in `warnings`, as in every export.
 */
export function ticketFromInput(input: TicketInput, index: number, warnings = new ImportWarnings()): TicketRecord | RowRejection {
  const line = index + 1;
  const text = (v: string | null | undefined, field: string, max: number) => {
    if (v == null) return undefined;
    if (v.includes('\u0000')) throw new Error(`${field} contains a NUL character`);
    const t = v.trim();
    if (t.length > max) throw new Error(`${field} is longer than ${max} characters`);
    return t || undefined;
  };
  const date = (v: Date | null | undefined, field: string) => {
    if (v == null) return undefined;
    if (Number.isNaN(v.getTime()) || v.getUTCFullYear() < 1970 || v.getUTCFullYear() > 2200) throw new Error(`${field} is not a usable date`);
    return v;
  };
  try {
    const externalId = text(input.externalId, 'externalId', 200);
    if (!externalId) return { line, reason: 'no externalId' };
    const summary = text(input.summary, 'summary', 10_000);
    if (!summary) return { line, reason: 'no summary' };
    const given = priorityValue('priority', text(input.priority, 'priority', 100), { warnings }, API_PRIORITY_WORDS);
    // "UNKNOWN" is a verdict, not the desk's own text.
    const deskPriority = given && !API_PRIORITY_WORDS.has(given.sourcePriority.toLowerCase()) ? given.sourcePriority : undefined;
    const state = text(input.state, 'state', 100);
    const updatedAt = date(input.updatedAt, 'updatedAt');
    if (input.revision != null && (!Number.isFinite(input.revision) || Math.abs(input.revision) > 9e15)) return { line, reason: 'revision is not a number' };
    return {
      source: TicketSource.CSV,
      externalId,
      summary: shortSummary(summary),
      description: text(input.description, 'description', 20_000) ?? (summary.length > 200 ? summary : undefined),
      category: text(input.category, 'category', 200),
      subcategory: text(input.subcategory, 'subcategory', 200),
      service: text(input.service, 'service', 200),
      symptom: text(input.symptom, 'symptom', 200),
      impact: text(input.impact, 'impact', 100),
      urgency: text(input.urgency, 'urgency', 100),
      priority: given?.priority ?? Priority.MODERATE,
      sourcePriority: text(input.sourcePriority, 'sourcePriority', 100) ?? deskPriority,
      state,
      stateCategory: input.stateCategory ?? stateCategoryValue('state', state, { warnings }),
      assignmentGroup: text(input.assignmentGroup, 'assignmentGroup', 200),
      requestingUnit: text(input.requestingUnit, 'requestingUnit', 200),
      problemRef: text(input.problemRef, 'problemRef', 200),
      labels: input.labels?.map((l, i) => text(l, `labels[${i}]`, 100)).filter((l): l is string => !!l),
      requestType: text(input.requestType, 'requestType', 200),
      openedAt: date(input.openedAt, 'openedAt'),
      respondedAt: date(input.respondedAt, 'respondedAt'),
      resolvedAt: date(input.resolvedAt, 'resolvedAt'),
      closedAt: date(input.closedAt, 'closedAt'),
      updatedAt,
      madeSla: input.madeSla ?? undefined,
      revision: input.revision ?? updatedAt?.getTime() ?? 0,
    };
  } catch (e) {
    return { line, reason: (e as Error).message };
  }
}

/**
 * Service tickets: import, the recurring groups, their links to measures and the effect check, the service
 * catalogue and SLA policies. A ticket is read by the roles on its scope (ticket-scope.ts) and a group through
 * the tickets its reader may see; importing and settings are for admins; linking is for owners, steering
 * committee members and admins who may also read the group.
 */
export class TicketsService {
  readonly importer: TicketImportService;
  private readonly transitions: MeasureTransitions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly measures: MeasuresService,
  ) {
    this.importer = new TicketImportService(dataSource, bus);
    this.transitions = new MeasureTransitions(bus);
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

  async linkedMeasureIds(groupId: string): Promise<string[]> {
    const rows: { measure_id: string }[] = await this.dataSource.query(`SELECT measure_id FROM ticket_group_link WHERE group_id = $1 ORDER BY linked_at`, [groupId]);
    return rows.map((r) => r.measure_id);
  }

  async linkedGroupIds(measureId: string): Promise<string[]> {
    const rows: { group_id: string }[] = await this.dataSource.query(`SELECT group_id FROM ticket_group_link WHERE measure_id = $1 ORDER BY linked_at`, [measureId]);
    return rows.map((r) => r.group_id);
  }

  async link(actor: Actor, groupId: string, measureId: string): Promise<TicketGroup> {
    const group = await this.group(actor, groupId);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'ticketGroup.link', { path: measure.path, measureOwnerId: measure.ownerId });
      const added: unknown[] = await tx.manager.query(
        `INSERT INTO ticket_group_link (group_id, measure_id, linked_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING group_id`,
        [group.id, measure.id, actor.userId],
      );
      if (added.length === 0) throw conflict(`${group.title} is linked to ${measure.code} already`);
      tx.audit({ action: 'ticketGroup.linked', entityType: 'TicketGroup', entityId: group.id, measureId: measure.id, after: { groupId: group.id, title: group.title, measureId: measure.id } });
      this.transitions.announce(tx, measure, 'UPDATED');
      await this.publishGroups(tx, actor, [group.id]);
      return group;
    });
  }

  async unlink(actor: Actor, groupId: string, measureId: string): Promise<TicketGroup> {
    const group = await this.group(actor, groupId);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'ticketGroup.link', { path: measure.path, measureOwnerId: measure.ownerId });
      const removed: unknown[] = await tx.manager.query(`DELETE FROM ticket_group_link WHERE group_id = $1 AND measure_id = $2 RETURNING group_id`, [group.id, measure.id]);
      if (removed.length === 0) throw notFound('Link');
      tx.audit({ action: 'ticketGroup.unlinked', entityType: 'TicketGroup', entityId: group.id, measureId: measure.id, before: { groupId: group.id, measureId: measure.id } });
      this.transitions.announce(tx, measure, 'UPDATED');
      await this.publishGroups(tx, actor, [group.id]);
      return group;
    });
  }

  /** Ticket groups belong to the whole organisation: what the caller may do with one depends on their roles only. */
  groupPermissions(actor: Actor): TicketGroupPermissions {
    const linkMeasure = mayOnSomeScope('ticketGroup.link', actor);
    return Object.assign(new TicketGroupPermissions(), {
      linkMeasure,
      createMeasure: linkMeasure && mayOnSomeScope('measure.create', actor),
      assignOwner: mayOnSomeScope('measure.assignOwner', actor),
    });
  }

  /** A DoI-1 measure named after the group, its potential prefilled as the annual ticket rate x cost per ticket. */
  async createMeasureFromGroup(actor: Actor, groupId: string, packageId: string, ownerId: string): Promise<Measure> {
    const group = await this.group(actor, groupId);
    const org = await this.dataSource.getRepository(Organisation).findOneByOrFail({ id: actor.organisation.id });
    const rate = this.annualRate(group, org.recurringWindowDays);
    const potential = annualTicketCost(rate, org.costPerTicket);
    if (potential === null) throw new Error(`the organisation's cost per ticket "${org.costPerTicket}" is not an amount`);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.measures.createIn(tx, actor, {
        packageId,
        ownerId,
        title: `Remove recurring tickets: ${group.title}`.slice(0, 200),
        lever: Lever.COST_REDUCTION,
        roughPotential: potential,
        description: `${group.ticketCount} tickets (${rate} a year) share the signature ${group.signature}. At ${org.costPerTicket} ${org.currency} per ticket the rough potential is ${potential} ${org.currency} a year.`,
      });
      authorize(actor, 'ticketGroup.link', { path: measure.path, measureOwnerId: measure.ownerId });
      await tx.manager.query(`INSERT INTO ticket_group_link (group_id, measure_id, linked_by) VALUES ($1, $2, $3)`, [group.id, measure.id, actor.userId]);
      tx.audit({ action: 'ticketGroup.linked', entityType: 'TicketGroup', entityId: group.id, measureId: measure.id, after: { groupId: group.id, measureId: measure.id, created: true } });
      await this.publishGroups(tx, actor, [group.id]);
      return measure;
    });
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

  async categories(actor: Actor): Promise<ServiceCategory[]> {
    authorize(actor, 'tickets.read', { path: [actor.organisation.id] });
    return this.dataSource.getRepository(ServiceCategory).find({ where: { organisationId: actor.organisation.id }, order: { name: 'ASC' } });
  }

  async slaPolicies(actor: Actor): Promise<SlaPolicy[]> {
    authorize(actor, 'tickets.read', { path: [actor.organisation.id] });
    return this.dataSource.getRepository(SlaPolicy).find({ where: { organisationId: actor.organisation.id }, order: { priority: 'ASC' } });
  }

  async upsertCategory(actor: Actor, input: ServiceCategoryInput): Promise<ServiceCategory> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    const name = requiredText(input.name, 'name', 200);
    const description = optionalText(input.description, 'description', 2000) ?? '';
    const ownerId = input.ownerId ? assertId(input.ownerId, 'ownerId') : null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      if (ownerId) {
        const [owner] = await tx.manager.query(`SELECT id FROM app_user WHERE id = $1 AND organisation_id = $2`, [ownerId, actor.organisation.id]);
        if (!owner) throw notFound('Category owner');
      }
      const [row] = await tx.manager.query(
        `INSERT INTO service_category (organisation_id, name, description, owner_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organisation_id, lower(name)) DO UPDATE SET description = EXCLUDED.description, owner_id = EXCLUDED.owner_id RETURNING id`,
        [actor.organisation.id, name, description, ownerId],
      );
      tx.audit({ action: 'serviceCategory.saved', entityType: 'ServiceCategory', entityId: row.id, after: { name, description, ownerId } });
      return tx.manager.getRepository(ServiceCategory).findOneByOrFail({ id: row.id });
    });
  }

  async setSlaPolicy(actor: Actor, input: SlaPolicyInput): Promise<SlaPolicy> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    const minutes = (v: number, field: string) => {
      if (!Number.isInteger(v) || v < 1 || v > 525_600) throw badInput(`${field} must be 1 to 525600 minutes`, { field });
      return v;
    };
    if (!SLA_PRIORITIES.includes(input.priority)) throw badInput('An SLA policy is set for a known priority, not UNKNOWN', { field: 'priority' });
    const response = minutes(input.responseMinutes, 'responseMinutes');
    const resolution = minutes(input.resolutionMinutes, 'resolutionMinutes');
    if (resolution < response) throw badInput('resolutionMinutes must not be shorter than responseMinutes', { field: 'resolutionMinutes' });
    const categoryId = input.categoryId ? assertId(input.categoryId, 'categoryId') : null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      if (categoryId) {
        const [category] = await tx.manager.query(`SELECT id FROM service_category WHERE id = $1 AND organisation_id = $2`, [categoryId, actor.organisation.id]);
        if (!category) throw notFound('Service category');
      }
      const [row] = await tx.manager.query(
        `INSERT INTO sla_policy (organisation_id, category_id, priority, response_minutes, resolution_minutes) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id, coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), priority)
         DO UPDATE SET response_minutes = EXCLUDED.response_minutes, resolution_minutes = EXCLUDED.resolution_minutes RETURNING id`,
        [actor.organisation.id, categoryId, input.priority, response, resolution],
      );
      tx.audit({ action: 'slaPolicy.saved', entityType: 'SlaPolicy', entityId: row.id, after: { categoryId, priority: input.priority, response, resolution } });
      return tx.manager.getRepository(SlaPolicy).findOneByOrFail({ id: row.id });
    });
  }

  async updateSettings(actor: Actor, input: TicketSettingsInput): Promise<Organisation> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const org = await tx.manager.getRepository(Organisation).findOneOrFail({ where: { id: actor.organisation.id }, lock: { mode: 'pessimistic_write' } });
      const n = input.recurringThreshold ?? org.recurringThreshold;
      const w = input.recurringWindowDays ?? org.recurringWindowDays;
      if (!Number.isInteger(n) || n < 2 || n > 100_000) throw badInput('recurringThreshold must be 2 to 100000 tickets', { field: 'recurringThreshold' });
      if (!Number.isInteger(w) || w < 1 || w > 3650) throw badInput('recurringWindowDays must be 1 to 3650 days', { field: 'recurringWindowDays' });
      const cost = input.costPerTicket == null ? org.costPerTicket : money(input.costPerTicket, 'costPerTicket');
      if (moneyToCents(cost) < 0n) throw badInput('costPerTicket cannot be negative', { field: 'costPerTicket' });
      const before = { recurringThreshold: org.recurringThreshold, recurringWindowDays: org.recurringWindowDays, costPerTicket: org.costPerTicket };
      await tx.manager.query(`UPDATE organisation SET recurring_threshold = $2, recurring_window_days = $3, cost_per_ticket = $4 WHERE id = $1`, [org.id, n, w, cost]);
      let flipped: string[] = [];
      if (n !== org.recurringThreshold || w !== org.recurringWindowDays) {
        const recurring = async () => new Set<string>((await tx.manager.query(`SELECT id FROM ticket_group WHERE organisation_id = $1 AND recurring`, [org.id])).map((r: { id: string }) => r.id));
        const was = await recurring();
        await recomputeAllGroupWindows(tx.manager, org.id);
        const is = await recurring();
        flipped = [...[...was].filter((id) => !is.has(id)), ...[...is].filter((id) => !was.has(id))];
      }
      tx.audit({ action: 'organisation.ticketSettingsUpdated', entityType: 'Organisation', entityId: org.id, before, after: { recurringThreshold: n, recurringWindowDays: w, costPerTicket: cost } });
      // Open ticket pages refresh: groups became or stopped being recurring, or their cost changed. The ids of
      // those whose flag flipped, at most 100 (the event must fit a NOTIFY payload).
      if (n !== org.recurringThreshold || w !== org.recurringWindowDays || moneyToCents(cost) !== moneyToCents(org.costPerTicket)) await this.publishGroups(tx, actor, flipped.slice(0, 100), 'all');
      return tx.manager.getRepository(Organisation).findOneByOrFail({ id: org.id });
    });
  }

  /** Announces changed groups to the readers of their tickets' scopes (of every ticket's, for `all`). */
  private async publishGroups(tx: Tx, actor: Actor, groupIds: string[], scopes: 'groups' | 'all' = 'groups'): Promise<void> {
    const scopeIds = await scopeIdsOfGroups(tx.manager, actor.organisation.id, scopes === 'all' ? 'all' : groupIds);
    tx.afterCommit(() => this.bus.publish(boundedTicketEvent({ topic: 'ticketGroupsChanged', organisationId: actor.organisation.id, groupIds, inserted: 0, updated: 0, scopeIds, counts: [], at: new Date().toISOString() })));
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

