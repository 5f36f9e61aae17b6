import { readFile } from 'node:fs/promises';
import {
  checkGenericMapping,
  MAPPING_DATE_FIELDS,
  MAPPING_TEXT_FIELDS,
  parsePriority,
  Priority,
  shortSummary,
  type GenericMapping,
  type MappableField,
  type RowRejection,
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


export type { GenericMapping };

/**
 * Checks a parsed mapping file with the shared rule and returns it in normal form (every column a list). Throws
 * BAD_USER_INPUT naming every problem at once.
 */
export function validateGenericMapping(input: unknown, where = 'the mapping'): GenericMapping {
  const check = checkGenericMapping(input);
  if (check.ok) return check.mapping;
  if (!check.shape) throw badInput(`${where} must be a JSON object with a "columns" object`);
  throw badInput(`${where} is not a valid mapping: ${check.problems.join('; ')}`, { problems: check.problems });
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
