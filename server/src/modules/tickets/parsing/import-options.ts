import { DATE_ORDERS, isTimeZone, type DateOrder } from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import { CSV_DELIMITERS, type CsvDelimiter } from './csv-dialect.js';
import { DESK_FIELDS, type DeskField } from './desk-columns.js';
import { validateGenericMapping, type GenericMapping } from './generic-format.js';
import { TEXT_ENCODINGS, type TextEncoding } from './text-decoding.js';
import { TICKET_FORMATS, type TicketFileOptions, type TicketFormat } from './ticket-formats.js';

/** The named options an import takes, as text (command-line flags, query parameters). */
export interface ImportOptionText {
  format?: string;
  mapping?: string;
  columns?: string;
  dateOrder?: string;
  timeZone?: string;
  encoding?: string;
  delimiter?: string;
}

const DELIMITER_WORDS: Record<string, CsvDelimiter> = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' };

/**
 * Checks the options of an import, each with a message naming what it takes; the command line and the upload
 * route both read theirs here. `format` "auto" or empty means: detect it. A mapping comes either as JSON text
 * (a query parameter) or already read from its file (the command line's --mapping).
 */
export function importOptions(text: ImportOptionText, mapping?: GenericMapping): TicketFileOptions {
  const options: TicketFileOptions = {};
  if (text.format && text.format !== 'auto') {
    if (!TICKET_FORMATS.includes(text.format as TicketFormat)) throw badInput(`format must be one of ${TICKET_FORMATS.join(', ')} (or left out to detect it)`, { field: 'format' });
    options.format = text.format as TicketFormat;
  }
  if (mapping !== undefined) options.mapping = mapping;
  else if (text.mapping) {
    let json: unknown;
    try {
      json = JSON.parse(text.mapping);
    } catch {
      throw badInput('mapping must be the JSON of a column mapping', { field: 'mapping' });
    }
    options.mapping = validateGenericMapping(json);
  }
  if (options.format === 'generic' && !options.mapping) throw badInput('the generic CSV format needs a mapping', { field: 'mapping' });
  if (text.columns) {
    let json: unknown;
    try {
      json = JSON.parse(text.columns);
    } catch {
      throw badInput('columns must be a JSON object from ticket field to column name', { field: 'columns' });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json) || !Object.values(json).every((v) => typeof v === 'string')) {
      throw badInput('columns must be a JSON object from ticket field to column name', { field: 'columns' });
    }
    const unknown = Object.keys(json).filter((f) => !(DESK_FIELDS as readonly string[]).includes(f));
    if (unknown.length > 0) throw badInput(`columns names fields there are none of: ${unknown.join(', ')} (known: ${DESK_FIELDS.join(', ')})`, { field: 'columns' });
    options.columns = json as Partial<Record<DeskField, string>>;
  }
  if (text.dateOrder) {
    if (!DATE_ORDERS.includes(text.dateOrder as DateOrder)) throw badInput('the date order must be dmy (day first) or mdy (month first)', { field: 'dateOrder' });
    options.dateOrder = text.dateOrder as DateOrder;
  }
  if (text.timeZone) {
    if (!isTimeZone(text.timeZone)) throw badInput(`"${text.timeZone}" is not a time zone: use an IANA name such as Europe/Berlin, or UTC`, { field: 'timeZone' });
    options.timeZone = text.timeZone;
  }
  if (text.encoding) {
    const encoding = text.encoding.toLowerCase();
    if (!TEXT_ENCODINGS.includes(encoding as TextEncoding)) throw badInput(`encoding must be one of ${TEXT_ENCODINGS.join(', ')}`, { field: 'encoding' });
    options.encoding = encoding as TextEncoding;
  }
  if (text.delimiter) {
    const delimiter = DELIMITER_WORDS[text.delimiter] ?? text.delimiter;
    if (!CSV_DELIMITERS.includes(delimiter as CsvDelimiter)) throw badInput('delimiter must be comma, semicolon, tab or pipe', { field: 'delimiter' });
    options.delimiter = delimiter as CsvDelimiter;
  }
  return options;
}

/** The same, from a request's query string (only its single string values count). */
export function importOptionsFrom(query: Record<string, unknown>): TicketFileOptions {
  const one = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : undefined);
  return importOptions({
    format: one('format'),
    mapping: one('mapping'),
    columns: one('columns'),
    dateOrder: one('dateOrder'),
    timeZone: one('timeZone'),
    encoding: one('encoding'),
    delimiter: one('delimiter'),
  });
}
