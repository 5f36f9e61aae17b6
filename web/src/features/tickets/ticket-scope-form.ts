import { ticketScopeKey, TicketScopeField } from '@gatehouse/shared';

/**
 * The ticket scope mapping table on the settings tab: which desk assignment groups and requesting units belong
 * to which org unit. Pure helpers, so the table and the form are tested without a browser; the rule itself is
 * shared/src/tickets/ticket-scope.ts and the server applies it.
 */
export const SCOPE_FIELD_LABELS: Record<TicketScopeField, string> = {
  [TicketScopeField.ASSIGNMENT_GROUP]: 'Assignment group',
  [TicketScopeField.REQUESTING_UNIT]: 'Requesting unit',
};

export interface ScopeMapping {
  id: string;
  field: TicketScopeField | `${TicketScopeField}`;
  value: string;
  orgUnitId: string;
}

export interface ScopeMappingRow {
  id: string;
  field: TicketScopeField;
  fieldLabel: string;
  value: string;
  orgUnitId: string;
  /** The unit's name, or a note when the unit is no longer listed. */
  orgUnitName: string;
}

/** Table rows: assignment groups first (they decide first), then by desk value. */
export function scopeMappingRows(mappings: readonly ScopeMapping[], units: readonly { id: string; name: string }[]): ScopeMappingRow[] {
  const names = new Map(units.map((u) => [u.id, u.name]));
  const order = [TicketScopeField.ASSIGNMENT_GROUP, TicketScopeField.REQUESTING_UNIT];
  return mappings
    .map((m) => {
      const field = m.field as TicketScopeField;
      return { id: m.id, field, fieldLabel: SCOPE_FIELD_LABELS[field], value: m.value, orgUnitId: m.orgUnitId, orgUnitName: names.get(m.orgUnitId) ?? 'Unknown unit' };
    })
    .sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field) || a.value.localeCompare(b.value));
}

export interface ScopeMappingDraft {
  field: TicketScopeField;
  value: string;
  orgUnitId: string;
}

/** What the server would refuse, said before sending; a value already mapped to the same unit is a no-op. */
export function scopeMappingProblems(draft: ScopeMappingDraft, existing: readonly ScopeMapping[]): { value?: string; orgUnitId?: string } {
  const problems: { value?: string; orgUnitId?: string } = {};
  const value = draft.value.trim();
  if (!value) problems.value = 'Enter the name the desk uses.';
  else if (value.length > 200) problems.value = 'At most 200 characters.';
  if (!draft.orgUnitId) problems.orgUnitId = 'Choose an org unit.';
  const same = existing.find((m) => m.field === draft.field && ticketScopeKey(m.value) === ticketScopeKey(value));
  if (value && same && same.orgUnitId === draft.orgUnitId) problems.value = 'This value is mapped to that unit already.';
  return problems;
}

/** The mutation input, or null while the draft has problems. */
export function toScopeMappingInput(draft: ScopeMappingDraft, existing: readonly ScopeMapping[]): ScopeMappingDraft | null {
  if (Object.keys(scopeMappingProblems(draft, existing)).length) return null;
  return { field: draft.field, value: draft.value.trim(), orgUnitId: draft.orgUnitId };
}

/** Saving a value that is mapped already moves it: the form says so before the admin saves. */
export function movesExisting(draft: ScopeMappingDraft, existing: readonly ScopeMapping[]): ScopeMapping | null {
  const same = existing.find((m) => m.field === draft.field && ticketScopeKey(m.value) === ticketScopeKey(draft.value));
  return same && same.orgUnitId !== draft.orgUnitId ? same : null;
}
