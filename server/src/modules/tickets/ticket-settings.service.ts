import { moneyToCents, SLA_PRIORITIES } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { badInput, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { money, optionalText, requiredText } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize } from '../access/index.js';
import { Organisation } from '../hierarchy/index.js';
import { recomputeAllGroupWindows } from './ticket-groups.js';
import { ServiceCategory, SlaPolicy } from './tickets.entities.js';
import { type ServiceCategoryInput, type SlaPolicyInput, type TicketSettingsInput } from './tickets.inputs.js';
import { announceGroupsChanged } from './ticket-events.js';

/** The organisation's ticket settings: the service catalogue, SLA policies and the recurring-group thresholds (admins). */
export class TicketSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

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
      if (n !== org.recurringThreshold || w !== org.recurringWindowDays || moneyToCents(cost) !== moneyToCents(org.costPerTicket)) await announceGroupsChanged(this.bus, tx, actor, flipped.slice(0, 100), 'all');
      return tx.manager.getRepository(Organisation).findOneByOrFail({ id: org.id });
    });
  }
}
