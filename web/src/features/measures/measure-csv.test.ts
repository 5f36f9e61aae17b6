import { describe, expect, it } from 'vitest';
import type { MeasureRowFieldsFragment } from '../../graphql/generated';
import { bareClient } from '../../testing/fake-graphql';
import { csvField, EXPORT_PAGE_SIZE, fetchAllMeasures, measuresCsv } from './measure-csv';

function row(overrides: Partial<MeasureRowFieldsFragment> = {}): MeasureRowFieldsFragment {
  return {
    id: 'm1',
    code: 'M-0001',
    title: 'Self-service password reset',
    doi: 3,
    state: 'ACTIVE',
    lever: 'COST_REDUCTION',
    owner: { id: 'u1', name: 'Olivia Owner' },
    program: { id: 'p1', name: 'Service Excellence 2027' },
    package: { id: 'k1', name: 'Self-service & automation' },
    implementationStatus: 'AMBER',
    implementationStatusReason: 'Due within 14 days (2026-12-02)',
    implementationStatusOverridden: false,
    potentialStatus: 'GREEN',
    potentialStatusReason: 'Forecast is 96.7 % of plan',
    potentialStatusOverridden: false,
    planTotal: '141882.00',
    forecastTotal: '137326.61',
    actualTotal: '0.00',
    oneOffCostTotal: '-14552.10',
    annualPotential: '87312.00',
    nextDueOn: '2026-12-02T00:00:00.000Z',
    overdue: false,
    ...overrides,
  };
}

describe('CSV fields', () => {
  it('leaves plain fields as they are', () => {
    expect(csvField('M-0001')).toBe('M-0001');
    expect(csvField(3)).toBe('3');
    expect(csvField(null)).toBe('');
  });

  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('Cost, avoidance')).toBe('"Cost, avoidance"');
    expect(csvField('The "quote" tool')).toBe('"The ""quote"" tool"');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('carriage\r')).toBe('"carriage\r"');
    expect(csvField(' padded ')).toBe('" padded "');
  });

  it('defuses text that a spreadsheet would run as a formula, but never touches amounts', () => {
    expect(csvField('=HYPERLINK("http://x")', 'text')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)', 'text')).toBe("'@SUM(A1)");
    expect(csvField('-1250.00')).toBe('-1250.00');
  });
});

describe('the measures CSV', () => {
  it('writes a header and one CRLF-terminated line per measure with money as exact decimal strings', () => {
    const csv = measuresCsv([row(), row({ id: 'm2', code: 'M-0002', title: 'Quote "fast lane", phase 2', nextDueOn: null })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^Code,Title,Program,Package,DoI,State,Lever,Owner,/);
    expect(lines[1]).toContain(',141882.00,137326.61,0.00,-14552.10,87312.00,2026-12-02,false');
    expect(lines[2]).toContain('M-0002,"Quote ""fast lane"", phase 2"');
    expect(lines[2]).toMatch(/,87312.00,,false$/);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });
});

describe('fetching every measure for the export', () => {
  it('pages through the whole filtered list with the largest page size, keeping filter and sort', async () => {
    // Setup: 450 measures on the server, served in pages of `first`.
    const all = Array.from({ length: 450 }, (_, i) => row({ id: `m${i}`, code: `M-${String(i).padStart(4, '0')}` }));
    const seen: Record<string, unknown>[] = [];
    const client = bareClient(({ variables }) => {
      seen.push(variables);
      const start = variables.after ? Number(variables.after) : 0;
      const page = all.slice(start, start + Number(variables.first));
      const end = start + page.length;
      return {
        data: {
          measures: {
            __typename: 'MeasureConnection',
            totalCount: all.length,
            pageInfo: { __typename: 'PageInfo', hasNextPage: end < all.length, endCursor: String(end) },
            edges: page.map((node, i) => ({
              __typename: 'MeasureEdge',
              cursor: String(start + i + 1),
              node: { __typename: 'Measure', ...node, owner: { __typename: 'User', ...node.owner }, program: { __typename: 'Program', ...node.program }, package: { __typename: 'MeasurePackage', ...node.package } },
            })),
          },
        },
      };
    });
    const progress: number[] = [];

    // Action
    const rows = await fetchAllMeasures(client, { doi: 3 }, { field: 'TITLE', direction: 'DESC' }, (loaded) => progress.push(loaded));

    // Assert
    expect(rows).toHaveLength(450);
    expect(new Set(rows.map((r) => r.id)).size).toBe(450);
    expect(seen.map((v) => v.after ?? null)).toEqual([null, '200', '400']);
    expect(seen.every((v) => v.first === EXPORT_PAGE_SIZE)).toBe(true);
    expect(seen[0]).toMatchObject({ filter: { doi: 3 }, sort: { field: 'TITLE', direction: 'DESC' } });
    expect(progress).toEqual([200, 400, 450]);
  });
});
