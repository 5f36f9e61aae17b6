import { ticketFinishedAt, type Priority, type TicketRecord } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';

const MINUTE = 60_000;

export interface SlaTargets {
  responseMinutes: number;
  resolutionMinutes: number;
}

/** The organisation's SLA policies: per category (by lower-case name) and priority, with per-priority defaults. */
export class SlaPolicies {
  constructor(
    private readonly byCategory: Map<string, SlaTargets>,
    private readonly defaults: Map<Priority, SlaTargets>,
  ) {}

  static async load(manager: EntityManager, organisationId: string): Promise<SlaPolicies> {
    const rows: { category: string | null; priority: Priority; response_minutes: number; resolution_minutes: number }[] = await manager.query(
      `SELECT lower(c.name) AS category, p.priority, p.response_minutes, p.resolution_minutes
         FROM sla_policy p LEFT JOIN service_category c ON c.id = p.category_id WHERE p.organisation_id = $1`,
      [organisationId],
    );
    const byCategory = new Map<string, SlaTargets>();
    const defaults = new Map<Priority, SlaTargets>();
    for (const r of rows) {
      const targets = { responseMinutes: r.response_minutes, resolutionMinutes: r.resolution_minutes };
      if (r.category === null) defaults.set(r.priority, targets);
      else byCategory.set(`${r.category}\u0000${r.priority}`, targets);
    }
    return new SlaPolicies(byCategory, defaults);
  }

  targets(category: string | undefined, priority: Priority): SlaTargets | undefined {
    return (category && this.byCategory.get(`${category.toLowerCase()}\u0000${priority}`)) || this.defaults.get(priority);
  }
}

export interface SlaOutcome {
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** The export's own verdict (made_sla) contradicts the policy's, for a resolved ticket. */
  disagrees: boolean;
}

/** Due dates from the policy; a desk's own made_sla verdict is kept, and a contradiction is flagged. */
export function slaOutcome(record: TicketRecord, policies: SlaPolicies): SlaOutcome {
  const targets = policies.targets(record.category, record.priority);
  if (!targets || !record.openedAt) return { responseDueAt: null, resolutionDueAt: null, disagrees: false };
  const opened = record.openedAt.getTime();
  const responseDueAt = new Date(opened + targets.responseMinutes * MINUTE);
  const resolutionDueAt = new Date(opened + targets.resolutionMinutes * MINUTE);
  const finished = ticketFinishedAt(record);
  const disagrees =
    record.madeSla !== undefined && record.madeSla !== null && finished !== undefined && record.madeSla === finished.getTime() > resolutionDueAt.getTime();
  return { responseDueAt, resolutionDueAt, disagrees };
}

/** The default SLA targets of a new organisation, per priority (minutes): ITIL-style tiers. */
export async function seedSlaPolicies(manager: EntityManager, organisationId: string): Promise<void> {
  await manager.query(
    `INSERT INTO sla_policy (organisation_id, priority, response_minutes, resolution_minutes)
     SELECT $1, p.priority, p.response, p.resolution
       FROM (VALUES ('CRITICAL', 15, 240), ('HIGH', 30, 480), ('MODERATE', 240, 4320), ('LOW', 480, 7200), ('PLANNING', 1440, 14400))
         AS p(priority, response, resolution)
     ON CONFLICT DO NOTHING`,
    [organisationId],
  );
}
