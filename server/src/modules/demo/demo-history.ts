import type { EntityManager } from 'typeorm';
import { appendAuditEntries, type AuditRecord } from '../../database/audit-writer.js';

/**
 * The demo's past as audit entries: every change it seeds (the organisation, its people, measures, values,
 * gate requests and decisions, validations, sign-offs, ticket imports) is recorded with the time it is dated
 * and the person who made it, and written to the hash chain in time order like any other change. The audit
 * log and each measure's history then tell the same story as the data.
 */
export class DemoHistory {
  private readonly records: AuditRecord[] = [];

  record(at: Date, actorId: string | null, entry: Omit<AuditRecord, 'at' | 'actorId'>): void {
    this.records.push({ ...entry, at, actorId });
  }

  get size(): number {
    return this.records.length;
  }

  /** Appends everything recorded, oldest first; entries of the same instant keep the order they were recorded in. */
  async write(manager: EntityManager, organisationId: string): Promise<void> {
    const ordered = this.records.map((r, i) => ({ r, i })).sort((a, b) => a.r.at!.getTime() - b.r.at!.getTime() || a.i - b.i);
    await appendAuditEntries(manager, { userId: null, organisationId }, ordered.map(({ r }) => r));
  }
}
