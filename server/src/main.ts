import { createApp, type App } from './app.js';
import { bootstrapOrganisation } from './bootstrap.js';
import { passwordLinkUrl } from './modules/users/identity.service.js';
import { SETUP_LINK_HOURS } from '@gatehouse/shared';
import { ConfigError, loadConfig, refuseKnownCredentials, requireAuditSigningKey } from './config/config.js';
import { databaseTarget, openDatabase, type Database } from './open-database.js';
import { announceDataDirUrl, DataDirInUseError, embeddedDatabaseExists } from './database/embedded-postgres.js';
import { DEMO_ACCOUNTS, DEMO_SCOPED_ACCOUNTS } from './modules/demo/demo-catalogue.js';
import { createEventBus } from './events/create-event-bus.js';
import { createLogger, errorFields, logger, setLogger } from './observability/logger.js';

/** SIGTERM to exit: orchestrators kill after 10 s by default, so everything (drain, database close) fits in this. */
const SHUTDOWN_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  const config = loadConfig();
  setLogger(createLogger(config.logLevel));
  requireAuditSigningKey(config);
  refuseKnownCredentials(config);
  const log = (line: string) => logger.info(line);
  // The first start creates the database, its schema and the demo: say what is going on while it takes a while.
  const step = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    log(`Gatehouse: ${what}…`);
    const result = await work();
    const seconds = (Date.now() - started) / 1000;
    if (seconds >= 1) log(`Gatehouse:   done in ${seconds.toFixed(1)} s`);
    return result;
  };
  const target = config.database;
  const opening =
    target.kind !== 'embedded'
      ? 'connecting to the PostgreSQL database'
      : embeddedDatabaseExists(target.dataDir)
        ? `opening the embedded PostgreSQL (PGlite) database in ${target.dataDir}`
        : `creating the embedded PostgreSQL (PGlite) database in ${target.dataDir} (first start)`;
  const db: Database = await step(opening, () => openDatabase(databaseTarget(target), { logErrors: config.logLevel !== 'silent' }));
  const ran = await step('bringing the database schema up to date', () => db.migrate());
  if (ran.length) log(`Gatehouse: applied migrations ${ran.join(', ')}`);
  const booting = Date.now();
  const boot = await bootstrapOrganisation(db, config, (what) => log(`Gatehouse: ${what}…`));
  if (boot.kind === 'demo' || boot.kind === 'created') log(`Gatehouse:   done in ${((Date.now() - booting) / 1000).toFixed(1)} s`);
  const app = await step('starting the API, live updates and the web app', async () => createApp(config, db, await createEventBus(config)));
  const url = await app.listen(config.port, config.host);
  if (config.database.kind === 'embedded') announceDataDirUrl(config.database.dataDir, url);

  log(`Gatehouse is running at ${url} (GraphQL at ${url}/graphql)`);
  if (boot.kind === 'demo') log(`Loaded the demo organisation with ${boot.summary.measures} measures.`);
  if (boot.kind === 'created') log(`Created ${boot.organisation} with its first admin ${boot.adminEmail}.`);
  // The setup link is the first admin's one way in: it goes to the log, once, like a token shown once in the app.
  if ((boot.kind === 'created' || boot.kind === 'pendingSetup') && boot.setupToken) {
    log(
      `First admin setup: ${boot.adminEmail} chooses a password at ${passwordLinkUrl(config.publicUrl ?? url, boot.setupToken)} ` +
        `(one use, valid ${SETUP_LINK_HOURS} hours; a restart before it is used prints a new one and this one stops working).`,
    );
  }
  // The demo's shared password is in README.md; a log never carries a password, not even that one.
  if (config.demoData) {
    const accounts = [...DEMO_ACCOUNTS.map((a) => `${a.email} (${a.role} of the organisation)`), ...DEMO_SCOPED_ACCOUNTS.map((a) => `${a.email} (${a.role} of ${a.scope})`)];
    logger.info({ accounts }, 'Demo accounts: sign in with the password in README.md');
  }

  startCheckpointTimer(app, config.audit.checkpointMinutes, log);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`Gatehouse: ${signal} received, finishing in-flight requests…`);
    const force = setTimeout(() => {
      logger.error('Gatehouse: shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    try {
      await app.stop();
      await db.close();
      log('Gatehouse: stopped cleanly');
      process.exit(0);
    } catch (e) {
      logger.error(errorFields(e), 'Gatehouse: error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Signs every organisation's audit chain head at start and then every `minutes` (once per head on several instances). */
function startCheckpointTimer(app: App, minutes: number, log: (line: string) => void): void {
  const checkpoints = app.services.auditCheckpoints;
  if (!checkpoints.signer) {
    log('Gatehouse: no audit signing key (AUDIT_SIGNING_KEY_FILE): audit checkpoints are not signed');
    return;
  }
  log(`Gatehouse: audit checkpoints signed with key ${checkpoints.signer.keyId}${minutes > 0 ? `, every ${minutes} min` : ', on demand'}`);
  if (minutes === 0) return;
  const write = () => void checkpoints.writeDue().catch((e: unknown) => logger.error(errorFields(e), 'Gatehouse: writing audit checkpoints failed'));
  write();
  setInterval(write, minutes * 60_000).unref();
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirInUseError) {
    logger.error(`Gatehouse cannot start: ${e.message}`);
  } else {
    logger.error(errorFields(e), 'Gatehouse failed to start');
  }
  process.exit(1);
});
