import { describe, expect, it } from 'vitest';
import { checklistId, templateInput } from './template-draft';

describe('the gate template draft', () => {
  it('makes checklist ids the server accepts, unique within the gate', () => {
    expect(checklistId('Risks reviewed with the service owner!', [])).toBe('risks-reviewed-with-the-service-owner');
    expect(checklistId('Risks reviewed', ['risks-reviewed'])).toBe('risks-reviewed-2');
    expect(checklistId('   ', [])).toBe('item');
    expect(checklistId('x'.repeat(80), [])).toHaveLength(50);
  });
  it('leaves out empty checklist items', () => {
    const input = templateInput([{ toDoi: 2, automatic: [{ criterion: 'PLAN_VALUES' as never, label: 'Plan', threshold: 3 }], manual: [{ id: 'a', text: ' A ' }, { id: 'b', text: ' ' }] }]);
    expect(input.gates[0]).toEqual({ toDoi: 2, automatic: [{ criterion: 'PLAN_VALUES', threshold: 3 }], manual: [{ id: 'a', text: 'A' }] });
  });
});
