import { annualTicketCost, Lever, mayOnSomeScope } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { conflict, notFound } from '../../common/domain-error.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize } from '../access/index.js';
import { MeasureTransitions, Measure, type MeasuresService } from '../measures/index.js';
import { Organisation } from '../hierarchy/index.js';
import { Ticket, TicketGroup } from './tickets.entities.js';
import { TicketGroupPermissions } from './tickets.inputs.js';
import { announceGroupsChanged } from './ticket-events.js';
import type { TicketsService } from './tickets.service.js';

/**
 * Links between recurring ticket groups and the measures that should remove them: linking, unlinking, and a new
 * measure from a group. Linking needs the right to link on the measure and to read the group.
 */
export class TicketLinksService {
  private readonly transitions: MeasureTransitions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly measures: MeasuresService,
    private readonly reads: TicketsService,
  ) {
    this.transitions = new MeasureTransitions(bus);
  }

  async link(actor: Actor, groupId: string, measureId: string): Promise<TicketGroup> {
    const group = await this.reads.group(actor, groupId);
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
      await announceGroupsChanged(this.bus, tx, actor, [group.id]);
      return group;
    });
  }

  async unlink(actor: Actor, groupId: string, measureId: string): Promise<TicketGroup> {
    const group = await this.reads.group(actor, groupId);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'ticketGroup.link', { path: measure.path, measureOwnerId: measure.ownerId });
      const removed: unknown[] = await tx.manager.query(`DELETE FROM ticket_group_link WHERE group_id = $1 AND measure_id = $2 RETURNING group_id`, [group.id, measure.id]);
      if (removed.length === 0) throw notFound('Link');
      tx.audit({ action: 'ticketGroup.unlinked', entityType: 'TicketGroup', entityId: group.id, measureId: measure.id, before: { groupId: group.id, measureId: measure.id } });
      this.transitions.announce(tx, measure, 'UPDATED');
      await announceGroupsChanged(this.bus, tx, actor, [group.id]);
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
    const group = await this.reads.group(actor, groupId);
    const org = await this.dataSource.getRepository(Organisation).findOneByOrFail({ id: actor.organisation.id });
    const rate = this.reads.annualRate(group, org.recurringWindowDays);
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
      await announceGroupsChanged(this.bus, tx, actor, [group.id]);
      return measure;
    });
  }
}
