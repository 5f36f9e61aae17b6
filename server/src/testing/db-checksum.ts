import type { DataSource } from 'typeorm';

/**
 * A fingerprint of every application table's content, to prove that a refused call changed nothing. Session
 * bookkeeping (last seen) is left out: reading refreshes it by design; so is the sign-in throttle, which counts
 * refused sign-ins by design.
 */
export async function databaseChecksum(dataSource: DataSource): Promise<string> {
  const tables: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('user_session', 'login_throttle')
      ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const [{ sum }] = await dataSource.query(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') AS sum FROM "${table_name}" t`);
    parts.push(`${table_name}:${sum}`);
  }
  return parts.join(' ');
}
