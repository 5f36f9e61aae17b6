import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@gatehouse/shared';
import { DomainError } from '../../../common/domain-error.js';
import { detectFormat, openTicketFile, parserFor } from './ticket-formats.js';

const ITSM_DATA = path.resolve(import.meta.dirname, '../../../../../../shared/data/itsm');
const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\n') + '\n')]);

describe('ticket formats', () => {
  it('recognises ServiceNow and Jira exports by their header, and nothing else', () => {
    expect(detectFormat(['number', 'incident_state', 'sys_mod_count', 'priority'])).toBe('servicenow');
    expect(detectFormat(['number', 'short_description', 'opened_at'])).toBe('servicenow');
    expect(detectFormat(['Summary', 'Issue key', 'Issue id'])).toBe('jira');
    expect(detectFormat(['number', 'title'])).toBeUndefined();
    expect(detectFormat(['title', 'body', 'ticket_type'])).toBeUndefined();
  });

  it('detects the real exports, and asks for a mapping where it cannot tell', async () => {
    // Action
    const servicenow = await openTicketFile(path.join(ITSM_DATA, 'servicenow-incident-event-log.csv'));
    servicenow.close();

    // Assert
    expect(servicenow.format).toBe('servicenow');
    await expect(openTicketFile(path.join(ITSM_DATA, 'helpdesk-tickets-text.csv'))).rejects.toThrow(
      'the format of this export is not recognised: name it (servicenow or jira) or give a mapping file',
    );
  });

  it('refuses a ServiceNow export without the number column, as bad user input', async () => {
    // Action
    const error = await openTicketFile(csv('id,short_description', '1,x'), { format: 'servicenow' }).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as DomainError).message).toBe('a ServiceNow export needs the column "number"; this file has "id", "short_description"');
  });

  it('refuses repeated column names outside Jira exports', async () => {
    await expect(openTicketFile(csv('number,sys_mod_count,opened_at,number', 'INC1,0,,INC1'))).rejects.toThrow(
      'the header row names the column "number" twice (columns 1 and 4)',
    );
  });

  it('needs a mapping for the generic format', () => {
    expect(() => parserFor('generic')).toThrow('the generic CSV format needs a mapping file');
  });

  it('passes rows the reader rejected through as rejections', async () => {
    // Action
    const file = await openTicketFile(csv('number,sys_mod_count,priority', 'INC1,0,3', 'INC2,1', 'INC3,0,4'), { format: 'servicenow' });
    const results = [];
    for await (const row of file.rows) results.push(row.result);

    // Assert
    expect(results).toEqual([
      expect.objectContaining({ externalId: 'INC1' }),
      { line: 3, reason: 'the row has 2 fields, the header has 3' },
      expect.objectContaining({ externalId: 'INC3' }),
    ]);
  });
});
