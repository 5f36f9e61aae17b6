import { readFileSync } from 'node:fs';

/**
 * A deliberately plain CSV reader for tests: the whole file in memory, RFC 4180 quoting, the delimiter and
 * encoding told by the test. It shares nothing with the importer, so that counts computed with it check the
 * importer instead of repeating it.
 */
export function readPlainCsv(file: string, options: { delimiter?: string; encoding?: string } = {}): { header: string[]; rows: Record<string, string>[] } {
  const delimiter = options.delimiter ?? ',';
  const text = new TextDecoder(options.encoding ?? 'utf-8').decode(readFileSync(file)).replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  const header = records[0].map((h) => h.trim());
  const rows = records.slice(1).map((values) => {
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      if (h !== '' && !(h in row)) row[h] = values[i] ?? '';
    });
    return row;
  });
  return { header, rows };
}
