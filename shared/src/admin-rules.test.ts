import { describe, expect, it } from 'vitest';
import { ACCESS_POLICY, type Action, explainAccess, isAllowed } from './access-policy.js';
import { DEFAULT_GATE_TEMPLATE, diffGateTemplates, AutomaticCriterion } from './gates/gate-template.js';
import { ALL_ROLES, Role } from './roles.js';

describe('explainAccess', () => {
  it('agrees with isAllowed for every action over generated roles, scopes and relations', () => {
    const path = ['org', 'unit', 'program'];
    const scopes = ['org', 'unit', 'program', 'other'];
    let cases = 0;
    for (const action of Object.keys(ACCESS_POLICY) as Action[]) {
      for (let seed = 0; seed < 60; seed++) {
        const grants = ALL_ROLES.filter((_, i) => (seed >> i) & 1).map((role, i) => ({ role, scopeId: scopes[(seed + i) % scopes.length] }));
        const target = {
          path,
          measureOwnerId: seed % 3 === 0 ? 'me' : 'x',
          measureSponsorId: seed % 5 === 0 ? 'me' : 'y',
          actualEditorIds: seed % 7 === 0 ? ['me'] : [],
          conditionOwnerId: seed % 4 === 0 ? 'me' : null,
          reviewChairId: seed % 6 === 0 ? 'me' : null,
        };
        const actor = { userId: 'me', grants };
        const explained = explainAccess(action, actor, target);
        expect(explained.allowed, `${action} #${seed}`).toBe(isAllowed(action, actor, target));
        expect(explained.allowed).toBe(explained.grants.some((g) => g.matched));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(1000);
  });

  it('names what a grant lacked', () => {
    const e = explainAccess('closure.signOff', { userId: 'me', grants: [{ role: Role.CONTROLLER, scopeId: 'unit' }] }, { path: ['org', 'unit'], measureOwnerId: 'me' });
    expect(e.allowed).toBe(false);
    expect(e.roles).toEqual([Role.CONTROLLER]);
    expect(e.relations).toEqual(['owner']);
    expect(e.grants[0].missing).toBe('is the measure’s owner');
  });
});

describe('diffGateTemplates', () => {
  it('lists thresholds, criteria and checklist items changed, per gate', () => {
    const after = structuredClone(DEFAULT_GATE_TEMPLATE);
    after.gates[0].automatic.find((a) => a.criterion === AutomaticCriterion.PLAN_VALUES)!.threshold = 3;
    after.gates[0].manual.push({ id: 'risks-listed', text: 'Risks listed' });
    after.gates[1].manual[0].text = 'Budget committed';
    after.gates[2].automatic = after.gates[2].automatic.filter((a) => a.criterion !== AutomaticCriterion.MILESTONES_DONE);
    expect(diffGateTemplates(DEFAULT_GATE_TEMPLATE, after)).toEqual([
      { toDoi: 2, kind: 'THRESHOLD_CHANGED', text: 'Plan values entered: at least 1 → at least 3' },
      { toDoi: 2, kind: 'ITEM_ADDED', text: 'Checklist item “Risks listed”: added' },
      { toDoi: 3, kind: 'ITEM_CHANGED', text: 'Checklist item “Budget and people for implementation committed” → “Budget committed”' },
      { toDoi: 4, kind: 'CRITERION_REMOVED', text: 'Every milestone done: removed' },
    ]);
    expect(diffGateTemplates(DEFAULT_GATE_TEMPLATE, DEFAULT_GATE_TEMPLATE)).toEqual([]);
  });
});
