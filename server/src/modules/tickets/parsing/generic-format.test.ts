import { HELPDESK_TEXT } from '../../../testing/fixtures.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FINGERPRINT_WORDS,
  isRowRejection,
  Priority,
  textFingerprint,
  ticketSignature,
  TicketSource,
  type RowRejection,
  type TicketRecord,
  TicketStateCategory,
} from '@gatehouse/shared';
import { openCsvRecords } from './csv-records.js';
import { loadGenericMapping, validateGenericMapping, type GenericMapping } from './generic-format.js';
import { openTicketFile } from './ticket-formats.js';

const HELPDESK_FILE = HELPDESK_TEXT;
const HELPDESK_MAPPING = path.resolve(import.meta.dirname, 'mappings/helpdesk-tickets-text.json');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'generic-format-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function parseAll(source: string | Readable, mapping: GenericMapping) {
  const file = await openTicketFile(source, { mapping });
  const records: TicketRecord[] = [];
  const rejections: RowRejection[] = [];
  for await (const row of file.rows) (isRowRejection(row.result) ? rejections : records).push(row.result as never);
  return { records, rejections };
}

const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\n') + '\n')]);

describe('generic CSV mapping', () => {
  it('rejects a mapping with an unknown target field, naming the known ones', () => {
    expect(() => validateGenericMapping({ columns: { externalId: 'id', summary: 'title', titel: 'x' } })).toThrow(
      /unknown ticket field "titel" in columns \(known: externalId, summary, /,
    );
  });

  it('requires an externalId mapping unless ids come from line numbers', () => {
    expect(() => validateGenericMapping({ columns: { summary: 'title' } })).toThrow(/columns.externalId is required \(or set "idFromLine": true/);
    expect(validateGenericMapping({ columns: { summary: 'title' }, idFromLine: true }).idFromLine).toBe(true);
    expect(() => validateGenericMapping({ columns: { externalId: 'id', summary: 'title' }, idFromLine: true })).toThrow(/either columns.externalId or "idFromLine"/);
  });

  it('names every problem of a mapping at once', () => {
    // Action
    let message = '';
    try {
      validateGenericMapping({ colums: {}, source: 'EXCEL', defaults: { priority: 'whenever', colour: 'red' }, dateFormat: 'DD.MM.YYYY' });
    } catch (e) {
      message = (e as Error).message;
    }

    // Assert
    for (const part of [
      'unknown key "colums"',
      '"source" must be one of SERVICENOW, JIRA, GLPI, ZENDESK, CSV',
      '"columns" must be an object',
      'unknown field "colour" in defaults',
      'defaults.priority "whenever" is not a priority',
      '"dateFormat" must be one of "DD-MM-YYYY HH:MM"',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('refuses a missing or malformed mapping file', async () => {
    // Setup
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "columns": ');

    // Action / Assert
    await expect(loadGenericMapping(path.join(dir, 'none.json'))).rejects.toThrow(/none\.json: there is no such file/);
    await expect(loadGenericMapping(broken)).rejects.toThrow(/broken\.json is not valid JSON/);
  });

  it('refuses a file that lacks a mapped column before reading any row', async () => {
    // Setup
    const mapping = validateGenericMapping({ columns: { externalId: 'ticket_id', summary: ['title', 'body'] } });

    // Action / Assert
    await expect(openTicketFile(csv('id,title', '1,x'), { mapping })).rejects.toThrow('the mapping names columns the file does not have: "ticket_id", "body"');
  });

  it('maps columns, defaults, a named date format, labels, SLA and revision', async () => {
    // Setup
    const mapping = validateGenericMapping({
      source: 'JIRA',
      columns: {
        externalId: 'key',
        summary: ['title', 'body'],
        description: 'body',
        priority: 'prio',
        openedAt: 'created',
        labels: 'tags',
        madeSla: 'sla ok',
        revision: 'version',
      },
      defaults: { priority: 'LOW', category: 'Uncategorised' },
      dateFormat: 'M/D/YYYY H:MM',
    });
    const source = csv(
      'key,title,body,prio,created,tags,sla ok,version',
      'T-1,Printer offline,Third floor printer,High,3/4/2024 9:05,"hw; printer",yes,3',
      'T-2,,"VPN drops every hour, since the update",,12/31/2024 23:59,,no,',
      'T-3,Bad date,,,31/12/2024 10:00,,,',
      ',No id,,,,,,',
      'T-4,Bad SLA,,,,,maybe,',
    );

    // Action
    const { records, rejections } = await parseAll(source, mapping);

    // Assert
    expect(records).toEqual([
      {
        source: TicketSource.JIRA,
        externalId: 'T-1',
        summary: 'Printer offline',
        description: 'Third floor printer',
        category: 'Uncategorised',
        priority: Priority.HIGH,
        sourcePriority: 'High',
        stateCategory: TicketStateCategory.OPEN,
        labels: ['hw', 'printer'],
        openedAt: new Date('2024-03-04T09:05:00Z'),
        madeSla: true,
        revision: 3,
      },
      {
        source: TicketSource.JIRA,
        externalId: 'T-2',
        summary: 'VPN drops every hour, since the update',
        description: 'VPN drops every hour, since the update',
        category: 'Uncategorised',
        priority: Priority.LOW,
        stateCategory: TicketStateCategory.OPEN,
        openedAt: new Date('2024-12-31T23:59:00Z'),
        madeSla: false,
        revision: 0,
      },
    ]);
    expect(rejections).toEqual([
      { line: 4, reason: 'created: "31/12/2024 10:00" is not a valid date: there is no month 31' },
      { line: 5, reason: 'key: the ticket id is empty' },
      { line: 6, reason: 'sla ok: "maybe" is neither true nor false' },
    ]);
  });
});

describe('helpdesk export through the shipped mapping', () => {
  it('reads all 5,431 tickets, with line ids and the body standing in for an empty title', async () => {
    // Setup
    const mapping = await loadGenericMapping(HELPDESK_MAPPING);

    // Action
    const { records, rejections } = await parseAll(HELPDESK_FILE, mapping);

    // Assert
    expect(rejections).toEqual([]);
    expect(records).toHaveLength(5431);
    expect(new Set(records.map((r) => r.externalId)).size).toBe(5431);
    expect(records[0]).toMatchObject({
      source: TicketSource.CSV,
      externalId: 'line-2',
      summary: 'hi since recruiter lead permission approve requisitions makes please make thanks recruiter',
      priority: Priority.MODERATE,
      requestType: '1',
    });
    expect(records.every((r) => r.summary.length <= 200)).toBe(true);
  });

  it('groups templated requests by their text fingerprint (measured)', async () => {
    // Setup
    const mapping = await loadGenericMapping(HELPDESK_MAPPING);
    const { records } = await parseAll(HELPDESK_FILE, mapping);

    // Action
    const groups = new Map<string, { title: string; tickets: TicketRecord[] }>();
    for (const r of records) {
      const s = ticketSignature(r);
      expect(s.basis).toBe('TEXT');
      const g = groups.get(s.signature) ?? { title: s.title, tickets: [] };
      g.tickets.push(r);
      groups.set(s.signature, g);
    }
    const largest = [...groups.values()].sort((a, b) => b.tickets.length - a.tickets.length);
    const recurring = largest.filter((g) => g.tickets.length >= 5);
    console.log(
      `helpdesk grouping (${FINGERPRINT_WORDS} words): ${records.length} tickets, ${groups.size} groups, ` +
        `${recurring.length} groups of >= 5 holding ${recurring.reduce((n, g) => n + g.tickets.length, 0)} tickets\n` +
        largest
          .slice(0, 12)
          .map((g) => `  ${g.tickets.length}  ${g.title}`)
          .join('\n'),
    );

    // Assert
    const top = largest.slice(0, 5).map((g) => g.title.toLowerCase());
    expect(top.some((t) => t.includes('password reset'))).toBe(true);
    expect(top.some((t) => t.includes('purchase po'))).toBe(true);
    expect(largest[0].title).toBe('New purchase po');
    expect(largest[0].tickets.length).toBeGreaterThanOrEqual(230);
    expect(recurring.length).toBeGreaterThanOrEqual(80);
  });

  it('keeps unrelated tickets apart about as well as the exact title does (the measurement behind FINGERPRINT_WORDS)', async () => {
    // Setup: the desk's own category and first subcategory codes, which the mapping leaves out, serve as a
    // yardstick: the share of tickets in groups of >= 5 that carry their group's most common code pair.
    const mapping = await loadGenericMapping(HELPDESK_MAPPING);
    const { records } = await parseAll(HELPDESK_FILE, mapping);
    const codes = new Map<string, string>();
    for await (const row of await openCsvRecords(HELPDESK_FILE)) {
      if (!isRowRejection(row)) codes.set(`line-${row.line}`, `${row.fields.category}/${row.fields.sub_category1}`);
    }
    const measure = (key: (r: TicketRecord) => string) => {
      const groups = new Map<string, string[]>();
      for (const r of records) groups.set(key(r), [...(groups.get(key(r)) ?? []), codes.get(r.externalId)!]);
      let tickets = 0;
      let agreeing = 0;
      let count = 0;
      for (const members of groups.values()) {
        if (members.length < 5) continue;
        count++;
        tickets += members.length;
        const tally = new Map<string, number>();
        for (const c of members) tally.set(c, (tally.get(c) ?? 0) + 1);
        agreeing += Math.max(...tally.values());
      }
      return { groups: count, tickets, purity: Math.round((agreeing / tickets) * 1000) / 10 };
    };

    // Action
    const exactTitle = measure((r) => r.summary.toLowerCase());
    const byWords = Object.fromEntries(
      [2, 3, 4, 6, 1000].map((n) => [n, measure((r) => textFingerprint(r.summary, n) || textFingerprint(r.description ?? '', n))]),
    );
    console.log(
      `helpdesk fingerprint length, groups of >= 5 / tickets in them / purity %:\n  exact summary: ${JSON.stringify(exactTitle)}\n` +
        Object.entries(byWords)
          .map(([n, m]) => `  ${n} words: ${JSON.stringify(m)}`)
          .join('\n'),
    );

    // Assert: the chosen length groups far more tickets than the exact title and loses little purity; two
    // words is where unrelated requests start to merge.
    const chosen = byWords[FINGERPRINT_WORDS];
    expect(chosen.tickets).toBeGreaterThan(exactTitle.tickets * 1.15);
    expect(chosen.purity).toBeGreaterThan(exactTitle.purity - 5);
    expect(byWords[2].purity).toBeLessThan(chosen.purity - 3);
  });
});
