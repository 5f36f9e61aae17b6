import { isMoney, type Money } from '@gatehouse/shared';

export interface SignOffForm {
  value: string;
  evidence: string;
  note: string;
}

/** The controller confirms what was realised: the actual total is the first guess, never a silent default. */
export function signOffDefaults(measure: { actualTotal: Money }): SignOffForm {
  return { value: measure.actualTotal, evidence: '', note: '' };
}

/** A confirmed value must be an exact amount with at most two decimals. */
export function signOffProblems(value: string, evidence: string): Partial<Record<'value' | 'evidence', string>> {
  const problems: Partial<Record<'value' | 'evidence', string>> = {};
  const v = value.trim();
  if (!v) problems.value = 'Enter the realised value to confirm.';
  else if (!isMoney(v)) problems.value = 'An amount such as 12500 or 12500.50, at most two decimals.';
  if (!evidence.trim()) problems.evidence = 'Say what proves the value (a ledger extract, a report).';
  return problems;
}
