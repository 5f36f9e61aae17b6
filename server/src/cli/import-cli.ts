import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importWarningText, isRowRejection, type RowRejection, type TicketRecord, type TicketSource } from '@gatehouse/shared';
import { ConfigError, loadConfig } from '../config/config.js';
import { DomainError } from '../common/domain-error.js';
import { databaseTarget, openDatabase } from '../database/database.js';
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

const USAGE = `Usage: npm run import -- tickets FILE.csv [--format ${TICKET_FORMATS.join('|')}] [--mapping FILE.json]
                       [--date-order dmy|mdy] [--time-zone Europe/Berlin] [--encoding windows-1252] [--delimiter semicolon]
                       [--batch 2000] [--url URL --user EMAIL] [--quiet]

Imports a service-desk export as the desk wrote it: its format, encoding, delimiter, header language and date
order are recognised (name them to override; a day/month order no date settles must be named). The rules are
importTickets': one ticket per source and external id, the latest update wins, a re-import changes nothing, a bad
row is reported with its line and reason, and an unknown state or priority is kept and reported as a warning.
Without --url it writes to the configured database (DATA_DIR or DATABASE_URL); with --url it sends the tickets
to a running Gatehouse as EMAIL (password from GATEHOUSE_PASSWORD).`;

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

type SinkResult = { inserted: number; updated: number; unchanged: number; slaDisagreements: number };

interface Sink {
  /**
   * Takes a batch and resolves once it is committed. Batches are written one at a time in the order they were
   * sent, and a batch sent after one that failed is not written; a sink may do its own work on a batch (the
   * local one prepares it) as soon as it is sent, while the batch before it is still being written.
   */
  send(source: TicketSource, batch: (TicketRecord | RowRejection)[], origin: string): Promise<SinkResult>;
  close(): Promise<void>;
}

/** Sends each batch once the one before it is committed (and never after one that failed). */
function oneAtATime(write: (source: TicketSource, batch: (TicketRecord | RowRejection)[], origin: string) => () => Promise<SinkResult>) {
  let previous: Promise<unknown> = Promise.resolve();
  return (source: TicketSource, batch: (TicketRecord | RowRejection)[], origin: string): Promise<SinkResult> => {
    const start = write(source, batch, origin);
    const result = previous.then(start);
    previous = result;
    return result;
  };
}

async function localSink(): Promise<Sink> {
  const config = loadConfig();
  if (config.database.kind === 'embedded') {
    const holder = readDataDirLock(config.database.dataDir);
    if (holder) throw new DataDirInUseError(config.database.dataDir, holder.pid, holder.url);
  }
  const db = await openDatabase(databaseTarget(config.database));
  await db.migrate();
  // A fresh database gets its organisation exactly as the server's first start would create it.
  try {
    await bootstrapOrganisation(db, config);
  } catch (e) {
    await db.close();
    throw e;
  }
  const orgs: { id: string }[] = await db.dataSource.query(`SELECT id FROM organisation ORDER BY created_at`);
  const importer = new TicketImportService(db.dataSource, new LocalEventBus());
  const actor = { userId: null, organisationId: orgs[0].id };
  return {
    // The batch is prepared (hashes, group keys: JavaScript only) now, while the database writes the one before.
    send: oneAtATime((source, batch, origin) => {
      const prepared = importer.prepareBatch(source, batch);
      return () => importer.writeBatch(actor, prepared, origin);
    }),
    close: () => db.close(),
  };
}

function remoteSink(remote: RemoteImporter): Sink {
  return {
    send: oneAtATime((source, batch) => () => remote.send(source, batch)),
    close: () => remote.close(),
  };
}

export async function runImport(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<ImportTotals> {
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

  const options = importOptions(
    { format: values.format, dateOrder: values['date-order'], timeZone: values['time-zone'], encoding: values.encoding, delimiter: values.delimiter },
    values.mapping ? await loadGenericMapping(values.mapping) : undefined,
  );
  const ticketFile = await openTicketFile(file, options);
  const source = ticketFile.source;
  const origin = path.basename(file);
  const size = fs.statSync(file).size;

  let sink: Sink;
  try {
    sink = values.url ? remoteSink(await RemoteImporter.connect(values.url, values.user!, process.env.GATEHOUSE_PASSWORD ?? '')) : await localSink();
  } catch (e) {
    ticketFile.close();
    throw e;
  }
  const progress = new ProgressBar(size, process.stderr, values.quiet);
  const totals: ImportTotals = { rows: 0, emptyRows: 0, warnings: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0 };
  const shown: RowRejection[] = [];
  let batch: (TicketRecord | RowRejection)[] = [];
  // Pipelined: the file is read and the next batch prepared while the database writes the last one sent. At
  // most one batch is being written and one waits for it, so memory stays bounded.
  let writing: Promise<void> | undefined;
  const heap = new HeapCeiling(HEAP_CEILING);
  if (!heap.enabled) {
    // Still imports correctly, only with a larger heap; said once so a large import's memory is not a surprise.
    process.stderr.write(`Note: node was started without ${IMPORT_NODE_FLAGS.join(' ')}; npm run import passes it to keep the heap under ${HEAP_CEILING / 2 ** 20} MB.\n`);
  }
  const flush = async () => {
    if (batch.length === 0) return;
    const sent = sink.send(source, batch, origin).then((r) => {
      totals.inserted += r.inserted;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
      totals.slaDisagreements += r.slaDisagreements;
      heap.check();
    });
    // Handled when awaited below; without this a failure noticed before then would end the process.
    sent.catch(() => undefined);
    batch = [];
    const before = writing;
    writing = sent;
    await before;
  };
  try {
    for await (const rows of ticketFile.batches) {
      for (const row of rows) {
        totals.rows++;
        if (isRowRejection(row.result)) {
          totals.rejected++;
          if (shown.length < 50) shown.push(row.result);
        } else {
          batch.push(row.result);
          if (batch.length >= batchSize) await flush();
        }
      }
      progress.update(totals.rows, rows.at(-1)?.bytes ?? 0);
    }
    await flush();
    await writing;
    progress.finish(totals.rows);
  } finally {
    ticketFile.close();
    // A batch still being written after a failure elsewhere is let finish (or fail) before the database closes.
    await writing?.catch(() => undefined);
    await sink.close();
  }
  const tickets = totals.rows - totals.rejected;
  totals.emptyRows = ticketFile.emptyRows;
  const warnings = ticketFile.warnings();
  totals.warnings = warnings.reduce((n, w) => n + w.count, 0);
  out.write(`${origin}: ${describeRecognition(ticketFile.recognition)}\n`);
  out.write(
    `${origin}: ${totals.rows} rows, ${tickets} ticket rows: inserted ${totals.inserted}, updated ${totals.updated}, unchanged ${totals.unchanged}, ` +
      `rejected ${totals.rejected}, empty ${totals.emptyRows}${totals.slaDisagreements ? `, SLA verdict disagreements ${totals.slaDisagreements}` : ''}\n`,
  );
  for (const w of warnings) out.write(`  warning: ${importWarningText(w)}\n`);
  for (const r of shown) out.write(`  line ${r.line}: ${r.reason}\n`);
  if (totals.rejected > shown.length) out.write(`  … and ${totals.rejected - shown.length} more rejected rows\n`);
  return totals;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  runImport(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => {
      if (e instanceof UsageError) {
        console.error(e.message);
        process.exit(2);
      }
      if (e instanceof DataDirInUseError) {
        const via = e.url ? `npm run import -- tickets FILE --format … --url ${e.url} --user YOUR_EMAIL (password in GATEHOUSE_PASSWORD)` : 'stop it first';
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
