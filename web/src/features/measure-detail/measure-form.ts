import { isMoney, normaliseMoney, Status } from '@gatehouse/shared';
import type { Lever, MeasureDetailFieldsFragment, UpdateMeasureInput } from '../../graphql/generated';
import type { SameValue } from './draft-rebase';

/** The measure's editable details as form strings; '' means "none" for the optional ones. */
export interface MeasureFormValues {
  [key: string]: string;
  title: string;
  description: string;
  businessCase: string;
  lever: string;
  sponsorId: string;
  controllerId: string;
  roughPotential: string;
  implementationOverride: string;
  implementationOverrideReason: string;
  potentialOverride: string;
  potentialOverrideReason: string;
}

export type MeasureFormErrors = Partial<Record<keyof MeasureFormValues, string>>;

export const FORM_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  businessCase: 'Business case',
  lever: 'Lever',
  sponsorId: 'Sponsor',
  controllerId: 'Controller',
  roughPotential: 'Rough potential',
  implementationOverride: 'Implementation Status override',
  implementationOverrideReason: 'Reason for the Implementation Status override',
  potentialOverride: 'Potential Status override',
  potentialOverrideReason: 'Reason for the Potential Status override',
};

/**
 * The API tells whether a status is overridden, and then its status and reason are the override's; it does
 * not expose the override separately.
 */
export function formFromMeasure(m: MeasureDetailFieldsFragment): MeasureFormValues {
  return {
    title: m.title,
    description: m.description,
    businessCase: m.businessCase,
    lever: m.lever,
    sponsorId: m.sponsor?.id ?? '',
    controllerId: m.controller?.id ?? '',
    roughPotential: m.roughPotential ?? '',
    implementationOverride: m.implementationStatusOverridden ? m.implementationStatus : '',
    implementationOverrideReason: m.implementationStatusOverridden ? m.implementationStatusReason : '',
    potentialOverride: m.potentialStatusOverridden ? m.potentialStatus : '',
    potentialOverrideReason: m.potentialStatusOverridden ? m.potentialStatusReason : '',
  };
}

/** Money fields compare as amounts ("12" is "12.00"); text compares exactly. */
export const sameFormValue: SameValue = (key, a, b) => {
  if (key === 'roughPotential') return moneyKey(a) === moneyKey(b);
  return a === b;
};

function moneyKey(v: string): string {
  const t = v.trim();
  return isMoney(t) ? normaliseMoney(t) : t;
}

const STATUSES: string[] = Object.values(Status);

export function validateForm(v: MeasureFormValues): MeasureFormErrors {
  const errors: MeasureFormErrors = {};
  if (!v.title.trim()) errors.title = 'A measure needs a title.';
  else if (v.title.trim().length > 200) errors.title = 'At most 200 characters.';
  if (v.description.length > 10_000) errors.description = 'At most 10,000 characters.';
  if (v.businessCase.length > 10_000) errors.businessCase = 'At most 10,000 characters.';
  const rough = v.roughPotential.trim();
  if (rough && !isMoney(rough)) errors.roughPotential = 'Use digits with up to two decimals, e.g. 120000 or 120000.50.';
  for (const [status, reason] of [
    ['implementationOverride', 'implementationOverrideReason'],
    ['potentialOverride', 'potentialOverrideReason'],
  ] as const) {
    if (v[status] && !STATUSES.includes(v[status])) errors[status] = 'Choose Green, Amber or Red.';
    if (v[status] && !v[reason].trim()) errors[reason] = 'An override needs a written reason.';
    if (v[reason].length > 2000) errors[reason] = 'At most 2,000 characters.';
  }
  return errors;
}

/** Only what changed, in the shape `updateMeasure` takes. An override travels with its reason. */
export function formChanges(base: MeasureFormValues, v: MeasureFormValues): UpdateMeasureInput {
  const input: UpdateMeasureInput = {};
  const changed = (k: keyof MeasureFormValues) => !sameFormValue(String(k), v[k], base[k]);
  if (changed('title')) input.title = v.title.trim();
  if (changed('description')) input.description = v.description;
  if (changed('businessCase')) input.businessCase = v.businessCase;
  if (changed('lever')) input.lever = v.lever as Lever;
  if (changed('sponsorId')) input.sponsorId = v.sponsorId || null;
  if (changed('controllerId')) input.controllerId = v.controllerId || null;
  if (changed('roughPotential')) input.roughPotential = v.roughPotential.trim() ? normaliseMoney(v.roughPotential.trim()) : null;
  if (changed('implementationOverride') || changed('implementationOverrideReason')) {
    if (v.implementationOverride) {
      input.implementationStatusOverride = v.implementationOverride as NonNullable<UpdateMeasureInput['implementationStatusOverride']>;
      input.implementationStatusOverrideReason = v.implementationOverrideReason.trim();
    } else {
      input.implementationStatusOverride = null;
    }
  }
  if (changed('potentialOverride') || changed('potentialOverrideReason')) {
    if (v.potentialOverride) {
      input.potentialStatusOverride = v.potentialOverride as NonNullable<UpdateMeasureInput['potentialStatusOverride']>;
      input.potentialStatusOverrideReason = v.potentialOverrideReason.trim();
    } else {
      input.potentialStatusOverride = null;
    }
  }
  return input;
}

/** One choice of a sponsor or controller picker. */
export interface PersonOption {
  id: string;
  name: string;
}

/**
 * The choices of a sponsor or controller picker: the people the server accepts for the duty on the measure's scope
 * (`assignablePeople`), less the owner and whoever holds the other duty, since owner, sponsor and controller are
 * three people. The current choice stays listed, marked, so an earlier assignment still reads as it is.
 */
export function dutyOptions(eligible: readonly PersonOption[] | undefined, exclude: readonly string[], current: string, everyone: readonly PersonOption[]): PersonOption[] {
  const options = (eligible ?? []).filter((p) => !exclude.includes(p.id)).map(({ id, name }) => ({ id, name }));
  if (current && !options.some((p) => p.id === current)) {
    const name = everyone.find((p) => p.id === current)?.name ?? 'someone';
    options.unshift({ id: current, name: `${name} (not allowed here)` });
  }
  return options;
}
