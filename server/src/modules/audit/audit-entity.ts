import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { LoaderOptions } from '../../common/loader-utils.js';
import { AuditEntity, AuditEntityKind, type AuditEntry } from './audit-entry.entity.js';

/** Entity types written by the services, by the kind of thing people look them up as. */
const KIND_OF_TYPE: Record<string, AuditEntityKind> = {
  Measure: AuditEntityKind.MEASURE,
  GateReview: AuditEntityKind.GATE_REVIEW,
  TicketGroup: AuditEntityKind.TICKET_GROUP,
  Organisation: AuditEntityKind.ORGANISATION,
  OrgUnit: AuditEntityKind.ORG_UNIT,
  Program: AuditEntityKind.PROGRAM,
  MeasurePackage: AuditEntityKind.MEASURE_PACKAGE,
  User: AuditEntityKind.USER,
};

/** The table and columns that name each kind: one query per kind per page, never per entry. */
const NAMES: Partial<Record<AuditEntityKind, { table: string; code: string; title: string }>> = {
  [AuditEntityKind.MEASURE]: { table: 'measure', code: 'code', title: 'title' },
  [AuditEntityKind.GATE_REVIEW]: { table: 'gate_review', code: 'NULL', title: 'title' },
  [AuditEntityKind.TICKET_GROUP]: { table: 'ticket_group', code: 'NULL', title: 'title' },
  [AuditEntityKind.ORGANISATION]: { table: 'organisation', code: 'NULL', title: 'name' },
  [AuditEntityKind.ORG_UNIT]: { table: 'org_unit', code: 'NULL', title: 'name' },
  [AuditEntityKind.PROGRAM]: { table: 'program', code: 'NULL', title: 'name' },
  [AuditEntityKind.MEASURE_PACKAGE]: { table: 'measure_package', code: 'NULL', title: 'name' },
  [AuditEntityKind.USER]: { table: 'app_user', code: 'NULL', title: 'name' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The entry's subject: the measure whenever the entry is about one (a gate request, a milestone), else its entity. */
export function auditSubject(entry: Pick<AuditEntry, 'entityType' | 'entityId' | 'measureId'>): { kind: AuditEntityKind; id: string } {
  if (entry.measureId) return { kind: AuditEntityKind.MEASURE, id: entry.measureId };
  return { kind: KIND_OF_TYPE[entry.entityType] ?? AuditEntityKind.OTHER, id: entry.entityId };
}

export type AuditNames = DataLoader<string, { code: string | null; title: string | null } | null>;

/** Code and title of audit subjects, keyed `KIND:id`, one query per kind in a batch. */
export function createAuditLoaders(ds: DataSource, options: LoaderOptions = {}) {
  const auditNames: AuditNames = new DataLoader(async (keys) => {
    const byKind = new Map<AuditEntityKind, string[]>();
    for (const key of keys) {
      const [kind, id] = key.split(':') as [AuditEntityKind, string];
      if (NAMES[kind] && UUID.test(id)) byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
    }
    const found = new Map<string, { code: string | null; title: string | null }>();
    await Promise.all(
      [...byKind].map(async ([kind, ids]) => {
        const n = NAMES[kind]!;
        const rows: { id: string; code: string | null; title: string }[] = await ds.query(
          `SELECT id, ${n.code} AS code, ${n.title} AS title FROM ${n.table} WHERE id = ANY(CAST($1 AS uuid[]))`,
          [ids],
        );
        for (const r of rows) found.set(`${kind}:${r.id}`, { code: r.code, title: r.title });
      }),
    );
    return keys.map((k) => found.get(k) ?? null);
  }, options);
  return { auditNames };
}

/** The entity an entry is about, named as it is now. A ticket import names its file or client. */
export async function auditEntity(entry: AuditEntry, names: AuditNames): Promise<AuditEntity> {
  const { kind, id } = auditSubject(entry);
  if (entry.entityType === 'TicketImport') return { kind, id, code: null, title: id.slice(id.indexOf(':') + 1) || null };
  const name = await names.load(`${kind}:${id}`);
  return { kind, id, code: name?.code ?? null, title: name?.title ?? null };
}
