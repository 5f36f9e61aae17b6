import { moneyToCents, type Money } from '@gatehouse/shared';

export interface PotentialBasis {
  /** What the annual potential is taken from: the plan, the owner's rough estimate, or nothing yet. */
  source: 'PLAN' | 'ROUGH' | 'NONE';
  /** A sentence for people under the figure. */
  text: string;
  /** The rough potential differs from the annual potential: show both, named. */
  roughDiffers: boolean;
}

/**
 * Why a measure's annual potential is what it is (the server's rule, RECOMPUTE_TOTALS_SQL): the plan of its last
 * twelve planned months once it has plan values, the owner's rough potential before that.
 */
export function potentialBasis(m: { annualPotential: Money; roughPotential?: Money | null; values: readonly { kind: string; month: string }[] }): PotentialBasis {
  const planMonths = new Set(m.values.filter((v) => v.kind === 'PLAN').map((v) => v.month)).size;
  const rough = m.roughPotential ?? null;
  const roughDiffers = rough !== null && moneyToCents(rough) !== moneyToCents(m.annualPotential);
  if (planMonths > 0) {
    const months = Math.min(12, planMonths);
    return { source: 'PLAN', text: `The plan of its last ${months} planned ${months === 1 ? 'month' : 'months'}`, roughDiffers };
  }
  if (rough !== null) return { source: 'ROUGH', text: 'The owner’s rough potential, until there are plan values', roughDiffers };
  return { source: 'NONE', text: 'No plan values or rough potential yet', roughDiffers };
}
