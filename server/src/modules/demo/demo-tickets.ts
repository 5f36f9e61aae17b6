import { Priority, ticketSignature, TicketSource, TicketStateCategory, type TicketRecord } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../common/transaction.js';
import { LocalEventBus } from '../../events/event-bus.js';
import { TicketImportService } from '../tickets/index.js';
import { demoStepAt, type DemoMeasure } from './demo-governance.js';
import type { DemoHistory } from './demo-history.js';
import { DAY, mulberry32 } from './demo-random.js';

/** How far back the desk's history reaches. */
const HISTORY_DAYS = 300;
/** The desk exports its tickets every this many days. */
const EXPORT_DAYS = 30;
const HOUR = 3_600_000;

/** A recurring issue of Northwind's service desk, and the measure meant to remove it (by its demo sequence number). */
interface Issue {
  summaries: string[];
  category?: string;
  subcategory?: string;
  service?: string;
  symptom?: string;
  perMonth: number;
  priorities: [KnownPriority, number][];
  assignmentGroup: string;
  requestingUnit: string;
  /** Tickets that outlive the SLA target, in percent. */
  breachPercent: number;
  measureSeq?: number;
  /** The ticket rate after the linked measure reached DoI 4, as a share of the rate before. */
  afterImplementation?: number;
}

const ISSUES: Issue[] = [
  {
    summaries: ['Cannot log in to the CRM after password change', 'CRM says access denied', 'No access to CRM account view'],
    category: 'Access',
    subcategory: 'CRM',
    service: 'Salesforce CRM',
    symptom: 'Access denied',
    perMonth: 14,
    priorities: [[Priority.MODERATE, 7], [Priority.HIGH, 3]],
    assignmentGroup: 'Service Desk',
    requestingUnit: 'Sales Operations',
    breachPercent: 10,
    measureSeq: 2, // Automated CRM access provisioning, closed
    afterImplementation: 0.2,
  },
  {
    summaries: ['Quote tool times out when saving a large quote', 'Time-out in quote tool on save', 'Quote could not be saved: gateway time-out'],
    category: 'Software',
    subcategory: 'Quoting',
    service: 'CPQ quote tool',
    symptom: 'Time-out',
    perMonth: 12,
    priorities: [[Priority.HIGH, 5], [Priority.MODERATE, 5]],
    assignmentGroup: 'Application Support',
    requestingUnit: 'CRM & Quoting',
    breachPercent: 18,
    measureSeq: 9, // Root-cause fix for quote tool time-outs, at DoI 4
    afterImplementation: 0.25,
  },
  {
    summaries: ['VPN connection drops every few minutes', 'VPN disconnects when working from home', 'VPN keeps dropping'],
    category: 'Network',
    subcategory: 'Remote access',
    service: 'Corporate VPN',
    symptom: 'Connection drops',
    perMonth: 10,
    priorities: [[Priority.MODERATE, 6], [Priority.LOW, 4]],
    assignmentGroup: 'Network Operations',
    requestingUnit: 'Field Service',
    breachPercent: 8,
    measureSeq: 11, // Problem management for recurring VPN failures, at DoI 3
  },
  {
    summaries: ['Password reset', 'Forgot my Windows password', 'Account locked, please reset password'],
    category: 'Access',
    subcategory: 'Password',
    service: 'Active Directory',
    symptom: 'Forgotten password',
    perMonth: 24,
    priorities: [[Priority.LOW, 6], [Priority.MODERATE, 4]],
    assignmentGroup: 'Service Desk',
    requestingUnit: 'Contact Centre',
    breachPercent: 5,
    measureSeq: 1, // Self-service password reset for all staff, at DoI 3
  },
  {
    summaries: ['Customer portal down', 'Customers cannot open the portal', 'Portal returns error 503'],
    category: 'Service',
    subcategory: 'Customer portal',
    service: 'Customer portal',
    symptom: 'Outage',
    perMonth: 5,
    priorities: [[Priority.CRITICAL, 3], [Priority.HIGH, 7]],
    assignmentGroup: 'Application Support',
    requestingUnit: 'Contact Centre',
    breachPercent: 35,
  },
  {
    summaries: ['Printer on floor 3 not printing', 'Print jobs stuck in queue', 'Printer offline again'],
    category: 'Hardware',
    subcategory: 'Printer',
    service: 'Print service',
    symptom: 'Not printing',
    perMonth: 7,
    priorities: [[Priority.LOW, 8], [Priority.MODERATE, 2]],
    assignmentGroup: 'Field IT',
    requestingUnit: 'Accounts Payable',
    breachPercent: 12,
  },
  {
    // Mail from the shared inbox: no structured fields, so the summary's words make the group.
    summaries: ['Outlook keeps asking for password', 'outlook keeps asking for my password', 'Outlook keeps asking for password again!'],
    perMonth: 4,
    priorities: [[Priority.MODERATE, 1]],
    assignmentGroup: 'Service Desk',
    requestingUnit: 'Controlling',
    breachPercent: 10,
  },
];

