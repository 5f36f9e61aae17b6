import type { DataSource } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';
import { inTransaction, txActor } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, authorize } from '../access/index.js';
import { OPEN_SQL } from './ticket-sql.js';
import { announceGroupsChanged } from './ticket-events.js';

@ObjectType({ description: 'What re-applying the SLA policies to open tickets changed.' })
export class SlaReapplyResult {
  @Field(() => Int, { description: 'Open tickets whose response or resolution due time changed.' })
  ticketsChanged: number;
}

/**
 * The SLA policies in force now, applied to the organisation's open tickets (admin, on request). A ticket keeps
 * the SLA it was opened under (sla.ts, ticket-upsert.ts): a policy change alone moves no due time, as in
 * ServiceNow. Finished tickets are never re-timed: their verdict is history.
 *
 * One UPDATE for all open tickets: the targets are those of slaOutcome (sla.ts), the category's policy of the
 * ticket's priority, else the priority's default, timed from the opened time; none when there is no policy or
 * no opened time. Only tickets whose due times differ are written, and counted.
 */
export class SlaReapplyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async reapply(actor: Actor): Promise<SlaReapplyResult> {
    authorize(actor, 'tickets.configure', { path: [actor.organisation.id] });
    const organisationId = actor.organisation.id;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      // Re-applications of one organisation one at a time, as its other ticket settings are changed.
      await tx.manager.query(`SELECT id FROM organisation WHERE id = $1 FOR UPDATE`, [organisationId]);
      const [row]: { changed: number; group_ids: string[] }[] = await tx.manager.query(
        `WITH target AS (
           SELECT t.id,
                  t.opened_at + make_interval(mins => coalesce(pc.response_minutes, pd.response_minutes)) AS response_due_at,
                  t.opened_at + make_interval(mins => coalesce(pc.resolution_minutes, pd.resolution_minutes)) AS resolution_due_at
             FROM ticket t
             LEFT JOIN service_category c ON c.organisation_id = t.organisation_id AND lower(c.name) = lower(t.category)
             LEFT JOIN sla_policy pc ON pc.organisation_id = t.organisation_id AND pc.category_id = c.id AND pc.priority = t.priority
             LEFT JOIN sla_policy pd ON pd.organisation_id = t.organisation_id AND pd.category_id IS NULL AND pd.priority = t.priority
            WHERE t.organisation_id = $1 AND ${OPEN_SQL}),
         changed AS (
           UPDATE ticket t SET response_due_at = x.response_due_at, resolution_due_at = x.resolution_due_at
             FROM target x
            WHERE t.id = x.id AND (t.response_due_at, t.resolution_due_at) IS DISTINCT FROM (x.response_due_at, x.resolution_due_at)
            RETURNING t.group_id)
         SELECT count(*)::int AS changed, coalesce(array_agg(DISTINCT group_id), '{}') AS group_ids FROM changed`,
        [organisationId],
      );
      const ticketsChanged = row.changed;
      tx.audit({ action: 'slaPolicy.reapplied', entityType: 'Organisation', entityId: organisationId, after: { ticketsChanged } });
      // Open ticket pages re-read their groups (breach counts); the readers of every changed ticket hear of it.
      // All the group ids go in, for their scopes; boundedTicketEvent keeps the event within a NOTIFY payload.
      if (ticketsChanged > 0) await announceGroupsChanged(this.bus, tx, actor, row.group_ids);
      return { ticketsChanged };
    });
  }
}
