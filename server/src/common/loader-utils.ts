import DataLoader from 'dataloader';
import { In, type DataSource, type ObjectLiteral } from 'typeorm';

/** Splits rows into one list per id, in the order of `ids` (what a DataLoader batch function must return). */
export function groupBy<T>(rows: T[], key: (row: T) => string, ids: readonly string[]): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(key(row))?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

export interface LoaderOptions {
  /** false for long-lived contexts (subscriptions): batch, but read fresh every time. */
  cache?: boolean;
}

/** A loader of rows by primary key `id`: one query per batch, results in the order asked. */
export function byIdLoader<T extends ObjectLiteral & { id: string }>(dataSource: DataSource, entity: new () => T, options: LoaderOptions = {}) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await dataSource.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }, options);
}

/** A loader of every row whose `key` column equals the id, one list per id, in `order`. */
export function manyLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: new () => T,
  key: keyof T & string,
  order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
  options: LoaderOptions = {},
) {
  return new DataLoader<string, T[]>(
    async (ids) =>
      groupBy(await dataSource.getRepository(entity).find({ where: { [key]: In([...ids]) } as never, order: order as never }), (r) => String(r[key]), ids),
    options,
  );
}
