import { describe, expect, it } from 'vitest';
import { signOffDefaults, signOffProblems } from './sign-off-form';

describe('the controller’s sign-off form', () => {
  it('starts from the actual total and asks for evidence', () => {
    expect(signOffDefaults({ actualTotal: '4200.50' })).toEqual({ value: '4200.50', evidence: '', note: '' });
    expect(signOffProblems('4200.50', '')).toEqual({ evidence: expect.stringMatching(/proves/) });
  });

  it('accepts only exact amounts with at most two decimals', () => {
    expect(signOffProblems('12.345', 'Ledger').value).toMatch(/two decimals/);
    expect(signOffProblems('', 'Ledger').value).toMatch(/Enter/);
    expect(signOffProblems('12500', 'Ledger')).toEqual({});
  });
});
