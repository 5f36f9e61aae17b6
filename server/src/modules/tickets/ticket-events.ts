import { type Tx } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor } from '../access/index.js';
import { boundedTicketEvent, scopeIdsOfGroups } from './ticket-scope.js';

/** Announces changed groups to the readers of their tickets' scopes (of every ticket's, for `all`). */
export async function announceGroupsChanged(bus: EventBus, tx: Tx, actor: Actor, groupIds: string[], scopes: 'groups' | 'all' = 'groups'): Promise<void> {
  const scopeIds = await scopeIdsOfGroups(tx.manager, actor.organisation.id, scopes === 'all' ? 'all' : groupIds);
  tx.afterCommit(() => bus.publish(boundedTicketEvent({ topic: 'ticketGroupsChanged', organisationId: actor.organisation.id, groupIds, inserted: 0, updated: 0, scopeIds, counts: [], at: new Date().toISOString() })));
}