/** One-off requests, so that not every group recurs. */
const ONE_OFFS: [string, string, string][] = [
  ['Request for a second monitor', 'Hardware', 'Monitor'],
  ['New starter needs laptop', 'Hardware', 'Laptop'],
  ['Teams meeting room display broken', 'Hardware', 'Meeting room'],
  ['Access to finance share for auditor', 'Access', 'File share'],
  ['Install Visio', 'Software', 'Installation'],
  ['Mobile phone replacement', 'Hardware', 'Mobile'],
  ['Distribution list for the field team', 'Email', 'Distribution list'],
  ['Wi-Fi weak in warehouse', 'Network', 'Wi-Fi'],
];

/** The demo desk writes only known priorities. */
type KnownPriority = Exclude<Priority, Priority.UNKNOWN>;

const RESOLUTION_TARGET_HOURS: Record<KnownPriority, number> = {
  [Priority.CRITICAL]: 4,
  [Priority.HIGH]: 8,
  [Priority.MODERATE]: 72,
  [Priority.LOW]: 120,
  [Priority.PLANNING]: 240,
};

function weighted<T>(items: [T, number][], random: () => number): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = random() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1][0];
}

/** A ticket opened at `openedAt`: answered within the hour, resolved within its target unless it breaches; open when recent. */
function ticket(key: string, summary: string, issue: Omit<Issue, 'summaries' | 'perMonth'>, openedAt: Date, now: Date, random: () => number): TicketRecord {
  const priority = weighted(issue.priorities, random);
  const target = RESOLUTION_TARGET_HOURS[priority];
  const breach = random() * 100 < issue.breachPercent;
  const hours = breach ? target * (1.2 + random() * 1.5) : target * (0.1 + random() * 0.8);
  const resolved = new Date(openedAt.getTime() + hours * HOUR);
  const open = resolved.getTime() > now.getTime() || random() < 0.01;
  return {
    source: TicketSource.JIRA,
    externalId: key,
    summary,
    category: issue.category,
    subcategory: issue.subcategory,
    service: issue.service,
    symptom: issue.symptom,
    priority,
    state: open ? 'In Progress' : 'Resolved',
    stateCategory: open ? TicketStateCategory.OPEN : TicketStateCategory.RESOLVED,
    assignmentGroup: issue.assignmentGroup,
    requestingUnit: issue.requestingUnit,
    openedAt,
    respondedAt: new Date(openedAt.getTime() + (5 + random() * 55) * 60_000),
    resolvedAt: open ? undefined : resolved,
    revision: 0,
  };
}

/** Working hours, Monday to Friday: a ticket opened on day `d` (days before now) at a random time between 7 and 18 UTC. */
function openedOn(now: Date, daysAgo: number, random: () => number): Date | null {
  const day = new Date(now.getTime() - daysAgo * DAY);
  day.setUTCHours(7 + Math.floor(random() * 11), Math.floor(random() * 60), 0, 0);
  if (day.getUTCDay() === 0 || day.getUTCDay() === 6) return null;
  return day.getTime() < now.getTime() ? day : null;
}

/**
 * Ten months of Northwind's service desk (Jira Service Management, keys NWSD-…), dated relative to today:
 * recurring issues, some with SLA breaches and a backlog, a few one-off requests. They go through the import
 * like any export would; then the recurring groups are linked to the measures meant to remove them. The quote
 * tool's time-outs fall once its fix reached DoI 4, so its effect check shows on the measure.
 */
