import { HELPDESK_TEXT, SERVICENOW_LOG } from '../../../testing/fixtures.js';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@gatehouse/shared';
import { DomainError } from '../../../common/domain-error.js';
import { detectDesk } from './desk-columns.js';
import { openTicketFile } from './ticket-formats.js';

const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\n') + '\n')]);

describe('ticket formats', () => {
  it('recognises each desk by its header, in its languages, and nothing else', () => {
    expect(detectDesk(['number', 'incident_state', 'sys_mod_count', 'priority'])).toBe('servicenow');
    expect(detectDesk(['number', 'short_description', 'opened_at'])).toBe('servicenow');
    expect(detectDesk(['Number', 'State', 'Created'], { Number: 'INC2910950', State: 'New', Created: '' })).toBe('servicenow');
    expect(detectDesk(['Summary', 'Issue key', 'Issue id'])).toBe('jira');
    expect(detectDesk(['Resumen', 'Clave de incidencia', 'Estado'])).toBe('jira');
    expect(detectDesk(['Vorgangstyp', 'Vorgangsschlüssel', 'Zusammenfassung'])).toBe('jira');
    expect(detectDesk(['ID', 'Título', 'Status', 'Data de abertura'])).toBe('glpi');
    expect(detectDesk(['ID', 'Titre', 'Statut', "Date d'ouverture"])).toBe('glpi');
    expect(detectDesk(['Id', 'Subject', 'Status', 'Created at'])).toBe('zendesk');
    expect(detectDesk(['number', 'title'])).toBeUndefined();
    expect(detectDesk(['Number', 'State'], { Number: '17', State: 'New' })).toBeUndefined();
    expect(detectDesk(['title', 'body', 'ticket_type'])).toBeUndefined();
  });

  it('detects the real exports, and asks for a mapping where it cannot tell, saying how it read the file', async () => {
    // Action
    const servicenow = await openTicketFile(SERVICENOW_LOG);
    servicenow.close();

    // Assert
    expect(servicenow.format).toBe('servicenow');
    await expect(openTicketFile(HELPDESK_TEXT)).rejects.toThrow(
      'the format of this export is not recognised (read as comma-separated UTF-8, its columns are "title", "body", "ticket_type", "category", "sub_category1", "sub_category2", "business_service", "urgency" and 1 more): name it (servicenow, jira, glpi, zendesk) or give a column mapping',
    );
  });

  it('refuses a ServiceNow export without the number column, as bad user input', async () => {
    // Action
    const error = await openTicketFile(csv('id,short_description', '1,x'), { format: 'servicenow' }).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as DomainError).message).toBe(
      'a ServiceNow export needs a column for externalId; this file was read as comma-separated UTF-8, its columns are "id", "short_description"',
    );
  });

  it('collects repeated columns instead of refusing them; the first value is the field', async () => {
    const file = await openTicketFile(csv('number,sys_mod_count,Severity,Severity', 'INC1,0,4 - Low,3 - Low'), { format: 'servicenow' });
    const rows = [];
    for await (const row of file.rows) rows.push(row.result);
    expect(rows).toEqual([expect.objectContaining({ externalId: 'INC1' })]);
  });

  it('needs a mapping for the generic format', async () => {
    await expect(openTicketFile(csv('a,b', '1,2'), { format: 'generic' })).rejects.toThrow('the generic CSV format needs a mapping file');
  });

  it('refuses a file whose day/month order nothing settles, and reads it once the order is given', async () => {
    const ambiguous = () => csv('number,opened_at,sys_mod_count', 'INC1,03/04/2025 10:00,0', 'INC2,05/06/2025 11:00,0');
    await expect(openTicketFile(ambiguous())).rejects.toThrow(
      'the dates of this file could be day/month or month/day ("03/04/2025 10:00" in opened_at, line 2), and none of them settles which: say which with --date-order dmy or --date-order mdy',
    );
    const file = await openTicketFile(ambiguous(), { dateOrder: 'mdy', timeZone: 'Europe/Berlin' });
    const rows = [];
    for await (const row of file.rows) rows.push(row.result);
    expect(rows.map((r) => ('openedAt' in r ? r.openedAt?.toISOString() : r))).toEqual(['2025-03-04T09:00:00.000Z', '2025-05-06T09:00:00.000Z']);
    expect(file.recognition).toMatchObject({ dateOrder: 'mdy', dateOrderFrom: 'option', timeZone: 'Europe/Berlin' });
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
