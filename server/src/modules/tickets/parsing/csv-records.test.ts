import { SERVICENOW_LOG } from '../../../testing/fixtures.js';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRowRejection } from '@gatehouse/shared';
import { openCsvRecords, readCsvRecords, type CsvRecord, type CsvRejection } from './csv-records.js';

const SERVICENOW_FILE = SERVICENOW_LOG;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'csv-records-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function all(source: string | Readable): Promise<(CsvRecord | CsvRejection)[]> {
  const out: (CsvRecord | CsvRejection)[] = [];
  for await (const r of readCsvRecords(source)) out.push(r);
  return out;
}

const fromText = (text: string) => Readable.from([Buffer.from(text)]);

describe('CSV records', () => {
  it('streams the real ServiceNow export with physical line numbers and byte progress', async () => {
    // Setup
    const size = (await stat(SERVICENOW_FILE)).size;

    // Action
    const csv = await openCsvRecords(SERVICENOW_FILE);
    const rows: CsvRecord[] = [];
    for await (const r of csv) if (!isRowRejection(r)) rows.push(r);

    // Assert
    expect(csv.headers).toHaveLength(36);
    expect(csv.headers[0]).toBe('number');
    expect(rows).toHaveLength(5998);
    expect(rows[0]).toMatchObject({ line: 2, fields: { number: 'INC0000045', sys_mod_count: '0' } });
    expect(rows.at(-1)?.line).toBe(5999);
    expect(rows.every((r, i) => i === 0 || r.bytes >= rows[i - 1].bytes)).toBe(true);
    expect(rows.at(-1)?.bytes).toBe(size);
  });

  it('keeps line numbers right across quoted commas and line breaks, blank lines and CRLF', async () => {
    // Setup: the second record spans lines 3 to 5, line 6 is blank.
    const lf = 'id,text\n1,plain\n2,"has, a comma\nand two\nline breaks"\n\n3,"quoted ""word"""\n4,last';
    const crlf = lf.replace(/\n/g, '\r\n');

    for (const text of [lf, crlf]) {
      // Action
      const rows = (await all(fromText(text))) as CsvRecord[];

      // Assert
      expect(rows.map((r) => [r.line, r.fields.id])).toEqual([
        [2, '1'],
        [3, '2'],
        [7, '3'],
        [8, '4'],
      ]);
      expect(rows[1].fields.text.split(/\r?\n/)).toEqual(['has, a comma', 'and two', 'line breaks']);
      expect(rows[2].fields.text).toBe('quoted "word"');
    }
  });

  it('strips a byte order mark and trims header names', async () => {
    // Action
    const csv = await openCsvRecords(fromText('\uFEFF id , name\n1,a\n'));

    // Assert
    expect(csv.headers).toEqual(['id', 'name']);
    for await (const r of csv) expect(r).toMatchObject({ line: 2, fields: { id: '1', name: 'a' } });
  });

  it('rejects a row with the wrong number of fields and reads on', async () => {
    // Action
    const rows = await all(fromText('a,b\n1,2\n3\n4,5,6\n7,8\n'));

    // Assert
    expect(rows).toEqual([
      expect.objectContaining({ line: 2, fields: { a: '1', b: '2' } }),
      expect.objectContaining({ line: 3, reason: 'the row has 1 fields, the header has 2' }),
      expect.objectContaining({ line: 4, reason: 'the row has 3 fields, the header has 2' }),
      expect.objectContaining({ line: 5, fields: { a: '7', b: '8' } }),
    ]);
  });

  it('rejects an unclosed quote at its line and says the rest was not read', async () => {
    // Action
    const rows = await all(fromText('a,b\n1,2\n3,"never closed\n4,5\n'));

    // Assert
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ line: 2, fields: { a: '1', b: '2' } });
    expect(rows[1]).toMatchObject({ line: 3, reason: expect.stringMatching(/never closed; the rest of the file could not be read/) });
  });

  it('refuses a missing file, a directory, an empty file and a binary file with a clear message', async () => {
    // Setup
    const empty = path.join(dir, 'empty.csv');
    const binary = path.join(dir, 'image.csv');
    await writeFile(empty, '');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));

    // Action / Assert
    await expect(openCsvRecords(path.join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: there is no such file/);
    await expect(openCsvRecords(dir)).rejects.toThrow(/is a directory, not a CSV file/);
    await expect(openCsvRecords(empty)).rejects.toThrow(/is empty: a header row is required/);
    await expect(openCsvRecords(binary)).rejects.toThrow(/is not a CSV text file/);
    // NUL bytes in every other place are UTF-16 text, which is read.
    expect((await openCsvRecords(fromText('i\u0000d\u0000\n\u00001\u0000'))).encoding).toBe('utf-16le');
  });

  it('refuses an empty header name between named ones, ignores trailing empty ones and collects repeated names', async () => {
    // Action / Assert
    await expect(openCsvRecords(fromText('id,,name\n1,2,3\n'))).rejects.toThrow(/column 2 of the header row has no name/);
    const trailing = await openCsvRecords(fromText('id;name;;\n1;x;;\n;;;\n2;y;;\n'));
    const read: CsvRecord[] = [];
    for await (const r of trailing) if (!isRowRejection(r)) read.push(r);
    expect(trailing.headers).toEqual(['id', 'name']);
    expect(read.map((r) => r.fields)).toEqual([{ id: '1', name: 'x' }, { id: '2', name: 'y' }]);
    expect(trailing.emptyRows).toBe(1);

    const csv = await openCsvRecords(fromText('key,Labels,Labels,Labels\nA-1,x,,y\n'));
    const rows: CsvRecord[] = [];
    for await (const r of csv) if (!isRowRejection(r)) rows.push(r);
    expect(rows[0].fields).toEqual({ key: 'A-1', Labels: 'x' });
    expect(rows[0].repeated).toEqual({ Labels: ['x', '', 'y'] });
  });

  it('keeps header names such as __proto__ as plain fields', async () => {
    // Action
    const rows = (await all(fromText('__proto__,constructor\na,b\n'))) as CsvRecord[];

    // Assert
    expect(rows[0].fields.__proto__).toBe('a');
    expect(rows[0].fields.constructor).toBe('b');
  });

  it('hands out the same records in batches, for callers that handle rows in bulk', async () => {
    // Setup
    const one: (CsvRecord | CsvRejection)[] = [];
    for await (const r of await openCsvRecords(SERVICENOW_FILE)) one.push(r);

    // Action
    const batched: (CsvRecord | CsvRejection)[] = [];
    for await (const batch of (await openCsvRecords(SERVICENOW_FILE)).batches) batched.push(...batch);

    // Assert
    expect(batched).toEqual(one);
  });

  it('releases the file when the reader stops early', async () => {
    // Setup
    const csv = await openCsvRecords(SERVICENOW_FILE);

    // Action
    let seen = 0;
    for await (const _ of csv) if (++seen === 3) break;
    csv.close();

    // Assert
    expect(seen).toBe(3);
  });
});
