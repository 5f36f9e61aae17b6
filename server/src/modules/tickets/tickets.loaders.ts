import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, groupBy, type LoaderOptions } from '../../common/loader-utils.js';
import { ServiceCategory, TicketGroup } from './tickets.entities.js';

export function createTicketLoaders(ds: DataSource, options: LoaderOptions = {}) {
  const links = (by: 'group_id' | 'measure_id', other: 'group_id' | 'measure_id') =>
    new DataLoader<string, string[]>(async (ids) => {
      const rows: Record<string, string>[] = await ds.query(
        `SELECT group_id, measure_id FROM ticket_group_link WHERE ${by} = ANY(CAST($1 AS uuid[])) ORDER BY linked_at`,
        [[...ids]],
      );
      return groupBy(rows, (r) => r[by], ids).map((list) => list.map((r) => r[other]));
    }, options);
  return {
    ticketGroup: byIdLoader(ds, TicketGroup, options),
    serviceCategory: byIdLoader(ds, ServiceCategory, options),
    measureIdsByGroup: links('group_id', 'measure_id'),
    groupIdsByMeasure: links('measure_id', 'group_id'),
  };
}
