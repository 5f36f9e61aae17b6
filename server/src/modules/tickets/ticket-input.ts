import { Priority, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import { priorityValue, stateCategoryValue } from './parsing/field-values.js';
import { ImportWarnings } from './parsing/import-warnings.js';
import { type TicketInput } from './tickets.inputs.js';

/** "UNKNOWN" from a caller is its own verdict (the command line's --url sends it for a value it warned about). */
const API_PRIORITY_WORDS = new Map([['unknown', Priority.UNKNOWN]]);

/**
 * Turns one API ticket into the record every import format produces, or its rejection. A priority or state
 * nobody knows is kept as UNKNOWN and counted in `warnings`, as in every export.
 */
export function ticketFromInput(input: TicketInput, index: number, warnings = new ImportWarnings()): TicketRecord | RowRejection {
  const line = index + 1;
  const text = (v: string | null | undefined, field: string, max: number) => {
    if (v == null) return undefined;
    if (v.includes('\u0000')) throw new Error(`${field} contains a NUL character`);
    const t = v.trim();
    if (t.length > max) throw new Error(`${field} is longer than ${max} characters`);
    return t || undefined;
  };
  const date = (v: Date | null | undefined, field: string) => {
    if (v == null) return undefined;
    if (Number.isNaN(v.getTime()) || v.getUTCFullYear() < 1970 || v.getUTCFullYear() > 2200) throw new Error(`${field} is not a usable date`);
    return v;
  };
  try {
    const externalId = text(input.externalId, 'externalId', 200);
    if (!externalId) return { line, reason: 'no externalId' };
    const summary = text(input.summary, 'summary', 10_000);
    if (!summary) return { line, reason: 'no summary' };
    const given = priorityValue('priority', text(input.priority, 'priority', 100), { warnings }, API_PRIORITY_WORDS);
    // "UNKNOWN" is a verdict, not the desk's own text.
    const deskPriority = given && !API_PRIORITY_WORDS.has(given.sourcePriority.toLowerCase()) ? given.sourcePriority : undefined;
    const state = text(input.state, 'state', 100);
    const updatedAt = date(input.updatedAt, 'updatedAt');
    if (input.revision != null && (!Number.isFinite(input.revision) || Math.abs(input.revision) > 9e15)) return { line, reason: 'revision is not a number' };
    return {
      source: TicketSource.CSV,
      externalId,
      summary: shortSummary(summary),
      description: text(input.description, 'description', 20_000) ?? (summary.length > 200 ? summary : undefined),
      category: text(input.category, 'category', 200),
      subcategory: text(input.subcategory, 'subcategory', 200),
      service: text(input.service, 'service', 200),
      symptom: text(input.symptom, 'symptom', 200),
      impact: text(input.impact, 'impact', 100),
      urgency: text(input.urgency, 'urgency', 100),
      priority: given?.priority ?? Priority.MODERATE,
      sourcePriority: text(input.sourcePriority, 'sourcePriority', 100) ?? deskPriority,
      state,
      stateCategory: input.stateCategory ?? stateCategoryValue('state', state, { warnings }),
      assignmentGroup: text(input.assignmentGroup, 'assignmentGroup', 200),
      requestingUnit: text(input.requestingUnit, 'requestingUnit', 200),
      problemRef: text(input.problemRef, 'problemRef', 200),
      labels: input.labels?.map((l, i) => text(l, `labels[${i}]`, 100)).filter((l): l is string => !!l),
      requestType: text(input.requestType, 'requestType', 200),
      openedAt: date(input.openedAt, 'openedAt'),
      respondedAt: date(input.respondedAt, 'respondedAt'),
      resolvedAt: date(input.resolvedAt, 'resolvedAt'),
      closedAt: date(input.closedAt, 'closedAt'),
      updatedAt,
      madeSla: input.madeSla ?? undefined,
      revision: input.revision ?? updatedAt?.getTime() ?? 0,
    };
  } catch (e) {
    return { line, reason: (e as Error).message };
  }
}
