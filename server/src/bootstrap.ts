import { ConfigError, type Config } from './config/config.js';
import type { Database } from './database/database.js';
import { loadDemoData, type DemoSummary } from './modules/demo/demo-data.js';
import { hashPassword } from './modules/users/password.js';
import { issuePasswordLink } from './modules/users/identity.service.js';
import { SETUP_LINK_HOURS } from '@gatehouse/shared';
import { appendAuditEntries } from './database/audit-writer.js';
import { seedGateTemplate } from './modules/governance/gate-templates.service.js';
import { seedSlaPolicies } from './modules/tickets/sla.js';

export type BootstrapResult =
  | { kind: 'existing' }
  | { kind: 'demo'; summary: DemoSummary }
  | { kind: 'created'; organisation: string; adminEmail: string; setupToken?: string }
  /** The first admin has not chosen a password yet: a fresh setup link (the earlier one stops working). */
  | { kind: 'pendingSetup'; adminEmail: string; setupToken: string };

/**
 * The first start on an empty database: the demo organisation, or the configured organisation with its first
 * admin. An advisory lock keeps two instances starting together from both doing it. Without ADMIN_PASSWORD the
 * first admin gets a one-time setup link (72 hours) to choose their password; with it, they must change it at
 * first sign-in. Every later start, while no admin of the organisation has chosen a password yet, issues a fresh
 * setup link (a lost or expired one is no dead end).
 */
export async function bootstrapOrganisation(
  db: Database,
  config: Pick<Config, 'demoData' | 'bootstrap'>,
  progress: (what: string) => void = () => undefined,
): Promise<BootstrapResult> {
  return db.dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('gatehouse.bootstrap'))`);
    const [{ count }] = await manager.query(`SELECT count(*) AS count FROM organisation`);
    if (count > 0) {
      const pending: { id: string; email: string }[] = await manager.query(
        `SELECT u.id, u.email FROM app_user u JOIN role_grant g ON g.user_id = u.id AND g.role = 'ADMIN' AND g.scope_kind = 'ORGANISATION'
          WHERE u.active AND u.password_hash IS NULL
            AND NOT EXISTS (SELECT 1 FROM app_user a JOIN role_grant ag ON ag.user_id = a.id AND ag.role = 'ADMIN' AND ag.scope_kind = 'ORGANISATION'
                             WHERE a.active AND a.password_hash IS NOT NULL AND a.organisation_id = u.organisation_id)
          ORDER BY u.created_at LIMIT 1`,
      );
      if (pending.length === 0) return { kind: 'existing' };
      const { token } = await issuePasswordLink(manager, pending[0].id, 'SETUP', SETUP_LINK_HOURS, null);
      return { kind: 'pendingSetup', adminEmail: pending[0].email, setupToken: token };
    }
    if (config.demoData) {
      progress('loading the demo organisation Northwind Services (first start): its measures, their history and ten months of service tickets');
      // The demo writes its own history, organisation.created first, to the audit trail.
      const summary = await loadDemoData(manager);
      return { kind: 'demo', summary };
    }
    const { orgName, currency, adminEmail, adminPassword } = config.bootstrap;
    if (!orgName || !adminEmail) {
      throw new ConfigError(
        'The database is empty and demo data is off. Set ORG_NAME and ADMIN_EMAIL to create the organisation and its first ' +
          'admin (who gets a one-time setup link in this log; or set ADMIN_PASSWORD, 12+ characters, to be changed at first sign-in), ' +
          'or DEMO_DATA=on to load the demo.',
      );
    }
    const [{ id: orgId }] = await manager.query(`INSERT INTO organisation (name, currency) VALUES ($1, $2) RETURNING id`, [
      orgName,
      currency,
    ]);
    const [{ id: userId }] = await manager.query(
      `INSERT INTO app_user (organisation_id, email, name, password_hash, must_change_password, password_set_at)
       VALUES ($1, lower($2), $3, $4, $5, CASE WHEN $5 THEN now() END) RETURNING id`,
      [orgId, adminEmail, 'Administrator', adminPassword ? await hashPassword(adminPassword) : null, Boolean(adminPassword)],
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
    const setup = adminPassword ? undefined : await issuePasswordLink(manager, userId, 'SETUP', SETUP_LINK_HOURS, null);
    return { kind: 'created', organisation: orgName, adminEmail, ...(setup ? { setupToken: setup.token } : {}) };
  });
}
