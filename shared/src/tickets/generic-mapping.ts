import { parsePriority } from './ticket-priority.js';
import { TicketSource } from './ticket-record.js';
import { TICKET_DATE_FORMATS, type TicketDateFormat } from './ticket-dates.js';
import {
  DEFAULTABLE_FIELDS,
  isDefaultableField,
  isMappableField,
  isMappingKey,
  MAPPABLE_FIELDS,
  MAPPING_KEYS,
  type DefaultableField,
  type MappableField,
} from './ticket-mapping-fields.js';

/**
 * How the columns of an arbitrary CSV export become tickets, usually kept as a JSON file beside the export:
 *
 *   { "columns": { "externalId": "ticket_id", "summary": ["title", "body"], "openedAt": "created" },
 *     "defaults": { "priority": "MODERATE" }, "dateFormat": "M/D/YYYY H:MM" }
 *
 * A field mapped to a list of columns takes the first non-empty one. `idFromLine` is for exports without an id
 * column: the id is then "line-<n>", n being the physical line where the row starts. That id is stable when the
 * same file is imported again, which is what makes re-imports idempotent; it is not stable when rows are
 * inserted, removed or reordered, so a desk that can export an id should. `$comment` is ignored.
 */
export interface GenericMapping {
  source: TicketSource;
  columns: Partial<Record<MappableField, readonly string[]>>;
  defaults: Partial<Record<DefaultableField, string>>;
  /** Without one, dates are read like every export's: day/month order from the whole file (TicketDateReader). */
  dateFormat?: TicketDateFormat;
  idFromLine: boolean;
}

/**
 * The verdict on a parsed mapping: the mapping in normal form (every column a list), or every problem at once.
 * `shape` is false when the input is not even an object (then there is one problem, about that).
 */
export type GenericMappingCheck =
  | { ok: true; mapping: GenericMapping; problems: [] }
  | { ok: false; shape: boolean; problems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]) => names.join(', ');

/**
 * The one judge of a generic mapping, used by the server (import, command line) and by the dashboard's mapping
 * editor before a large file is sent. Problems are lower-case clauses naming the key at fault: unknown keys and
 * target fields, column names that are not strings, a missing externalId or summary, defaults and date formats
 * that are not ones we know.
 */
export function checkGenericMapping(input: unknown): GenericMappingCheck {
  if (!isObject(input)) return { ok: false, shape: false, problems: ['the mapping must be a JSON object with a "columns" object'] };
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!isMappingKey(key)) problems.push(`unknown key "${key}" (known: ${list(MAPPING_KEYS)})`);
  }

  const source = input.source ?? TicketSource.CSV;
  if (typeof source !== 'string' || !Object.values<string>(TicketSource).includes(source)) {
    problems.push(`"source" must be one of ${list(Object.values(TicketSource))}`);
  }

  const columns: Partial<Record<MappableField, readonly string[]>> = {};
  const idFromLine = input.idFromLine ?? false;
  if (!isObject(input.columns)) {
    problems.push('"columns" must be an object from ticket field to column name');
  } else {
    for (const [field, column] of Object.entries(input.columns)) {
      if (!isMappableField(field)) {
        problems.push(`unknown ticket field "${field}" in columns (known: ${list(MAPPABLE_FIELDS)})`);
        continue;
      }
      const names = typeof column === 'string' ? [column] : column;
      if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n.trim() !== '')) {
        problems.push(`columns.${field} must be a column name or a list of column names`);
        continue;
      }
      columns[field] = names.map((n: string) => n.trim());
    }
    // A field that is there but malformed has its own problem above; "required" is only for one left out.
    if (idFromLine === true && columns.externalId) problems.push('give either columns.externalId or "idFromLine": true, not both');
    if (idFromLine !== true && !('externalId' in input.columns)) {
      problems.push('columns.externalId is required (or set "idFromLine": true for exports without an id column)');
    }
    if (!('summary' in input.columns)) problems.push('columns.summary is required');
  }
  if (typeof idFromLine !== 'boolean') problems.push('"idFromLine" must be true or false');

  const defaults: Partial<Record<DefaultableField, string>> = {};
  if (input.defaults !== undefined) {
    if (!isObject(input.defaults)) {
      problems.push('"defaults" must be an object from ticket field to value');
    } else {
      for (const [field, value] of Object.entries(input.defaults)) {
        if (!isDefaultableField(field)) {
          problems.push(`unknown field "${field}" in defaults (known: ${list(DEFAULTABLE_FIELDS)})`);
        } else if (typeof value !== 'string' || value.trim() === '') {
          problems.push(`defaults.${field} must be a non-empty text`);
        } else if (field === 'priority' && !isPriority(value)) {
          problems.push(`defaults.priority "${value.trim()}" is not a priority (e.g. CRITICAL, HIGH, MODERATE, LOW, PLANNING or 1 to 5)`);
        } else {
          defaults[field] = value.trim();
        }
      }
    }
  }

  const dateFormat = input.dateFormat;
  if (dateFormat !== undefined && !(TICKET_DATE_FORMATS as readonly unknown[]).includes(dateFormat)) {
    problems.push(`"dateFormat" must be one of ${TICKET_DATE_FORMATS.map((f) => `"${f}"`).join(', ')}`);
  }

  if (problems.length > 0) return { ok: false, shape: true, problems };
  return {
    ok: true,
    problems: [],
    mapping: { source: source as TicketSource, columns, defaults, dateFormat: dateFormat as TicketDateFormat | undefined, idFromLine: idFromLine === true },
  };
}

function isPriority(text: string): boolean {
  try {
    parsePriority(text);
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}
