import { ConfigError, loadConfig } from '../config/config.js';
import { databaseTarget, openDatabase } from '../open-database.js';

/**
 * `npm run migrate`: runs the migrations and exits. With MIGRATION_DATABASE_URL it migrates as that owner role
 * and grants DATABASE_URL's role what the application needs; a deployment runs it once before the application
 * (docker-compose.yml's `migrate` service), so the application's containers never hold the owner's password.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(databaseTarget(config.database));
  try {
    const ran = await db.migrate();
    console.log(ran.length ? `Applied migrations ${ran.join(', ')}` : 'The database schema is up to date.');
    if (config.database.kind === 'postgres' && config.database.migrationUrl) console.log('Granted the application role its privileges.');
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : `Migrating failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
