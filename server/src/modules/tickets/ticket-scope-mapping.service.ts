import { TicketScopeField } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { badInput, conflict, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor, type Tx } from '../../common/transaction.js';
import { requiredText } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize } from '../access/index.js';
import { TicketScopeMapping, type TicketScopeMappingInput } from './ticket-scope-mapping.entity.js';
import { boundedTicketEvent, reapplyTicketScopes } from './ticket-scope.js';

/**
 * The ticket scope mapping (docs/domain-rules.md, "Ticket scope"): admins of the organisation map the desk's
 * assignment groups and requesting units to org units. Every change re-applies the mapping to the stored
 * tickets in the same transaction, is audited, and tells open ticket pages of the scopes concerned.
 */
export class TicketScopeMappingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async list(actor: Actor): Promise<TicketScopeMapping[]> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    return this.dataSource.getRepository(TicketScopeMapping).find({ where: { organisationId: actor.organisation.id }, order: { field: 'ASC', value: 'ASC' } });
  }

  /** Creates the mapping of a desk value, or points an existing one (same field and value) at another unit. */
  async save(actor: Actor, input: TicketScopeMappingInput): Promise<TicketScopeMapping> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    if (!Object.values(TicketScopeField).includes(input.field)) throw badInput('Unknown field', { field: 'field' });
    const value = requiredText(input.value, 'value', 200);
    const orgUnitId = assertId(input.orgUnitId, 'orgUnitId');
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      await this.lockOrganisation(tx, actor);
      const [unit] = await tx.manager.query(`SELECT id, name FROM org_unit WHERE id = $1 AND organisation_id = $2`, [orgUnitId, actor.organisation.id]);
      if (!unit) throw notFound('Org unit');
      const [before]: { id: string; org_unit_id: string }[] = await tx.manager.query(
        `SELECT id, org_unit_id FROM ticket_scope_mapping WHERE organisation_id = $1 AND field = $2 AND lower(btrim(value)) = lower(btrim($3))`,
        [actor.organisation.id, input.field, value],
      );
      if (before?.org_unit_id === orgUnitId) throw conflict(`${value} is mapped to ${unit.name} already`);
      let row: { id: string };
      if (before) {
        await tx.manager.query(`UPDATE ticket_scope_mapping SET org_unit_id = $2, value = $3 WHERE id = $1`, [before.id, orgUnitId, value]);
        row = { id: before.id };
      } else {
        [row] = await tx.manager.query(`INSERT INTO ticket_scope_mapping (organisation_id, field, value, org_unit_id) VALUES ($1, $2, $3, $4) RETURNING id`, [actor.organisation.id, input.field, value, orgUnitId]);
      }
      const moved = await this.reapply(tx, actor);
      tx.audit({
        action: 'ticketScopeMapping.saved',
        entityType: 'TicketScopeMapping',
        entityId: row.id,
        before: before ? { field: input.field, value, orgUnitId: before.org_unit_id } : undefined,
        after: { field: input.field, value, orgUnitId, ticketsMoved: moved },
      });
      return tx.manager.getRepository(TicketScopeMapping).findOneByOrFail({ id: row.id });
    });
  }

  /** Removes a mapping: its tickets fall back to the next rule, or to the organisation. */
  async remove(actor: Actor, id: string): Promise<boolean> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    const mappingId = assertId(id, 'id');
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      await this.lockOrganisation(tx, actor);
      const [removed]: { field: string; value: string; org_unit_id: string }[] = await tx.manager.query(
        `DELETE FROM ticket_scope_mapping WHERE id = $1 AND organisation_id = $2 RETURNING field, value, org_unit_id`,
        [mappingId, actor.organisation.id],
      );
      if (!removed) throw notFound('Ticket scope mapping');
      const moved = await this.reapply(tx, actor);
      tx.audit({
        action: 'ticketScopeMapping.deleted',
        entityType: 'TicketScopeMapping',
        entityId: mappingId,
        before: { field: removed.field, value: removed.value, orgUnitId: removed.org_unit_id },
        after: { ticketsMoved: moved },
      });
      return true;
    });
  }

  /** Mapping changes of one organisation one at a time, so each re-application sees the other's result. */
  private async lockOrganisation(tx: Tx, actor: Actor): Promise<void> {
    await tx.manager.query(`SELECT id FROM organisation WHERE id = $1 FOR UPDATE`, [actor.organisation.id]);
  }

  private async reapply(tx: Tx, actor: Actor): Promise<number> {
    const { moved, groupIds, scopeIds } = await reapplyTicketScopes(tx.manager, actor.organisation.id);
    if (moved > 0) {
      tx.afterCommit(() =>
        this.bus.publish(boundedTicketEvent({
          topic: 'ticketGroupsChanged',
          organisationId: actor.organisation.id,
          // At most 100 ids: the event must fit a PostgreSQL NOTIFY payload.
          groupIds: groupIds.slice(0, 100),
          inserted: 0,
          updated: 0,
          scopeIds,
          counts: [],
          at: new Date().toISOString(),
        })),
      );
    }
    return moved;
  }
}
