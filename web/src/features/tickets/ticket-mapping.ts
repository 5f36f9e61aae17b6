import { checkGenericMapping } from '@gatehouse/shared';

/**
 * The generic CSV format's column mapping, as typed into the mapping editor. The rules are the server's own,
 * `checkGenericMapping` in shared/; the server stays the judge, this only lets the page point at a mistake before
 * a large file is sent.
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

/** The shared rule's clause as a sentence for the editor. */
const sentence = (clause: string) => `${/^[a-z]+ /.test(clause) ? clause.charAt(0).toUpperCase() + clause.slice(1) : clause}.`;

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
  const check = checkGenericMapping(input);
  if (!check.ok) return { json: null, problems: check.problems.map(sentence) };

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
