import {
  DEFAULTABLE_FIELDS,
  isDefaultableField,
  isMappableField,
  isMappingKey,
  MAPPABLE_FIELDS,
  MAPPING_KEYS,
  parsePriority,
  TICKET_DATE_FORMATS,
  TicketSource,
} from '@gatehouse/shared';

/**
 * The generic CSV format's column mapping, as typed into the mapping editor. The rules mirror the server's
 * `validateGenericMapping` (server/src/modules/tickets/parsing/generic-format.ts), which stays the judge: this
 * only lets the page point at a mistake before a large file is sent. The field names come from shared/.
 */

/**
 * The mapping travels in the upload's query string; Node refuses request heads above 16 KB, so the editor
 * refuses mappings whose encoded form would come near that.
 */
export const MAX_ENCODED_MAPPING = 8000;

/** The example the editor starts with: a desk export with an id, a title, a category and dates. */
export const EXAMPLE_MAPPING = `{
  "source": "CSV",
  "columns": {
    "externalId": "ticket_id",
    "summary": ["title", "body"],
    "description": "body",
    "category": "category",
    "priority": "priority",
    "state": "status",
    "openedAt": "created",
    "resolvedAt": "resolved"
  },
  "defaults": { "priority": "MODERATE" },
  "dateFormat": "YYYY-MM-DD HH:MM:SS"
}
`;

export interface MappingCheck {
  /** The mapping as sent: compact JSON, or null while there are problems. */
  json: string | null;
  problems: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]) => names.join(', ');

/** Where JSON.parse stopped, as "line 3, column 7", from the position engines put in their messages. */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /position (\d+)/.exec(message);
  if (at) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `The mapping is not valid JSON (near line ${line}, column ${column}).`;
  }
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return `The mapping is not valid JSON (near line ${lineCol[1]}, column ${lineCol[2]}).`;
  return 'The mapping is not valid JSON.';
}

/** Checks the editor's text; every problem at once, as sentences. */
export function checkMapping(text: string): MappingCheck {
  if (!text.trim()) return { json: null, problems: ['Enter a mapping, or load a mapping file.'] };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return { json: null, problems: [jsonProblem(text, e)] };
  }
  if (!isObject(input)) return { json: null, problems: ['The mapping must be a JSON object with a "columns" object.'] };

  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!isMappingKey(key)) problems.push(`Unknown key "${key}" (known: ${list(MAPPING_KEYS)}).`);
  }
  const source = input.source ?? TicketSource.CSV;
  if (typeof source !== 'string' || !(Object.values(TicketSource) as string[]).includes(source)) {
    problems.push(`"source" must be one of ${list(Object.values(TicketSource))}.`);
  }

  const mapped = new Set<string>();
  if (!isObject(input.columns)) {
    problems.push('"columns" must be an object from ticket field to column name.');
  } else {
    for (const [field, column] of Object.entries(input.columns)) {
      if (!isMappableField(field)) {
        problems.push(`Unknown ticket field "${field}" in columns (known: ${list(MAPPABLE_FIELDS)}).`);
        continue;
      }
      const names = typeof column === 'string' ? [column] : column;
      if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n.trim() !== '')) {
        problems.push(`columns.${field} must be a column name or a list of column names.`);
        continue;
      }
      mapped.add(field);
    }
    const idFromLine = input.idFromLine === true;
    if (idFromLine && mapped.has('externalId')) problems.push('Give either columns.externalId or "idFromLine": true, not both.');
    if (!idFromLine && !mapped.has('externalId') && !('externalId' in input.columns)) {
      problems.push('columns.externalId is required (or "idFromLine": true for exports without an id column).');
    }
    if (!mapped.has('summary') && !('summary' in input.columns)) problems.push('columns.summary is required.');
  }
  if (input.idFromLine !== undefined && typeof input.idFromLine !== 'boolean') problems.push('"idFromLine" must be true or false.');

  if (input.defaults !== undefined) {
    if (!isObject(input.defaults)) {
      problems.push('"defaults" must be an object from ticket field to value.');
    } else {
      for (const [field, value] of Object.entries(input.defaults)) {
        if (!isDefaultableField(field)) problems.push(`Unknown field "${field}" in defaults (known: ${list(DEFAULTABLE_FIELDS)}).`);
        else if (typeof value !== 'string' || value.trim() === '') problems.push(`defaults.${field} must be a non-empty text.`);
        else if (field === 'priority') {
          try {
            parsePriority(value);
          } catch {
            problems.push(`defaults.priority "${value}" is not a priority (e.g. CRITICAL, HIGH, MODERATE, LOW, PLANNING or 1 to 5).`);
          }
        }
      }
    }
  }
  if (input.dateFormat !== undefined && !(TICKET_DATE_FORMATS as readonly unknown[]).includes(input.dateFormat)) {
    problems.push(`"dateFormat" must be one of ${TICKET_DATE_FORMATS.map((f) => `"${f}"`).join(', ')}.`);
  }

  if (problems.length) return { json: null, problems };
  const json = JSON.stringify(input);
  if (encodeURIComponent(json).length > MAX_ENCODED_MAPPING) {
    return { json: null, problems: ['The mapping is too long to send with the upload; drop the "$comment" or shorten it.'] };
  }
  return { json, problems: [] };
}

/** A mapping file as the editor loads it: UTF-8 text of at most 64 KB. */
export async function readMappingFile(file: Blob): Promise<{ text: string } | { problem: string }> {
  if (file.size > 64 * 1024) return { problem: 'That file is too large for a mapping (at most 64 KB).' };
  try {
    return { text: await file.text() };
  } catch {
    return { problem: 'The mapping file could not be read.' };
  }
}
