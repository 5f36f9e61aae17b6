import { describe, expect, it } from 'vitest';
import { checkGenericMapping } from './generic-mapping.js';
import { TicketSource } from './ticket-record.js';

describe('the generic mapping rule', () => {
  it('returns a valid mapping in normal form: every column a list, names and defaults trimmed, CSV by default', () => {
    // Action
    const check = checkGenericMapping({ $comment: 'x', columns: { externalId: ' id ', summary: ['title', 'body'] }, defaults: { priority: ' LOW ' } });

    // Assert
    expect(check).toEqual({
      ok: true,
      problems: [],
      mapping: { source: TicketSource.CSV, columns: { externalId: ['id'], summary: ['title', 'body'] }, defaults: { priority: 'LOW' }, dateFormat: undefined, idFromLine: false },
    });
  });

  it('says what is wrong with something that is not an object, and nothing else', () => {
    expect(checkGenericMapping([1, 2])).toEqual({ ok: false, shape: false, problems: ['the mapping must be a JSON object with a "columns" object'] });
    expect(checkGenericMapping(null)).toMatchObject({ ok: false, shape: false });
  });

  it('names every problem at once: unknown keys first, then each key in turn', () => {
    // Action
    const check = checkGenericMapping({
      source: 'EXCEL',
      colums: {},
      columns: { title: 'title', openedAt: 42, priority: [] },
      defaults: { priority: 'whenever', summary: 'x', category: ' ' },
      dateFormat: 'DD.MM.YYYY',
    });

    // Assert
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      expect.stringMatching(/^unknown key "colums" \(known: \$comment, source, columns, defaults, dateFormat, idFromLine\)$/),
      expect.stringMatching(/^"source" must be one of SERVICENOW, JIRA, GLPI, ZENDESK, CSV$/),
      expect.stringMatching(/^unknown ticket field "title" in columns \(known: externalId, summary, /),
      'columns.openedAt must be a column name or a list of column names',
      'columns.priority must be a column name or a list of column names',
      expect.stringMatching(/^columns.externalId is required/),
      'columns.summary is required',
      expect.stringMatching(/^defaults.priority "whenever" is not a priority/),
      expect.stringMatching(/^unknown field "summary" in defaults/),
      'defaults.category must be a non-empty text',
      expect.stringMatching(/^"dateFormat" must be one of "/),
    ]);
  });

  it('does not call a malformed externalId or summary missing', () => {
    expect(checkGenericMapping({ columns: { externalId: '', summary: 3 } }).problems).toEqual([
      'columns.externalId must be a column name or a list of column names',
      'columns.summary must be a column name or a list of column names',
    ]);
  });

  it('wants either an id column or ids from line numbers, not both', () => {
    expect(checkGenericMapping({ idFromLine: true, columns: { externalId: 'id', summary: 't' } }).problems).toEqual(['give either columns.externalId or "idFromLine": true, not both']);
    expect(checkGenericMapping({ idFromLine: 'yes', columns: { summary: 't' } }).problems).toEqual([
      expect.stringMatching(/^columns.externalId is required/),
      '"idFromLine" must be true or false',
    ]);
    expect(checkGenericMapping({ idFromLine: true, columns: { summary: 't' } })).toMatchObject({ ok: true, mapping: { idFromLine: true, columns: { summary: ['t'] } } });
  });
});
