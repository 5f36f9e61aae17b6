import { ConfigError, type Config } from './config/config.js';
import type { Database } from './database/database.js';
import { loadDemoData, type DemoSummary } from './modules/demo/demo-data.js';
import { hashPassword } from './modules/users/password.js';
import { appendAuditEntries } from './database/audit-writer.js';
import { seedGateTemplate } from './modules/governance/gate-templates.service.js';
import { seedSlaPolicies } from './modules/tickets/sla.js';

export type BootstrapResult =
  | { kind: 'existing' }
  | { kind: 'demo'; summary: DemoSummary }
  | { kind: 'created'; organisation: string; adminEmail: string };

/**
 * The first start on an empty database: the demo organisation, or the configured organisation with its first
 * admin. An advisory lock keeps two instances starting together from both doing it.
 */
export async function bootstrapOrganisation(
  db: Database,
  config: Pick<Config, 'demoData' | 'bootstrap'>,
  progress: (what: string) => void = () => undefined,
): Promise<BootstrapResult> {
  return db.dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('gatehouse.bootstrap'))`);
    const [{ count }] = await manager.query(`SELECT count(*) AS count FROM organisation`);
    if (count > 0) return { kind: 'existing' };
    if (config.demoData) {
      progress('loading the demo organisation Northwind Services (first start): its measures, their history and ten months of service tickets');
      // The demo writes its own history, organisation.created first, to the audit trail.
      const summary = await loadDemoData(manager);
      return { kind: 'demo', summary };
    }
    const { orgName, currency, adminEmail, adminPassword } = config.bootstrap;
    if (!orgName || !adminEmail || !adminPassword) {
      throw new ConfigError(
        'The database is empty and demo data is off. Set ORG_NAME, ADMIN_EMAIL and ADMIN_PASSWORD (12+ characters) ' +
          'to create the organisation and its first admin, or DEMO_DATA=on to load the demo.',
      );
    }
    const [{ id: orgId }] = await manager.query(`INSERT INTO organisation (name, currency) VALUES ($1, $2) RETURNING id`, [
      orgName,
      currency,
    ]);
    const [{ id: userId }] = await manager.query(
      `INSERT INTO app_user (organisation_id, email, name, password_hash) VALUES ($1, lower($2), $3, $4) RETURNING id`,
      [orgId, adminEmail, 'Administrator', await hashPassword(adminPassword)],
    );
    await manager.query(`INSERT INTO role_grant (user_id, role, scope_id, scope_kind) VALUES ($1, 'ADMIN', $2, 'ORGANISATION')`, [
      userId,
      orgId,
    ]);
    await seedGateTemplate(manager, orgId, null);
    await seedSlaPolicies(manager, orgId);
    await appendAuditEntries(manager, { userId: null, organisationId: orgId }, [
      { action: 'organisation.created', entityType: 'Organisation', entityId: orgId, after: { name: orgName, currency, adminEmail } },
    ]);
    return { kind: 'created', organisation: orgName, adminEmail };
  });
}
