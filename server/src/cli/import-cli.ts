import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importWarningText, type FileRecognition, type ImportWarning, type RowRejection } from '@gatehouse/shared';
import { ConfigError, loadConfig } from '../config/config.js';
import { DomainError } from '../common/domain-error.js';
import { databaseTarget, openDatabase } from '../open-database.js';
import { DataDirInUseError, readDataDirLock } from '../database/embedded-postgres.js';
import { LocalEventBus } from '../events/event-bus.js';
import { loadGenericMapping } from '../modules/tickets/parsing/generic-format.js';
import { importOptions } from '../modules/tickets/parsing/import-options.js';
import { describeRecognition, openTicketFile, TICKET_FORMATS } from '../modules/tickets/parsing/ticket-formats.js';
import { TicketImportService } from '../modules/tickets/ticket-import.service.js';
import { HeapCeiling, IMPORT_NODE_FLAGS } from './heap-ceiling.js';
import { ProgressBar } from './progress.js';
import { bootstrapOrganisation } from '../bootstrap.js';
import { RemoteImporter } from './remote-importer.js';
import { MeasureUsageError, runMeasureImport } from './measure-import-cli.js';

const USAGE = `Usage: npm run import -- measures FILE.xlsx|FILE.csv [--dry-run] (see --help after measures)
       npm run import -- tickets FILE.csv [--format ${TICKET_FORMATS.join('|')}] [--mapping FILE.json]
                       [--date-order dmy|mdy] [--time-zone Europe/Berlin] [--encoding windows-1252] [--delimiter semicolon]
                       [--batch 2000] [--url URL --user EMAIL] [--quiet]

Imports a service-desk export as the desk wrote it: its format, encoding, delimiter, header language and date
order are recognised (name them to override; a day/month order no date settles must be named). The rules are
importTickets': one ticket per source and external id, the latest update wins, a re-import changes nothing, a bad
row is reported with its line and reason, and an unknown state or priority is kept and reported as a warning.
Without --url it writes to the configured database (DATA_DIR or DATABASE_URL), --batch rows per transaction;
with --url it uploads the file to a running Gatehouse as the dashboard does (POST /imports/tickets), signed in
as EMAIL (password from GATEHOUSE_PASSWORD), and the server reads and imports it.`;

/** The heap an import may hold before it collects (see HeapCeiling): about 40 MB stay alive in an import. */
const HEAP_CEILING = 96 * 1024 * 1024;

/** Exit codes: 0 done (rejected rows are reported, not fatal), 1 the import could not run, 2 bad usage, 3 database in use. */
class UsageError extends Error {}

export interface ImportTotals {
  rows: number;
  emptyRows: number;
  warnings: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  slaDisagreements: number;
}

/** The configured database, opened for an import (refused while a server holds an embedded one). */
async function openLocal() {
  const config = loadConfig();
  if (config.database.kind === 'embedded') {
    const holder = readDataDirLock(config.database.dataDir);
    if (holder) throw new DataDirInUseError(config.database.dataDir, holder.pid, holder.url);
  }
  const db = await openDatabase(databaseTarget(config.database));
  try {
    await db.migrate();
    // A fresh database gets its organisation exactly as the server's first start would create it.
    await bootstrapOrganisation(db, config);
    const orgs: { id: string }[] = await db.dataSource.query(`SELECT id FROM organisation ORDER BY created_at`);
    return { db, actor: { userId: null, organisationId: orgs[0].id } };
  } catch (e) {
    await db.close();
    throw e;
  }
}

