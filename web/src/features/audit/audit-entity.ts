import type { RouteLocationRaw } from 'vue-router';
import type { AuditEntityKind } from '../../graphql/generated';

export interface AuditEntityRef {
  kind: AuditEntityKind;
  id: string;
  code?: string | null;
  title?: string | null;
}

const KIND_LABELS: Record<AuditEntityKind, string> = {
  MEASURE: 'Measure',
  GATE_REVIEW: 'Gate review',
  TICKET_GROUP: 'Ticket group',
  ORGANISATION: 'Organisation',
  ORG_UNIT: 'Org unit',
  PROGRAM: 'Program',
  MEASURE_PACKAGE: 'Package',
  USER: 'User',
  OTHER: '',
};

/** "M-0015 · Email gateway hardening", "Gate review · Steering committee — …", or the id when it no longer exists. */
export function auditEntityText(e: AuditEntityRef): string {
  const name = e.title ?? (e.kind === 'OTHER' ? e.id : `${e.id.slice(0, 8)} (removed)`);
  return e.code ? `${e.code} · ${name}` : name;
}

export const auditEntityKindLabel = (kind: AuditEntityKind) => KIND_LABELS[kind];

/** Where the entity lives in the app, when it has a page of its own. */
export function auditEntityRoute(e: AuditEntityRef): RouteLocationRaw | null {
  if (!e.title) return null;
  if (e.kind === 'MEASURE') return { name: 'measure', params: { id: e.id } };
  if (e.kind === 'GATE_REVIEW') return { name: 'gate-review', params: { id: e.id } };
  if (e.kind === 'TICKET_GROUP') return { name: 'ticket-group', params: { id: e.id } };
  return null;
}
