import { readFile } from 'node:fs/promises';
import {
  DEFAULTABLE_FIELDS,
  isDefaultableField,
  isMappableField,
  isMappingKey,
  MAPPABLE_FIELDS,
  MAPPING_DATE_FIELDS,
  MAPPING_KEYS,
  MAPPING_TEXT_FIELDS,
  parsePriority,
  Priority,
  shortSummary,
  TICKET_DATE_FORMATS,
  type DefaultableField,
  type MappableField,
  TicketSource,
  type RowRejection,
  type TicketDateFormat,
  type TicketRecord,
} from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import type { CsvRow } from './csv-records.js';
import {
  booleanValue,
  countValue,
  dateValue,
  FieldError,
  priorityValue,
  rejectingFieldErrors,
  stateCategoryValue,
  textValue,
  withoutUndefined,
} from './field-values.js';
import type { ParseContext } from './import-warnings.js';


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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]) => names.join(', ');

/**
 * Checks a parsed mapping file and returns it in normal form (every column a list). Throws BAD_USER_INPUT
 * naming every problem at once: unknown keys and target fields, column names that are not strings, a missing
 * externalId or summary, defaults and date formats that are not ones we know.
 */
export function validateGenericMapping(input: unknown, where = 'the mapping'): GenericMapping {
  if (!isObject(input)) throw badInput(`${where} must be a JSON object with a "columns" object`);
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!isMappingKey(key)) problems.push(`unknown key "${key}" (known: ${list(MAPPING_KEYS)})`);
  }

  const source = input.source ?? TicketSource.CSV;
  if (typeof source !== 'string' || !Object.values<string>(TicketSource).includes(source)) {
    problems.push(`source must be one of ${list(Object.values(TicketSource))}`);
  }

  const columns: Partial<Record<MappableField, readonly string[]>> = {};
  if (!isObject(input.columns)) {
    problems.push('"columns" must be an object from ticket field to column name');
  } else {
    for (const [field, column] of Object.entries(input.columns)) {
      if (!isMappableField(field)) {
        problems.push(`unknown target field "${field}" in columns (known: ${list(MAPPABLE_FIELDS)})`);
        continue;
      }
      const names = typeof column === 'string' ? [column] : column;
      if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n.trim() !== '')) {
        problems.push(`columns.${field} must be a column name or a list of column names`);
        continue;
      }
      columns[field as MappableField] = names.map((n: string) => n.trim());
    }
  }

  const idFromLine = input.idFromLine ?? false;
  if (typeof idFromLine !== 'boolean') problems.push('idFromLine must be true or false');
  if (idFromLine === true && columns.externalId) problems.push('give either columns.externalId or idFromLine, not both');
  if (idFromLine !== true && !columns.externalId && isObject(input.columns)) {
    problems.push('columns.externalId is required (or set "idFromLine": true for exports without an id column)');
  }
  if (!columns.summary && isObject(input.columns)) problems.push('columns.summary is required');

  const defaults: Partial<Record<DefaultableField, string>> = {};
  if (input.defaults !== undefined) {
    if (!isObject(input.defaults)) {
      problems.push('"defaults" must be an object from ticket field to value');
    } else {
      for (const [field, value] of Object.entries(input.defaults)) {
        if (!isDefaultableField(field)) {
          problems.push(`unknown field "${field}" in defaults (known: ${list(DEFAULTABLE_FIELDS)})`);
        } else if (typeof value !== 'string' || value.trim() === '') {
          problems.push(`defaults.${field} must be a non-empty string`);
        } else {
          defaults[field as DefaultableField] = value.trim();
        }
      }
      if (defaults.priority !== undefined) {
        try {
          parsePriority(defaults.priority);
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          problems.push(`defaults.priority: ${e.message}`);
        }
      }
    }
  }

  const dateFormat = input.dateFormat;
  if (dateFormat !== undefined && !(TICKET_DATE_FORMATS as readonly unknown[]).includes(dateFormat)) {
    problems.push(`dateFormat must be one of ${TICKET_DATE_FORMATS.map((f) => `"${f}"`).join(', ')}`);
  }

  if (problems.length > 0) throw badInput(`${where} is not a valid mapping: ${problems.join('; ')}`, { problems });
  return {
    source: source as TicketSource,
    columns,
    defaults,
    dateFormat: dateFormat as TicketDateFormat | undefined,
    idFromLine: idFromLine === true,
  };
}

