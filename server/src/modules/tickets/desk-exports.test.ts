import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../events/event-bus.js';
import { exportFile } from '../../testing/fixtures.js';
import { readPlainCsv } from '../../testing/plain-csv.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { openTicketFile, type TicketFileOptions } from './parsing/ticket-formats.js';
import { TicketImportService } from './ticket-import.service.js';

/**
 * Every real export under test/fixtures/exports imported as it is (no format named: recognised), and what is
 * stored compared with counts read by a plain CSV reader and rules written here by hand: which column holds the
 * id, and which of the desk's own words mean done.
 */
interface Expectation {
  file: string;
  delimiter?: string;
  encoding?: string;
  source: string;
  format: string;
  id: string;
  /** Whether a row (the latest one of its ticket) says the ticket is done. */
  done: (row: Record<string, string>) => boolean;
  /** Picks a ticket's latest row among several (audit logs). */
  newer?: (a: Record<string, string>, b: Record<string, string>) => boolean;
  options?: TicketFileOptions;
}

const has = (v: string | undefined) => v !== undefined && v.trim() !== '' && v.trim() !== '?';
const ddmmyyyy = (v: string) => v.replace(/^(\d\d)-(\d\d)-(\d{4}) (.*)$/, '$3-$2-$1 $4');

const EXPORTS: Expectation[] = [
  {
    file: 'servicenow/incident-event-log.csv',
    source: 'SERVICENOW',
    format: 'servicenow',
    id: 'number',
    done: (r) => has(r.resolved_at) || has(r.closed_at) || ['Resolved', 'Closed'].includes(r.incident_state),
    newer: (a, b) => Number(a.sys_mod_count) > Number(b.sys_mod_count) || (a.sys_mod_count === b.sys_mod_count && ddmmyyyy(a.sys_updated_at) >= ddmmyyyy(b.sys_updated_at)),
  },
  { file: 'servicenow/list-export-us-dates.csv', source: 'SERVICENOW', format: 'servicenow', id: 'number', done: (r) => ['Closed', 'Resolved', 'Canceled'].includes(r.state) },
  { file: 'servicenow/table-export-windows-1252.csv', encoding: 'windows-1252', source: 'SERVICENOW', format: 'servicenow', id: 'number', done: (r) => ['Closed', 'Resolved'].includes(r.incident_state) },
  { file: 'jira-cloud/english.csv', source: 'JIRA', format: 'jira', id: 'Issue key', done: (r) => r['Status Category'] === 'Done' || has(r.Resolved) },
  { file: 'jira-cloud/spanish.csv', source: 'JIRA', format: 'jira', id: 'Clave de incidencia', done: (r) => r.Estado === 'Finalizada' },
  { file: 'jira-service-management/spanish.csv', source: 'JIRA', format: 'jira', id: 'Clave de incidencia', done: (r) => r['Categoría de estado'] === 'Listo' },
  { file: 'jira-server/english.csv', source: 'JIRA', format: 'jira', id: 'Issue key', done: (r) => r.Status === 'Done' || has(r.Resolved) },
  { file: 'jira-server/spreadsheet-saved.csv', source: 'JIRA', format: 'jira', id: 'Issue key', done: (r) => r.Status === 'Closed' || has(r.Resolved) },
  { file: 'glpi/portuguese.csv', delimiter: ';', source: 'GLPI', format: 'glpi', id: 'ID', done: (r) => ['Fechado', 'Solucionado'].includes(r.Status) },
  { file: 'glpi/english.csv', delimiter: ';', source: 'GLPI', format: 'glpi', id: 'ID', done: (r) => ['Solved', 'Closed'].includes(r.Status) || has(r['Closing Date']) || has(r['Resolution Date']) },
  { file: 'zendesk/portuguese-api.csv', source: 'ZENDESK', format: 'zendesk', id: 'ID do Ticket', done: (r) => ['solved', 'closed'].includes(r.Status) },
];

/** Tickets, done tickets and empty rows as the plain reader and the rules above count them. */
function expected(e: Expectation) {
  const { rows } = readPlainCsv(exportFile(e.file), { delimiter: e.delimiter, encoding: e.encoding });
  const filled = rows.filter((r) => Object.values(r).some((v) => v.trim() !== ''));
  const latest = new Map<string, Record<string, string>>();
  for (const r of filled) {
    // GLPI writes 2553 as "2 553"; the id is the number.
    const id = r[e.id].trim().replace(/^(\d{1,3})(?: (\d{3}))+$/, (m) => m.replace(/ /g, ''));
    const current = latest.get(id);
    if (!current || !e.newer || e.newer(r, current)) latest.set(id, r);
  }
  return { ids: [...latest.keys()], tickets: latest.size, done: [...latest.values()].filter(e.done).length, empty: rows.length - filled.length };
}

