import { isMoney, MONEY_MAX_INTEGER_DIGITS, normaliseMoney, parseLocaleAmount, type DecimalSeparator } from '@gatehouse/shared';
import type { CreateMeasureInput, Lever } from '../../graphql/generated';

/** The new-measure form as typed; '' means none for the optional people. */
export interface NewMeasureValues {
  packageId: string;
  title: string;
  lever: string;
  ownerId: string;
  sponsorId: string;
  controllerId: string;
  roughPotential: string;
  businessCase: string;
}

export type NewMeasureErrors = Partial<Record<keyof NewMeasureValues, string>>;

/**
 * The form's input checked as the server will check it (createMeasure), answering the input or the errors by
 * field. Who may create where and segregation of duties are the server's to say; the pickers offer only what
 * it accepts.
 */
export function newMeasureInput(v: NewMeasureValues, decimal: DecimalSeparator): { input: CreateMeasureInput | null; errors: NewMeasureErrors } {
  const errors: NewMeasureErrors = {};
  if (!v.packageId) errors.packageId = 'Choose the package the measure belongs to.';
  const title = v.title.trim();
  if (!title) errors.title = 'Give the measure a title.';
  else if (title.length > 200) errors.title = 'At most 200 characters.';
  if (!v.lever) errors.lever = 'Choose the lever.';
  if (!v.ownerId) errors.ownerId = 'Choose the owner.';
  let roughPotential: string | null = null;
  if (v.roughPotential.trim()) {
    const parsed = parseLocaleAmount(v.roughPotential, decimal);
    if (!parsed.ok) errors.roughPotential = `${parsed.reason.replace(/^./, (c) => c.toUpperCase())}.`;
    else if (parsed.amount && parsed.amount.startsWith('-')) errors.roughPotential = 'The rough potential cannot be negative.';
    else if (parsed.amount && !isMoney(parsed.amount)) errors.roughPotential = `At most ${MONEY_MAX_INTEGER_DIGITS} digits before the decimals.`;
    else roughPotential = parsed.amount ? normaliseMoney(parsed.amount) : null;
  }
  if (v.businessCase.length > 10_000) errors.businessCase = 'At most 10,000 characters.';
  if (Object.keys(errors).length) return { input: null, errors };
  return {
    input: {
      packageId: v.packageId,
      title,
      lever: v.lever as Lever,
      ownerId: v.ownerId,
      sponsorId: v.sponsorId || null,
      controllerId: v.controllerId || null,
      roughPotential,
      businessCase: v.businessCase.trim() || undefined,
    },
    errors,
  };
}
