import type { DataSource } from 'typeorm';

/** Tables the application may only read and append to: the audit trail, its head and its signed checkpoints. */
export const APPEND_ONLY_TABLES = ['audit_entry', 'audit_chain_head', 'audit_checkpoint'] as const;

/**
 * With separate roles on PostgreSQL (MIGRATION_DATABASE_URL), the owner that migrated grants the application's
 * role what it needs after every migration, so tables added later are covered: rows of the ordinary tables, only
 * SELECT and INSERT on the audit tables (the chain head moves through the owner's SECURITY DEFINER functions),
 * only SELECT on the migration history. Not owning the tables, the application's role cannot alter them, drop
 * or disable the append-only triggers, or change a grant.
 */
export async function grantApplicationRole(owner: DataSource, role: string): Promise<void> {
  const r = quoteIdent(role);
  const audit = APPEND_ONLY_TABLES.join(', ');
  await owner.transaction(async (m) => {
    await m.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await m.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`);
    await m.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
    await m.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM ${r}`);
    await m.query(`REVOKE UPDATE, DELETE ON ${audit} FROM ${r}`);
    await m.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
    await m.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r}`);
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
