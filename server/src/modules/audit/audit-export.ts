import { auditActionLabel, auditChangesText, auditFieldLabel } from '@gatehouse/shared';
import { csvLine } from '@gatehouse/shared';
import type { Loaders } from '../loaders.js';
import type { Actor } from '../access/index.js';
import { auditEntity } from './audit-entity.js';
import type { AuditFilter, AuditService } from './audit.service.js';
import type { AuditEntry } from './audit-entry.entity.js';

export const AUDIT_CSV_HEADER = ['Seq', 'When (UTC)', 'Who', 'Action', 'Entity type', 'Code', 'Title', 'Reason', 'Changes', 'Hash'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every string in an entry's before and after that looks like an id, to name the people among them. */
function idsIn(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (UUID.test(value)) into.add(value);
  } else if (Array.isArray(value)) for (const v of value) idsIn(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) idsIn(v, into);
}

/**
 * The audit log as CSV lines, header first, newest entry first, with the same words as the screen: actions and
 * fields in words, the entity as its code and title, people by name. A few queries per 500 entries.
 */
export async function* auditCsv(audit: AuditService, loaders: Loaders, actor: Actor, filter: AuditFilter): AsyncGenerator<string> {
  yield csvLine(AUDIT_CSV_HEADER);
  for await (const entries of audit.all(actor, filter)) {
    const ids = new Set<string>();
    for (const e of entries) {
      if (e.actorId) ids.add(e.actorId);
      idsIn(e.before, ids);
      idsIn(e.after, ids);
    }
    const people = new Map<string, string>();
    for (const u of await loaders.user.loadMany([...ids])) if (u && !(u instanceof Error)) people.set(u.id, u.name);
    const entities = await Promise.all(entries.map((e) => auditEntity(e, loaders.auditNames)));
    for (const [i, e] of entries.entries()) yield line(e, entities[i], people);
  }
}

function line(e: AuditEntry, entity: Awaited<ReturnType<typeof auditEntity>>, people: Map<string, string>): string {
  const name = (v: string) => people.get(v) ?? v;
  return csvLine([
    e.seq,
    e.at.toISOString(),
    e.actorId ? name(e.actorId) : 'System',
    auditActionLabel(e.action),
    e.entityType,
    entity.code ?? '',
    entity.title ?? '',
    e.reason ?? '',
    auditChangesText(e.before, e.after, auditFieldLabel, name),
    e.hash,
  ]);
}