export async function runImport(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<ImportTotals> {
  if (argv.find((a) => !a.startsWith('-')) === 'measures') {
    await runMeasureImport(argv, async () => {
      const local = await openLocal();
      return { db: local.db, config: loadConfig() };
    }, out);
    return { rows: 0, emptyRows: 0, warnings: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0 };
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      mapping: { type: 'string' },
      'date-order': { type: 'string' },
      'time-zone': { type: 'string' },
      encoding: { type: 'string' },
      delimiter: { type: 'string' },
      batch: { type: 'string', default: '2000' },
      url: { type: 'string' },
      user: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out.write(`${USAGE}\n`);
    return { rows: 0, emptyRows: 0, warnings: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0 };
  }
  const [what, file] = positionals;
  if (what !== 'tickets' || !file || positionals.length > 2) throw new UsageError(USAGE);
  if (values.format && !TICKET_FORMATS.includes(values.format as (typeof TICKET_FORMATS)[number])) {
    throw new UsageError(`Unknown format "${values.format}": use ${TICKET_FORMATS.join(', ')}, or leave it out to have it recognised.`);
  }
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new UsageError('--batch must be 1 to 5000');
  if (Boolean(values.url) !== Boolean(values.user)) throw new UsageError('--url and --user go together (the password comes from GATEHOUSE_PASSWORD).');

  const optionText = { format: values.format, dateOrder: values['date-order'], timeZone: values['time-zone'], encoding: values.encoding, delimiter: values.delimiter };
  const mapping = values.mapping ? await loadGenericMapping(values.mapping) : undefined;
  // Checked here either way, so that a bad option is a usage error before anything is sent or opened.
  const options = importOptions(optionText, mapping);
  const origin = path.basename(file);
  const size = fs.statSync(file).size;
  const progress = new ProgressBar(size, process.stderr, values.quiet);
  const totals: ImportTotals = { rows: 0, emptyRows: 0, warnings: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0 };
  let recognition: FileRecognition | null;
  let warnings: ImportWarning[];
  let shown: RowRejection[];

  if (values.url) {
    // Through a running server: the file goes to the upload route the dashboard uses, which reads and imports it.
    if (!fs.statSync(file).isFile()) throw new Error(`${file} is not a file`);
    const params = new URLSearchParams({ name: origin });
    for (const [key, value] of Object.entries(optionText)) if (value) params.set(key, value);
    if (mapping) params.set('mapping', JSON.stringify(mapping));
    const remote = await RemoteImporter.connect(values.url, values.user!, process.env.GATEHOUSE_PASSWORD ?? '');
    try {
      const result = await remote.upload(file, params, (rows, bytes) => progress.update(rows, bytes));
      progress.finish(result.rows);
      Object.assign(totals, pick(result));
      totals.emptyRows = result.emptyRows;
      ({ recognition, warnings } = result);
      shown = result.rejections.slice(0, 50);
    } finally {
      await remote.close();
    }
  } else {
    const ticketFile = await openTicketFile(file, options);
    let local: Awaited<ReturnType<typeof openLocal>>;
    try {
      local = await openLocal();
    } catch (e) {
      ticketFile.close();
      throw e;
    }
    const heap = new HeapCeiling(HEAP_CEILING);
    if (!heap.enabled) {
      // Still imports correctly, only with a larger heap; said once so a large import's memory is not a surprise.
      process.stderr.write(`Note: node was started without ${IMPORT_NODE_FLAGS.join(' ')}; npm run import passes it to keep the heap under ${HEAP_CEILING / 2 ** 20} MB.\n`);
    }
    try {
      const importer = new TicketImportService(local.db.dataSource, new LocalEventBus());
      const run = await importer.importRows(local.actor, ticketFile.source, ticketFile.batches, {
        origin,
        batchSize,
        keepRejections: 50,
        onRows: (t, bytes) => {
          progress.update(t.rows, bytes);
          // Checked as each chunk of rows is read, which happens while the database writes the batch before:
          // a collection then costs the import nothing. After each committed batch (as it was) it held up
          // the next batch's statements, some 60 times in a million rows.
          heap.check();
        },
      });
      progress.finish(run.totals.rows);
      Object.assign(totals, pick(run.totals));
      shown = run.rejections;
    } finally {
      ticketFile.close();
      await local.db.close();
    }
    totals.emptyRows = ticketFile.emptyRows;
    recognition = ticketFile.recognition;
    warnings = ticketFile.warnings();
  }
  const tickets = totals.rows - totals.rejected;
  totals.warnings = warnings.reduce((n, w) => n + w.count, 0);
  if (recognition) out.write(`${origin}: ${describeRecognition(recognition)}\n`);
  out.write(
    `${origin}: ${totals.rows} rows, ${tickets} ticket rows: inserted ${totals.inserted}, updated ${totals.updated}, unchanged ${totals.unchanged}, ` +
      `rejected ${totals.rejected}, empty ${totals.emptyRows}${totals.slaDisagreements ? `, SLA verdict disagreements ${totals.slaDisagreements}` : ''}\n`,
  );
  for (const w of warnings) out.write(`  warning: ${importWarningText(w)}\n`);
  for (const r of shown) out.write(`  line ${r.line}: ${r.reason}\n`);
  if (totals.rejected > shown.length) out.write(`  … and ${totals.rejected - shown.length} more rejected rows\n`);
  return totals;
}

/** The counts an import reports, from the server's answer or the local run. */
function pick(t: Pick<ImportTotals, 'rows' | 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'slaDisagreements'>) {
  return { rows: t.rows, inserted: t.inserted, updated: t.updated, unchanged: t.unchanged, rejected: t.rejected, slaDisagreements: t.slaDisagreements };
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  runImport(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => {
      if (e instanceof UsageError || e instanceof MeasureUsageError) {
        console.error(e.message);
        process.exit(2);
      }
      if (e instanceof DataDirInUseError) {
        const what = process.argv.slice(2).find((a) => !a.startsWith('-')) === 'measures' ? 'measures FILE' : 'tickets FILE --format …';
        const via = e.url ? `npm run import -- ${what} --url ${e.url} --user YOUR_EMAIL (password in GATEHOUSE_PASSWORD)` : 'stop it first';
        console.error(`${e.message}\nTo import while it runs: ${via}`);
        process.exit(3);
      }
      if (e instanceof DomainError || e instanceof ConfigError) {
        console.error(`Import failed: ${e.message}`);
        process.exit(1);
      }
      console.error('Import failed:', e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
