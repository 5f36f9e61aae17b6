import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MeasureImportReport } from '@gatehouse/shared';
import type { Config } from '../config/config.js';
import type { Database } from '../open-database.js';
import { LocalEventBus } from '../events/event-bus.js';
import { MeasureImportService } from '../modules/measures/measure-import.service.js';
import { MeasuresService } from '../modules/measures/measures.service.js';
import { AuthService } from '../modules/users/auth.service.js';
import { RemoteImporter } from './remote-importer.js';

export const MEASURE_USAGE = `Usage: npm run import -- measures FILE.xlsx|FILE.csv [--dry-run] [--user EMAIL] [--url URL] [--quiet]

Imports measures from a spreadsheet in the shape the dashboard's export writes (docs/api.md, "Measure import"):
one row a measure, idempotent by its code (a row without one matches the measure of the same title in its
package, else creates it), with monthly plan/forecast/actual/one-off values, milestones and people by e-mail.
--dry-run lists what would be created and changed and every bad row (row, column, reason), writing nothing.
The import acts as --user (default: the organisation's first admin) with that person's roles and scope: a row
they may not write is a bad row. With --url it uploads the file to a running Gatehouse (POST /imports/measures),
signed in as --user with the password in GATEHOUSE_PASSWORD.`;

export class MeasureUsageError extends Error {}

/** Opens the configured database; the ticket import's opener, passed in to keep one. */
export type OpenLocal = () => Promise<{ db: Database; config: Config }>;

export async function runMeasureImport(argv: string[], openLocal: OpenLocal, out: NodeJS.WriteStream = process.stdout): Promise<MeasureImportReport | null> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      user: { type: 'string' },
      url: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out.write(`${MEASURE_USAGE}\n`);
    return null;
  }
  const [, file] = positionals;
  if (!file || positionals.length > 2) throw new MeasureUsageError(MEASURE_USAGE);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Error(`${file} is not a file`);
  if (values.url && !values.user) throw new MeasureUsageError('--url needs --user (the password comes from GATEHOUSE_PASSWORD).');
  const dryRun = values['dry-run'];
  const progress = (done: number, total: number) => {
    if (!values.quiet && total > 0) process.stderr.write(`${dryRun ? 'checked' : 'written'} ${done} of ${total} measures (${Math.round((done / total) * 100)} %)\n`);
  };
  let report: MeasureImportReport;
  let as: string;
  if (values.url) {
    const remote = await RemoteImporter.connect(values.url, values.user!, process.env.GATEHOUSE_PASSWORD ?? '');
    try {
      report = await remote.uploadMeasures(file, dryRun, (_done, percent) => !values.quiet && process.stderr.write(`${percent} %\n`));
    } finally {
      await remote.close();
    }
    as = values.user!;
  } else {
    const { db, config } = await openLocal();
    try {
      const bus = new LocalEventBus();
      const auth = new AuthService(db.dataSource, config.session, bus, config.loginThrottle);
      let email = values.user;
      if (!email) {
        const [admin]: { email: string }[] = await db.dataSource.query(
          `SELECT u.email FROM app_user u JOIN role_grant g ON g.user_id = u.id AND g.role = 'ADMIN' AND g.scope_id = u.organisation_id
            WHERE u.active ORDER BY u.created_at, u.email LIMIT 1`,
        );
        if (!admin) throw new MeasureUsageError('The database has no active admin: name the importing user with --user EMAIL.');
        email = admin.email;
      }
      const actor = await auth.actorByEmail(email);
      if (!actor) throw new MeasureUsageError(`No active user has the e-mail address ${email}.`);
      const importer = new MeasureImportService(db.dataSource, new MeasuresService(db.dataSource, bus));
      report = await importer.importFile(actor, fs.readFileSync(file), { dryRun, onProgress: progress });
      as = actor.email;
    } finally {
      await db.close();
    }
  }
  const origin = path.basename(file);
  out.write(
    `${origin}${report.dryRun ? ' (dry run, nothing written)' : ''} as ${as}: ${report.rows} rows: ` +
      `${report.dryRun ? 'would create' : 'created'} ${report.created}, ${report.dryRun ? 'would update' : 'updated'} ${report.updated}, unchanged ${report.unchanged}, bad ${report.rejected}\n`,
  );
  for (const p of report.plans) out.write(`  row ${p.row} ${p.code ?? '(new)'} ${p.action}: ${p.changes.join('; ')}\n`);
  for (const i of report.issues) out.write(`  row ${i.row}${i.column ? `, column ${i.column}` : ''}: ${i.code} ${i.reason}\n`);
  return report;
}