/** Reads and validates a mapping file. */
export async function loadGenericMapping(path: string): Promise<GenericMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(`cannot read the mapping ${path}: there is no such file`, { path });
    if (code === 'EISDIR') throw badInput(`cannot read the mapping ${path}: it is a directory`, { path });
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badInput(`the mapping ${path} is not valid JSON: ${(e as Error).message}`, { path });
  }
  return validateGenericMapping(json, `the mapping ${path}`);
}

export function checkGenericColumns(mapping: GenericMapping, headers: readonly string[]): void {
  const missing = [...new Set(Object.values(mapping.columns).flat())].filter((c) => !headers.includes(c));
  if (missing.length > 0) {
    throw badInput(`the mapping names columns the file does not have: ${missing.map((c) => `"${c}"`).join(', ')}`);
  }
}

/** A row parser for one mapping; the mapping is read once, not per row. */
export function genericRowParser(mapping: GenericMapping, ctx: ParseContext): (row: CsvRow) => TicketRecord | RowRejection {
  const { columns, defaults } = mapping;
  const dates = mapping.dateFormat ?? ctx.dates;
  return (row) =>
    rejectingFieldErrors(row.line, () => {
      /** The first non-empty mapped column, with the name of the column it came from. */
      const pick = (field: MappableField): [value: string, column: string] | undefined => {
        for (const column of columns[field] ?? []) {
          const v = textValue(row.fields[column]);
          if (v !== undefined) return [v, column];
        }
        return undefined;
      };
      const text = (field: (typeof MAPPING_TEXT_FIELDS)[number]) => pick(field)?.[0] ?? (defaults as Record<string, string | undefined>)[field];
      const date = (field: (typeof MAPPING_DATE_FIELDS)[number]) => {
        const picked = pick(field);
        return picked && dateValue(picked[1], picked[0], dates);
      };

      const externalId = mapping.idFromLine ? `line-${row.line}` : text('externalId');
      if (externalId === undefined) throw new FieldError(columns.externalId?.join(' / ') ?? 'externalId', 'the ticket id is empty');
      const summary = text('summary');
      if (summary === undefined) throw new FieldError(columns.summary?.join(' / ') ?? 'summary', 'the summary is empty');

      const pickedPriority = pick('priority');
      const given = pickedPriority && priorityValue(pickedPriority[1], pickedPriority[0], ctx);
      const priority: Priority | undefined = given?.priority ?? (defaults.priority === undefined ? undefined : parsePriority(defaults.priority));
      if (priority === undefined) {
        throw new FieldError(columns.priority?.join(' / ') ?? 'priority', 'the priority is empty and the mapping gives no default');
      }

      const labels = pick('labels')?.[0].split(/[,;|]/).map((l) => l.trim()).filter((l) => l !== '');
      const sla = pick('madeSla');
      const revision = pick('revision');
      const updatedAt = date('updatedAt');

      return withoutUndefined<TicketRecord>({
        source: mapping.source,
        externalId,
        summary: shortSummary(summary),
        description: text('description'),
        category: text('category'),
        subcategory: text('subcategory'),
        service: text('service'),
        symptom: text('symptom'),
        impact: text('impact'),
        urgency: text('urgency'),
        priority,
        sourcePriority: given?.sourcePriority,
        state: text('state'),
        stateCategory: stateCategoryValue(columns.state?.join(' / ') ?? 'state', text('state'), ctx, text('stateCategory')),
        assignmentGroup: text('assignmentGroup'),
        requestingUnit: text('requestingUnit'),
        problemRef: text('problemRef'),
        labels: labels && labels.length > 0 ? labels : undefined,
        requestType: text('requestType'),
        openedAt: date('openedAt'),
        respondedAt: date('respondedAt'),
        resolvedAt: date('resolvedAt'),
        closedAt: date('closedAt'),
        updatedAt,
        madeSla: columns.madeSla ? (sla ? booleanValue(sla[1], sla[0]) : null) : undefined,
        revision: (revision && countValue(revision[1], revision[0])) ?? updatedAt?.getTime() ?? 0,
      });
    });
}
