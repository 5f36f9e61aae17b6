import type { DataSource } from 'typeorm';

/** What a table's column must agree on between its entity and the migrated database. */
export interface ColumnShape {
  /** PostgreSQL's own spelling with modifiers and array brackets: `numeric(15,2)`, `uuid[]`, `timestamp with time zone`. */
  type: string;
  nullable: boolean;
}

/** Table name to column name to shape. */
export type TableShapes = Map<string, Map<string, ColumnShape>>;

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** The tables and columns the TypeORM entities declare, with their types as PostgreSQL would spell them. */
export function entityShapes(dataSource: DataSource): TableShapes {
  const tables: TableShapes = new Map();
  for (const entity of dataSource.entityMetadatas) {
    const columns = new Map<string, ColumnShape>();
    for (const column of entity.columns) {
      let type = dataSource.driver.normalizeType(column);
      // Modifiers count only where the entity states them; an unstated precision is TypeORM's plain `numeric`.
      if (column.precision !== undefined && column.precision !== null) type += `(${column.precision},${column.scale ?? 0})`;
      else if (column.length) type += `(${column.length})`;
      if (column.isArray) type += '[]';
      columns.set(column.databaseName, { type, nullable: column.isNullable });
    }
    tables.set(entity.tableName, columns);
  }
  return tables;
}

/** The tables and columns of the database's `public` schema. */
export async function databaseShapes(query: Query): Promise<TableShapes> {
  const rows = await query(`
    SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
     ORDER BY 1, a.attnum`);
  const tables: TableShapes = new Map();
  for (const r of rows) {
    const table = String(r.table);
    if (!tables.has(table)) tables.set(table, new Map());
    tables.get(table)!.set(String(r.column), { type: String(r.type), nullable: r.nullable === true });
  }
  return tables;
}

/**
 * Where the entities and the database disagree, one sentence each (empty when they agree): a table or column on
 * one side only, or a column whose type or nullability differs. `databaseOnlyTables` are tables only the
 * migrations and raw SQL know (the caller says why for each).
 */
export function schemaDrift(entities: TableShapes, database: TableShapes, databaseOnlyTables: ReadonlySet<string>): string[] {
  const drift: string[] = [];
  for (const [table, columns] of entities) {
    const actual = database.get(table);
    if (!actual) {
      drift.push(`table ${table}: declared by an entity, not created by the migrations`);
      continue;
    }
    if (databaseOnlyTables.has(table)) drift.push(`table ${table}: has an entity, so it must leave the list of tables without one`);
    for (const [name, declared] of columns) {
      const found = actual.get(name);
      if (!found) drift.push(`${table}.${name}: declared by the entity, not in the database`);
      else {
        if (found.type !== declared.type) drift.push(`${table}.${name}: the entity says ${declared.type}, the database has ${found.type}`);
        if (found.nullable !== declared.nullable) {
          drift.push(`${table}.${name}: the entity says ${declared.nullable ? 'nullable' : 'NOT NULL'}, the database has ${found.nullable ? 'nullable' : 'NOT NULL'}`);
        }
      }
    }
    for (const name of actual.keys()) if (!columns.has(name)) drift.push(`${table}.${name}: in the database, not declared by the entity`);
  }
  for (const table of database.keys()) {
    if (!entities.has(table) && !databaseOnlyTables.has(table)) drift.push(`table ${table}: created by the migrations, has no entity and is not listed as such`);
  }
  for (const table of databaseOnlyTables) {
    if (!database.has(table)) drift.push(`table ${table}: listed as a table without an entity, but the migrations do not create it`);
  }
  return drift;
}

/**
 * Everything a migration creates in the `public` schema, as sorted lines: tables, columns (name, type,
 * nullability, default; not their position, which a re-added column cannot keep), constraints, indexes,
 * triggers, functions, sequences and views, and the database's extensions. Two equal snapshots are one schema.
 */
export async function schemaSnapshot(query: Query): Promise<string[]> {
  const parts = await Promise.all([
    query(`SELECT 'relation ' || c.relname || ' (' || c.relkind::text || ')' AS line
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`),
    query(`SELECT 'column ' || table_name || '.' || column_name || ' ' || format_type(a.atttypid, a.atttypmod)
                  || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || column_default, '') AS line
             FROM information_schema.columns ic
             JOIN pg_attribute a ON a.attrelid = format('public.%I', ic.table_name)::regclass AND a.attname = ic.column_name
            WHERE ic.table_schema = 'public'`),
    query(`SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public'`),
    query(`SELECT 'index ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public'`),
    query(`SELECT 'trigger ' || pg_get_triggerdef(t.oid) AS line
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND NOT t.tgisinternal`),
    // An extension's own functions (uuid-ossp's, installed into public) count as the extension, not one by one.
    query(`SELECT 'function ' || pg_get_functiondef(p.oid) AS line
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`),
    query(`SELECT 'extension ' || extname AS line FROM pg_extension`),
  ]);
  return parts
    .flat()
    .map((r) => String(r.line))
    .sort();
}
