import { describe, expect, it } from 'vitest';
import { checkMapping, EXAMPLE_MAPPING, MAX_ENCODED_MAPPING, readMappingFile } from './ticket-mapping';

describe('the mapping editor’s check', () => {
  it('accepts the example it starts with, and sends it as compact JSON', () => {
    const check = checkMapping(EXAMPLE_MAPPING);
    expect(check.problems).toEqual([]);
    expect(check.json).not.toContain('\n');
    expect(JSON.parse(check.json!)).toEqual(JSON.parse(EXAMPLE_MAPPING));
  });

  it('accepts the mapping file the command line uses for the help-desk export', () => {
    const helpdesk = {
      $comment: 'no id column, no dates, no priority',
      source: 'CSV',
      idFromLine: true,
      columns: { summary: ['title', 'body'], description: 'body', requestType: 'ticket_type', urgency: 'urgency', impact: 'impact' },
      defaults: { priority: 'MODERATE' },
    };
    expect(checkMapping(JSON.stringify(helpdesk, null, 2)).problems).toEqual([]);
  });

  it('points at the line and column of a JSON syntax error', () => {
    const check = checkMapping('{\n  "columns": {\n    "summary": "title",\n  }\n}');
    expect(check.json).toBeNull();
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatch(/not valid JSON \(near line 4, column \d+\)/);
  });

  it('names every problem at once', () => {
    const check = checkMapping(
      JSON.stringify({
        source: 'EXCEL',
        colums: {},
        columns: { title: 'title', openedAt: 42, priority: [] },
        defaults: { priority: 'whenever', summary: 'x' },
        dateFormat: 'DD.MM.YYYY',
      }),
    );
    expect(check.json).toBeNull();
    expect(check.problems).toEqual([
      expect.stringMatching(/Unknown key "colums"/),
      expect.stringMatching(/"source" must be one of SERVICENOW, JIRA, GLPI, ZENDESK, CSV/),
      expect.stringMatching(/Unknown ticket field "title"/),
      expect.stringMatching(/columns.openedAt must be a column name/),
      expect.stringMatching(/columns.priority must be a column name/),
      expect.stringMatching(/columns.externalId is required/),
      expect.stringMatching(/columns.summary is required/),
      expect.stringMatching(/defaults.priority "whenever" is not a priority/),
      expect.stringMatching(/Unknown field "summary" in defaults/),
      expect.stringMatching(/"dateFormat" must be one of/),
    ]);
  });

  it('wants either an id column or ids from line numbers, not both', () => {
    expect(checkMapping('{"idFromLine": true, "columns": {"externalId": "id", "summary": "t"}}').problems).toEqual([expect.stringMatching(/either columns.externalId or "idFromLine"/)]);
    expect(checkMapping('{"idFromLine": "yes", "columns": {"summary": "t"}}').problems).toEqual([
      expect.stringMatching(/externalId is required/),
      expect.stringMatching(/"idFromLine" must be true or false/),
    ]);
    expect(checkMapping('{"idFromLine": true, "columns": {"summary": "t"}}').problems).toEqual([]);
  });

  it('refuses what is not an object, an empty editor, and a mapping too long for the upload’s address', () => {
    expect(checkMapping('  ').problems).toEqual(['Enter a mapping, or load a mapping file.']);
    expect(checkMapping('[1, 2]').problems[0]).toMatch(/must be a JSON object/);
    const long = JSON.stringify({ $comment: 'x'.repeat(MAX_ENCODED_MAPPING), columns: { externalId: 'id', summary: 's' } });
    expect(checkMapping(long).problems).toEqual([expect.stringMatching(/too long to send/)]);
  });

  it('loads a mapping file as text, and refuses one too large to be a mapping', async () => {
    expect(await readMappingFile(new Blob(['{"columns":{}}']))).toEqual({ text: '{"columns":{}}' });
    expect(await readMappingFile(new Blob(['x'.repeat(70_000)]))).toEqual({ problem: expect.stringMatching(/too large/) });
  });
});
