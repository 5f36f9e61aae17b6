import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, groupBy, type LoaderOptions } from '../../common/loader-utils.js';
import { ServiceCategory, TicketGroup } from './tickets.entities.js';
import { BREACHED_SQL } from './ticket-sql.js';

export function createTicketLoaders(ds: DataSource, options: LoaderOptions = {}) {
  const links = (by: 'group_id' | 'measure_id', other: 'group_id' | 'measure_id') =>
    new DataLoader<string, string[]>(async (ids) => {
      const rows: Record<string, string>[] = await ds.query(
        `SELECT group_id, measure_id FROM ticket_group_link WHERE ${by} = ANY(CAST($1 AS uuid[])) ORDER BY linked_at`,
        [[...ids]],
      );
      return groupBy(rows, (r) => r[by], ids).map((list) => list.map((r) => r[other]));
    }, options);
  // Tickets of each group that breached their resolution SLA: one statement for a page of groups.
  const breachedCountByGroup = new DataLoader<string, number>(async (ids) => {
    const rows: { group_id: string; n: number }[] = await ds.query(
      `SELECT t.group_id, count(*)::int AS n FROM ticket t WHERE t.group_id = ANY(CAST($1 AS uuid[])) AND ${BREACHED_SQL} GROUP BY t.group_id`,
      [[...ids]],
    );
    const byGroup = new Map(rows.map((r) => [r.group_id, r.n]));
    return ids.map((id) => byGroup.get(id) ?? 0);
  }, options);
  return {
    breachedCountByGroup,
    ticketGroup: byIdLoader(ds, TicketGroup, options),
    serviceCategory: byIdLoader(ds, ServiceCategory, options),
    measureIdsByGroup: links('group_id', 'measure_id'),
    groupIdsByMeasure: links('measure_id', 'group_id'),
  };
}
