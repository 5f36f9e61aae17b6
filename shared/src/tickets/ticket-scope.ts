/**
 * Ticket scope: which org unit a service-desk ticket belongs to. Admins map the desk's assignment groups and
 * requesting units to org units; a ticket belongs to the unit its assignment group is mapped to, else the unit
 * its requesting unit is mapped to, else (unmapped) to the organisation. The team that works a ticket is the
 * better owner of its cause than the team that asked, hence the order. Whoever holds any role on the ticket's
 * scope or above it reads it (`tickets.read` in access-policy.ts); the server applies the same rule in SQL.
 */
export enum TicketScopeField {
  ASSIGNMENT_GROUP = 'ASSIGNMENT_GROUP',
  REQUESTING_UNIT = 'REQUESTING_UNIT',
}

export interface TicketScopeRule {
  field: TicketScopeField;
  /** The desk's own name, compared trimmed and case-insensitively. */
  value: string;
  orgUnitId: string;
}

/** The key a desk value is compared by: "IT Service Desk " and "it service desk" are the same group. */
export function ticketScopeKey(value: string): string {
  return value.trim().toLowerCase();
}

/** Looks rules up by field and key; build once per import batch. */
export class TicketScopeRules {
  private readonly byKey = new Map<string, string>();

  constructor(rules: readonly TicketScopeRule[]) {
    for (const r of rules) this.byKey.set(`${r.field}\u0000${ticketScopeKey(r.value)}`, r.orgUnitId);
  }

  private lookup(field: TicketScopeField, value: string | null | undefined): string | null {
    if (!value) return null;
    return this.byKey.get(`${field}\u0000${ticketScopeKey(value)}`) ?? null;
  }

  /** The org unit id of the ticket, or null when it belongs to the organisation. */
  scopeOf(ticket: { assignmentGroup?: string | null; requestingUnit?: string | null }): string | null {
    return this.lookup(TicketScopeField.ASSIGNMENT_GROUP, ticket.assignmentGroup) ?? this.lookup(TicketScopeField.REQUESTING_UNIT, ticket.requestingUnit);
  }
}
