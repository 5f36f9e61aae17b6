import { TicketScopeField } from '@gatehouse/shared';
import { describe, expect, it } from 'vitest';
import { movesExisting, scopeMappingProblems, scopeMappingRows, toScopeMappingInput } from './ticket-scope-form';

const units = [
  { id: 'u-it', name: 'IT Service' },
  { id: 'u-fin', name: 'Finance' },
];
const mappings = [
  { id: 'm1', field: 'REQUESTING_UNIT' as const, value: 'Accounts Payable', orgUnitId: 'u-fin' },
  { id: 'm2', field: 'ASSIGNMENT_GROUP' as const, value: 'Service Desk L2', orgUnitId: 'u-it' },
  { id: 'm3', field: 'ASSIGNMENT_GROUP' as const, value: 'Apps Team', orgUnitId: 'u-gone' },
];

describe('the ticket scope mapping table', () => {
  it('lists assignment groups first, by value, with the unit names', () => {
    expect(scopeMappingRows(mappings, units).map((r) => [r.fieldLabel, r.value, r.orgUnitName])).toEqual([
      ['Assignment group', 'Apps Team', 'Unknown unit'],
      ['Assignment group', 'Service Desk L2', 'IT Service'],
      ['Requesting unit', 'Accounts Payable', 'Finance'],
    ]);
  });

  it('asks for a value and a unit, and refuses a mapping that exists already (compared as the server does)', () => {
    expect(scopeMappingProblems({ field: TicketScopeField.ASSIGNMENT_GROUP, value: '  ', orgUnitId: '' }, mappings)).toEqual({
      value: 'Enter the name the desk uses.',
      orgUnitId: 'Choose an org unit.',
    });
    expect(scopeMappingProblems({ field: TicketScopeField.ASSIGNMENT_GROUP, value: ' service desk l2 ', orgUnitId: 'u-it' }, mappings)).toEqual({
      value: 'This value is mapped to that unit already.',
    });
    // The same text as a requesting unit is another mapping.
    expect(scopeMappingProblems({ field: TicketScopeField.REQUESTING_UNIT, value: 'Service Desk L2', orgUnitId: 'u-it' }, mappings)).toEqual({});
  });

  it('sends the trimmed value, and says when saving moves an existing mapping to another unit', () => {
    const draft = { field: TicketScopeField.ASSIGNMENT_GROUP, value: ' Service Desk L2 ', orgUnitId: 'u-fin' };
    expect(toScopeMappingInput(draft, mappings)).toEqual({ field: 'ASSIGNMENT_GROUP', value: 'Service Desk L2', orgUnitId: 'u-fin' });
    expect(movesExisting(draft, mappings)?.id).toBe('m2');
    expect(movesExisting({ ...draft, value: 'New team' }, mappings)).toBeNull();
    expect(toScopeMappingInput({ ...draft, value: '' }, mappings)).toBeNull();
  });
});
