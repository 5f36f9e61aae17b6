import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isRowRejection, Priority, ticketSignature, TicketSource, TicketStateCategory, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import { openTicketFile } from './ticket-formats.js';

const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\r\n') + '\r\n')]);

async function parseAll(source: Readable) {
  const file = await openTicketFile(source);
  const records: TicketRecord[] = [];
  const rejections: RowRejection[] = [];
  for await (const row of file.rows) (isRowRejection(row.result) ? rejections : records).push(row.result as never);
  return { format: file.format, records, rejections };
}

const HEADER = 'Summary,Issue key,Issue id,Issue Type,Status,Priority,Created,Updated,Resolved,Component/s,Component/s,Labels,Labels,Customer Request Type,Description';

describe('Jira Service Management export', () => {
  it('reads repeated Component/s and Labels columns, request types and Jira dates', async () => {
    // Setup: Jira writes one column per value of a multi-value field.
    const source = csv(
      HEADER,
      'Cannot log in to VPN,HELP-12,10012,Service Request,Resolved,High,12/Mar/24 9:05 AM,13/Mar/24 4:30 PM,13/Mar/24 4:30 PM,VPN,Network,remote,urgent,Get IT help,"Since the update,\nno VPN"',
      'Reset my password,HELP-13,10013,Service Request,Open,,12/Mar/24 12:10 PM,12/Mar/24 12:10 PM,,,,,,Reset password,',
    );

    // Action
    const { format, records, rejections } = await parseAll(source);

    // Assert
    expect(format).toBe('jira');
    expect(rejections).toEqual([]);
    expect(records[0]).toEqual({
      source: TicketSource.JIRA,
      externalId: 'HELP-12',
      summary: 'Cannot log in to VPN',
      description: 'Since the update,\nno VPN',
      category: 'Service Request',
      subcategory: 'Get IT help',
      service: 'Network, VPN',
      priority: Priority.HIGH,
      sourcePriority: 'High',
      state: 'Resolved',
      stateCategory: TicketStateCategory.RESOLVED,
      labels: ['remote', 'urgent'],
      requestType: 'Get IT help',
      openedAt: new Date('2024-03-12T09:05:00Z'),
      resolvedAt: new Date('2024-03-13T16:30:00Z'),
      updatedAt: new Date('2024-03-13T16:30:00Z'),
      revision: Date.parse('2024-03-13T16:30:00Z'),
    });
    expect(records[1]).toMatchObject({ externalId: 'HELP-13', priority: Priority.MODERATE, requestType: 'Reset password' });
    expect(records[1].service).toBeUndefined();
    expect(ticketSignature(records[1])).toMatchObject({ signature: 's:service request / reset password / - / -', basis: 'STRUCTURED' });
  });

  it('rejects a row without key or with a bad date, with the line where it starts, and keeps an unknown priority', async () => {
    // Setup: the first data row spans lines 2 and 3.
    const source = csv(
      'Issue key,Summary,Priority,Created,Updated',
      'OPS-1,"Disk full\non db01",Blocker,01/Feb/25 8:00 AM,01/Feb/25 9:00 AM',
      ',No key,Low,01/Feb/25 8:00 AM,',
      'OPS-2,Bad date,Low,30/Feb/25 8:00 AM,',
      'OPS-3,Bad priority,Urgent-ish,,',
      'OPS-4,Fine,Trivial,,',
    );

    // Action
    const { records, rejections } = await parseAll(source);

    // Assert
    expect(records.map((r) => [r.externalId, r.priority, r.sourcePriority])).toEqual([
      ['OPS-1', Priority.CRITICAL, 'Blocker'],
      ['OPS-3', Priority.UNKNOWN, 'Urgent-ish'],
      ['OPS-4', Priority.PLANNING, 'Trivial'],
    ]);
    expect(rejections).toEqual([
      { line: 4, reason: 'Issue key: the issue key is empty' },
      { line: 5, reason: 'Created: "30/Feb/25 8:00 AM" is not a valid date: February 2025 has 28 days' },
    ]);
  });

  it('refuses a Jira export without the Summary column', async () => {
    await expect(openTicketFile(csv('Issue key,Status', 'A-1,Open'), { format: 'jira' })).rejects.toThrow(
      'a Jira export needs a column for summary; this file was read as comma-separated UTF-8, its columns are "Issue key", "Status"',
    );
  });
});