export async function loadDemoTickets(manager: EntityManager, organisationId: string, measures: DemoMeasure[], history: DemoHistory, now: Date): Promise<void> {
  const random = mulberry32(7);
  const bySeq = new Map(measures.map((m) => [m.seq, m]));
  const records: TicketRecord[] = [];
  let key = 1000;
  for (const issue of ISSUES) {
    const measure = issue.measureSeq ? bySeq.get(issue.measureSeq) : undefined;
    const implementedAt = measure && issue.afterImplementation !== undefined && measure.doi >= 4 ? demoStepAt(measure.createdAt, 4, now).getTime() : Infinity;
    // Working days are 5 of 7: the monthly rate spread over them.
    const perWorkingDay = (issue.perMonth * 12) / 260;
    for (let daysAgo = HISTORY_DAYS; daysAgo >= 0; daysAgo--) {
      const opened = openedOn(now, daysAgo, random);
      if (!opened) continue;
      const rate = perWorkingDay * (opened.getTime() >= implementedAt ? issue.afterImplementation! : 1);
      const count = Math.floor(rate + random());
      for (let i = 0; i < count; i++) {
        const at = new Date(opened.getTime() + i * 17 * 60_000);
        records.push(ticket(`NWSD-${++key}`, issue.summaries[Math.floor(random() * issue.summaries.length)], issue, at, now, random));
      }
    }
  }
  for (const [i, [summary, category, subcategory]] of ONE_OFFS.entries()) {
    const opened = openedOn(now, 5 + i * 31, random) ?? openedOn(now, 7 + i * 31, random)!;
    records.push(ticket(`NWSD-${++key}`, summary, { category, subcategory, priorities: [[Priority.LOW, 1]], assignmentGroup: 'Service Desk', requestingUnit: 'Finance', breachPercent: 0 }, opened, now, random));
  }
  records.sort((a, b) => a.openedAt!.getTime() - b.openedAt!.getTime());

  // Imported the way the desk exports them: a file at the end of every month, each batch dated then.
  const importer = new TicketImportService(manager.connection, new LocalEventBus());
  const firstImport = new Date(now.getTime() - (HISTORY_DAYS - EXPORT_DAYS) * DAY);
  for (let end = firstImport.getTime(), done = 0; done < records.length; end = Math.min(end + EXPORT_DAYS * DAY, now.getTime() - HOUR)) {
    const batch: TicketRecord[] = [];
    while (done < records.length && (records[done].openedAt!.getTime() < end || end >= now.getTime() - HOUR)) batch.push(records[done++]);
    const at = new Date(end);
    const tx: Tx = { manager, actor: { userId: null, organisationId }, audit: (entry) => history.record(at, null, entry), afterCommit: () => undefined };
    await importer.writeIn(tx, importer.prepareBatch(TicketSource.JIRA, batch), `nwsd-export-${at.toISOString().slice(0, 10)}.csv`);
  }

  // The owner of each measure linked the group it is meant to remove, as soon as both existed.
  for (const issue of ISSUES) {
    const measure = issue.measureSeq ? bySeq.get(issue.measureSeq) : undefined;
    if (!measure) continue;
    const { signature, title } = ticketSignature({ summary: issue.summaries[0], category: issue.category, subcategory: issue.subcategory, service: issue.service, symptom: issue.symptom });
    const linkedAt = new Date(Math.max(measure.createdAt.getTime(), firstImport.getTime()) + DAY);
    const [group]: { id: string }[] = await manager.query(
      `INSERT INTO ticket_group_link (group_id, measure_id, linked_by, linked_at)
       SELECT id, $3, $4, $5 FROM ticket_group WHERE organisation_id = $1 AND signature = $2 RETURNING group_id AS id`,
      [organisationId, signature, measure.id, measure.ownerId, linkedAt],
    );
    history.record(linkedAt, measure.ownerId, {
      action: 'ticketGroup.linked',
      entityType: 'TicketGroup',
      entityId: group.id,
      measureId: measure.id,
      after: { groupId: group.id, title, measureId: measure.id },
    });
  }
}
