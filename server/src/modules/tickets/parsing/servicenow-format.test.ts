import { SERVICENOW_LOG } from '../../../testing/fixtures.js';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isRowRejection, Priority, ticketSignature, TicketSource, TicketStateCategory, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import { collapseRevisions } from './collapse-revisions.js';
import { openCsvRecords } from './csv-records.js';
import { openTicketFile, type ParsedTicketRow } from './ticket-formats.js';

const SERVICENOW_FILE = SERVICENOW_LOG;

async function parseAll(source: string | Readable): Promise<{ records: TicketRecord[]; rejections: RowRejection[] }> {
  const file = await openTicketFile(source, { format: 'servicenow' });
  const records: TicketRecord[] = [];
  const rejections: RowRejection[] = [];
  for await (const row of file.rows) (isRowRejection(row.result) ? rejections : records).push(row.result as never);
  return { records, rejections };
}

const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\n') + '\n')]);

/** A fixed-seed shuffle (mulberry32), so that a failure can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('ServiceNow export', () => {
  it('reads every row of the real incident audit log', async () => {
    // Action
    const { records, rejections } = await parseAll(SERVICENOW_FILE);

    // Assert
    expect(rejections).toEqual([]);
    expect(records).toHaveLength(5998);
    expect(records[0]).toEqual({
      source: TicketSource.SERVICENOW,
      externalId: 'INC0000045',
      summary: 'Category 55 / Subcategory 170 / Symptom 72',
      category: 'Category 55',
      subcategory: 'Subcategory 170',
      symptom: 'Symptom 72',
      impact: '2 - Medium',
      urgency: '2 - Medium',
      priority: Priority.MODERATE,
      sourcePriority: '3 - Moderate',
      state: 'New',
      stateCategory: TicketStateCategory.OPEN,
      assignmentGroup: 'Group 56',
      requestingUnit: 'Location 143',
      openedAt: new Date('2016-02-29T01:16:00Z'),
      resolvedAt: new Date('2016-02-29T11:29:00Z'),
      closedAt: new Date('2016-03-05T12:00:00Z'),
      updatedAt: new Date('2016-02-29T01:23:00Z'),
      madeSla: true,
      revision: 0,
    });
  });

  it('collapses the audit log to 890 incidents, each in the state of its highest sys_mod_count, in any row order', async () => {
    // Setup: the expected state straight from the file: per incident the row with the highest sys_mod_count,
    // and of two such rows the later sys_updated_at.
    const expected = new Map<string, { state: string; modCount: number; updated: string; line: number }>();
    const updatedKey = (s: string) => s.replace(/^(\d\d)-(\d\d)-(\d{4}) (.*)$/, '$3$2$1 $4');
    for await (const row of await openCsvRecords(SERVICENOW_FILE)) {
      if (isRowRejection(row)) throw new Error(row.reason);
      const f = row.fields;
      const candidate = { state: f.incident_state, modCount: Number(f.sys_mod_count), updated: updatedKey(f.sys_updated_at), line: row.line };
      const current = expected.get(f.number);
      if (!current || candidate.modCount > current.modCount || (candidate.modCount === current.modCount && candidate.updated > current.updated)) {
        expected.set(f.number, candidate);
      }
    }
    const { records } = await parseAll(SERVICENOW_FILE);

    for (const order of [records, shuffled(records, 1), shuffled(records, 2), [...records].reverse()]) {
      // Action
      const tickets = collapseRevisions(order);

      // Assert
      expect(tickets).toHaveLength(890);
      for (const t of tickets) {
        const e = expected.get(t.externalId)!;
        expect({ id: t.externalId, state: t.state, revision: t.revision }).toEqual({ id: t.externalId, state: e.state, revision: e.modCount });
      }
    }
    // The one incident with two rows of its highest sys_mod_count ends Closed, not Active.
    expect(collapseRevisions(shuffled(records, 3)).find((t) => t.externalId === 'INC0000135')?.state).toBe('Closed');
  });

  it('rejects a row without number or with an unparseable date, keeps an unknown priority as UNKNOWN, and reads the rows around it', async () => {
    // Setup
    const source = csv(
      'number,short_description,priority,opened_at,sys_mod_count',
      'INC1,Printer jams,3 - Moderate,29-02-2016 01:16,0',
      ',No number,3 - Moderate,29-02-2016 01:16,0',
      'INC2,Bad date,3 - Moderate,31-02-2016 10:00,0',
      'INC3,"Bad priority, with a comma",9 - Whenever,29-02-2016 01:16,0',
      'INC4,Not a date,2 - High,yesterday,0',
      'INC5,Bad count,2 - High,29-02-2016 01:16,two',
      'INC6,VPN down,1 - Critical,01-03-2016 08:00,4',
    );

    // Action
    const { records, rejections } = await parseAll(source);

    // Assert
    expect(records.map((r) => [r.externalId, r.priority, r.revision])).toEqual([
      ['INC1', Priority.MODERATE, 0],
      ['INC3', Priority.UNKNOWN, 0],
      ['INC6', Priority.CRITICAL, 4],
    ]);
    expect(records[1].sourcePriority).toBe('9 - Whenever');
    expect(rejections).toEqual([
      { line: 3, reason: 'number: the incident number is empty' },
      { line: 4, reason: 'opened_at: "31-02-2016 10:00" is not a valid date: February 2016 has 29 days' },
      { line: 6, reason: expect.stringMatching(/^opened_at: "yesterday" is not a valid date: not a date in a known form/) },
      { line: 7, reason: 'sys_mod_count: "two" is not a whole number' },
    ]);
  });

  it('reads a plain table export: short description as summary, update time as revision, priority from impact and urgency', async () => {
    // Setup
    const source = csv(
      'number,short_description,description,cmdb_ci,impact,urgency,priority,state,sys_updated_at,made_sla',
      'INC9,Email not syncing on phone,"Since Monday, mail\nstops syncing",Exchange,1 - High,2 - Medium,,In Progress,2024-03-12 09:05:00,',
    );

    // Action
    const { records, rejections } = await parseAll(source);

    // Assert
    expect(rejections).toEqual([]);
    expect(records).toEqual([
      {
        source: TicketSource.SERVICENOW,
        externalId: 'INC9',
        summary: 'Email not syncing on phone',
        description: 'Since Monday, mail\nstops syncing',
        service: 'Exchange',
        impact: '1 - High',
        urgency: '2 - Medium',
        priority: Priority.HIGH,
        state: 'In Progress',
        stateCategory: TicketStateCategory.OPEN,
        updatedAt: new Date('2024-03-12T09:05:00Z'),
        madeSla: null,
        revision: Date.parse('2024-03-12T09:05:00Z'),
      },
    ]);
  });

  it('keeps a row whose priority cannot be told as UNKNOWN, with a warning', async () => {
    const file = await openTicketFile(csv('number,priority,impact', 'INC1,,2 - Medium'), { format: 'servicenow' });
    const rows = [];
    for await (const row of file.rows) rows.push(row.result);
    expect(rows).toEqual([expect.objectContaining({ externalId: 'INC1', priority: Priority.UNKNOWN })]);
    expect(file.warnings()).toEqual([{ kind: 'UNKNOWN_PRIORITY', column: 'priority', value: '', count: 1 }]);
  });

  it('groups problem-linked incidents by their structured signature (measured)', async () => {
    // Setup: the desk's own grouping is the ground truth. An incident counts as linked when any of its rows
    // names a problem (the latest such row decides): 48 incidents, 20 problems, as the data set describes.
    const { records } = await parseAll(SERVICENOW_FILE);
    const problemOf = new Map<string, { problem: string; revision: number }>();
    for (const r of records) {
      const known = problemOf.get(r.externalId);
      if (r.problemRef !== undefined && (!known || r.revision >= known.revision)) problemOf.set(r.externalId, { problem: r.problemRef, revision: r.revision });
    }
    const tickets = collapseRevisions(records);

    // Action
    const signatureOf = new Map(tickets.map((t) => [t.externalId, ticketSignature(t)]));
    const linked = tickets.filter((t) => problemOf.has(t.externalId));
    const problem = (t: TicketRecord) => problemOf.get(t.externalId)!.problem;
    const sharing = linked.filter((t) =>
      linked.some((o) => o !== t && problem(o) === problem(t) && signatureOf.get(o.externalId)!.signature === signatureOf.get(t.externalId)!.signature),
    );
    const problemSizes = new Map<string, number>();
    for (const t of linked) problemSizes.set(problem(t), (problemSizes.get(problem(t)) ?? 0) + 1);
    const reachable = linked.filter((t) => problemSizes.get(problem(t))! >= 2).length;
    const groupSize = new Map<string, number>();
    for (const s of signatureOf.values()) groupSize.set(s.signature, (groupSize.get(s.signature) ?? 0) + 1);
    const structured = [...signatureOf.values()].filter((s) => s.basis === 'STRUCTURED').length;
    const sharedGroups = [...new Set(sharing.map((t) => signatureOf.get(t.externalId)!.signature))];
    const sharedGroupTickets = sharedGroups.reduce((n, s) => n + groupSize.get(s)!, 0);
    console.log(
      [
        `ServiceNow grouping: ${tickets.length} incidents, ${structured} with a structured signature, ${groupSize.size} signatures`,
        `problem-linked incidents: ${linked.length} (${tickets.filter((t) => t.problemRef !== undefined).length} still linked in their latest state) in ${problemSizes.size} problems`,
        `of which in a problem with another linked incident: ${reachable}`,
        `sharing their signature with another incident of the same problem: ${sharing.length}`,
        `those share ${sharedGroups.length} signatures, which hold ${sharedGroupTickets} incidents in all`,
      ].join('\n'),
    );

    // Assert: measured 20 of 48, i.e. 20 of the 30 that have another linked incident in their problem at all;
    // the 5 signatures they share hold 35 incidents, so 15 unlinked incidents ride along. The floor guards the
    // signature against regressions; it is what the data gives, not a target.
    expect(linked).toHaveLength(48);
    expect(problemSizes.size).toBe(20);
    expect(reachable).toBe(30);
    expect(sharing.length).toBeGreaterThanOrEqual(20);
  });
});
