import type { Loaders } from '../loaders.js';
import { type Actor, canRead } from '../access/index.js';
import type { GateRequest } from './governance.entities.js';

/**
 * The gate requests of a list that the actor may read: a review of a wide scope (the organisation) is visible to
 * everyone below it, but its agenda only shows each person the requests of measures they may read.
 */
export async function readableRequests(actor: Actor, requests: GateRequest[], loaders: Pick<Loaders, 'measure'>): Promise<GateRequest[]> {
  const measures = await loaders.measure.loadMany(requests.map((r) => r.measureId));
  return requests.filter((r, i) => {
    const m = measures[i];
    return m != null && !(m instanceof Error) && canRead(actor, r.path, [m.ownerId, m.sponsorId, m.controllerId]);
  });
}
