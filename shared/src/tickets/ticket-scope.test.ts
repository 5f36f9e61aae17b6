import { describe, expect, it } from 'vitest';
import { isAllowed } from '../access-policy.js';
import { Role } from '../roles.js';
import { TicketScopeField, TicketScopeRules } from './ticket-scope.js';

const rules = new TicketScopeRules([
  { field: TicketScopeField.ASSIGNMENT_GROUP, value: 'Service Desk L2', orgUnitId: 'it' },
  { field: TicketScopeField.REQUESTING_UNIT, value: 'Accounts Payable', orgUnitId: 'finance' },
]);

describe('ticket scope', () => {
  it('maps a ticket by its assignment group, compared trimmed and case-insensitively', () => {
    expect(rules.scopeOf({ assignmentGroup: '  service desk l2 ' })).toBe('it');
  });

  it('prefers the assignment group over the requesting unit', () => {
    expect(rules.scopeOf({ assignmentGroup: 'Service Desk L2', requestingUnit: 'Accounts Payable' })).toBe('it');
    expect(rules.scopeOf({ assignmentGroup: 'Unmapped team', requestingUnit: 'Accounts Payable' })).toBe('finance');
  });

  it('leaves an unmapped ticket with the organisation (null)', () => {
    expect(rules.scopeOf({ assignmentGroup: 'Unmapped team' })).toBeNull();
    expect(rules.scopeOf({})).toBeNull();
    // A requesting-unit value does not match an assignment-group rule of the same name.
    expect(rules.scopeOf({ assignmentGroup: 'Accounts Payable' })).toBeNull();
  });

  it('lets any role on the ticket scope or above read it, and nobody elsewhere', () => {
    const itPath = ['org', 'it'];
    expect(isAllowed('tickets.read', { userId: 'v', grants: [{ role: Role.VIEWER, scopeId: 'it' }] }, { path: itPath })).toBe(true);
    expect(isAllowed('tickets.read', { userId: 'v', grants: [{ role: Role.VIEWER, scopeId: 'finance' }] }, { path: itPath })).toBe(false);
    // An unmapped ticket belongs to the organisation: an org-unit role does not reach it.
    expect(isAllowed('tickets.read', { userId: 'v', grants: [{ role: Role.VIEWER, scopeId: 'it' }] }, { path: ['org'] })).toBe(false);
    expect(isAllowed('tickets.read', { userId: 'v', grants: [{ role: Role.VIEWER, scopeId: 'org' }] }, { path: itPath })).toBe(true);
  });
});
