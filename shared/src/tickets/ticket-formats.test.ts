import { describe, expect, it } from 'vitest';
import { isTicketFormat, megabytes, TICKET_FILE_ACCEPT, TICKET_FORMATS, TICKET_UPLOAD_LIMIT_MB } from './ticket-formats.js';

describe('ticket import formats and limits', () => {
  it('knows the four desks and the generic mapping, and nothing else', () => {
    expect(TICKET_FORMATS).toEqual(['servicenow', 'jira', 'glpi', 'zendesk', 'generic']);
    expect(isTicketFormat('glpi')).toBe(true);
    expect(isTicketFormat('excel')).toBe(false);
    expect(isTicketFormat('auto')).toBe(false);
  });

  it('accepts CSV and plain-text files, up to 500 MB unless configured', () => {
    expect(TICKET_FILE_ACCEPT.split(',')).toEqual(['.csv', 'text/csv', 'text/plain']);
    expect(TICKET_UPLOAD_LIMIT_MB).toBe(500);
    expect(megabytes(TICKET_UPLOAD_LIMIT_MB)).toBe(524_288_000);
  });
});