let t: TestApp;
let importer: TicketImportService;
let organisationId: string;
beforeAll(async () => {
  t = await startTestApp();
  importer = new TicketImportService(t.db.dataSource, new LocalEventBus());
  organisationId = (await t.db.dataSource.query(`SELECT id FROM organisation ORDER BY created_at LIMIT 1`))[0].id;
});
afterAll(async () => t?.close());

/** The import as the command line runs it: recognised, read in batches, each batch one transaction. */
async function importFile(file: string, options: TicketFileOptions = {}) {
  const ticketFile = await openTicketFile(exportFile(file), options);
  const { totals } = await importer.importRows({ userId: null, organisationId }, ticketFile.source, ticketFile.batches, { origin: file, batchSize: 2000, keepRejections: 0 });
  return { ticketFile, rows: totals.rows, rejected: totals.rejected };
}

async function stored(source: string, ids: string[]) {
  const [row] = await t.db.dataSource.query(
    `SELECT count(*)::int AS tickets, (count(*) FILTER (WHERE NOT (resolved_at IS NULL AND closed_at IS NULL AND state_category NOT IN ('RESOLVED','CLOSED'))))::int AS done
       FROM ticket WHERE organisation_id = $1 AND source = $2 AND external_id = ANY($3)`,
    [organisationId, source, ids],
  );
  return row as { tickets: number; done: number };
}

describe('real service-desk exports, imported as they are', () => {
  for (const e of EXPORTS) {
    it(`imports ${e.file}: its tickets, the ones its desk calls done, no rejection`, async () => {
      // Setup
      const want = expected(e);

      // Action
      const { ticketFile, rejected } = await importFile(e.file, e.options);

      // Assert
      expect(ticketFile.format).toBe(e.format);
      expect(rejected).toBe(0);
      expect(ticketFile.emptyRows).toBe(want.empty);
      expect(await stored(e.source, want.ids)).toEqual({ tickets: want.tickets, done: want.done });
    });
  }

  it('reads the Windows-1252 export as Windows-1252, not as broken UTF-8', async () => {
    const [row] = await t.db.dataSource.query(`SELECT summary FROM ticket WHERE summary LIKE 'HOLDING FAMILIAR%'`);
    expect(row.summary).toBe('HOLDING FAMILIAR – CONHEÇA SUAS VANTAGENS – SUCESSO DE PÚBLICO!');
  });

  it('keeps GLPI\'s "Média" as MODERATE and Zendesk\'s "normal" as MODERATE, with the desk\'s words beside them', async () => {
    const rows: { priority: string; source_priority: string }[] = await t.db.dataSource.query(
      `SELECT DISTINCT priority, source_priority FROM ticket WHERE source IN ('GLPI','ZENDESK') AND source_priority IN ('Média', 'normal') ORDER BY 2`,
    );
    expect(rows).toEqual([
      { priority: 'MODERATE', source_priority: 'Média' },
      { priority: 'MODERATE', source_priority: 'normal' },
    ]);
  });
});

describe('an older and a newer export of the same tickets', () => {
  const OLDER = 'servicenow/label-export-older.csv';
  const NEWER = 'servicenow/label-export-newer.csv';
  /** Each ticket's state in whichever export updated it last ("Last update", MM-DD-YYYY), by the plain reader. */
  function latestStates(): Map<string, string> {
    const when = (v: string) => v.replace(/^(\d\d)-(\d\d)-(\d{4}) (.*)$/, '$3-$1-$2 $4');
    const best = new Map<string, { at: string; state: string }>();
    for (const file of [OLDER, NEWER]) {
      for (const r of readPlainCsv(exportFile(file)).rows) {
        const current = best.get(r.Number);
        if (!current || when(r['Last update']) > current.at) best.set(r.Number, { at: when(r['Last update']), state: r.State });
      }
    }
    return new Map([...best].map(([id, v]) => [id, v.state]));
  }
  const states = async (ids: string[]) =>
    new Map(
      ((await t.db.dataSource.query(`SELECT external_id, state FROM ticket WHERE organisation_id = $1 AND source = 'SERVICENOW' AND external_id = ANY($2)`, [organisationId, ids])) as {
        external_id: string;
        state: string;
      }[]).map((r) => [r.external_id, r.state]),
    );

  for (const order of [[OLDER, NEWER], [NEWER, OLDER]]) {
    it(`ends with the newer state when imported ${order[0] === OLDER ? 'older first' : 'newer first'}`, async () => {
      // Setup: none of these tickets stored yet.
      const want = latestStates();
      const ids = [...want.keys()];
      await t.db.dataSource.query(`DELETE FROM ticket WHERE source = 'SERVICENOW' AND external_id = ANY($1)`, [ids]);
      const changedInNewer = [...want].filter(([id, state]) => readPlainCsv(exportFile(OLDER)).rows.some((r) => r.Number === id && r.State !== state));
      expect(changedInNewer.length).toBeGreaterThan(0);

      // Action
      for (const file of order) expect((await importFile(file)).rejected).toBe(0);

      // Assert
      expect(await states(ids)).toEqual(want);
    });
  }
});
