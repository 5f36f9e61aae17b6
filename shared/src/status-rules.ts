import { moneyToCents, type Money } from './money.js';
import { Status } from './measure-enums.js';

/** How far ahead a due date turns a measure amber, and how far past due it turns red. */
export const IMPLEMENTATION_WINDOW_DAYS = 14;

export interface StatusThresholds {
  /** Forecast at or above this percentage of plan is green. */
  potentialGreenPercent: number;
  /** Forecast at or above this percentage of plan (and below green) is amber; below it is red. */
  potentialAmberPercent: number;
}

export const DEFAULT_STATUS_THRESHOLDS: StatusThresholds = { potentialGreenPercent: 95, potentialAmberPercent: 80 };

export interface DerivedStatus {
  status: Status;
  reason: string;
  /** True when an owner's override replaced the derived value. */
  overridden: boolean;
}

export interface StatusOverride {
  status: Status;
  reason: string;
}

const DAY_MS = 86_400_000;

/**
 * Implementation Status: red when the earliest open due date (a milestone or the next gate) is more than 14 days
 * past, amber when anything open is overdue or due within 14 days, else green. An owner's override wins.
 */
export function deriveImplementationStatus(
  nextDueOn: Date | null,
  now: Date,
  override?: StatusOverride | null,
): DerivedStatus {
  if (override) return { status: override.status, reason: override.reason, overridden: true };
  if (!nextDueOn) return { status: Status.GREEN, reason: 'Nothing open is due', overridden: false };
  const days = Math.floor((now.getTime() - nextDueOn.getTime()) / DAY_MS);
  const due = nextDueOn.toISOString().slice(0, 10);
  if (now.getTime() - nextDueOn.getTime() > IMPLEMENTATION_WINDOW_DAYS * DAY_MS) {
    return { status: Status.RED, reason: `Overdue by ${days} days (due ${due})`, overridden: false };
  }
  if (nextDueOn.getTime() < now.getTime()) {
    return { status: Status.AMBER, reason: `Overdue since ${due}`, overridden: false };
  }
  if (nextDueOn.getTime() - now.getTime() <= IMPLEMENTATION_WINDOW_DAYS * DAY_MS) {
    return { status: Status.AMBER, reason: `Due within ${IMPLEMENTATION_WINDOW_DAYS} days (${due})`, overridden: false };
  }
  return { status: Status.GREEN, reason: `On track, next due ${due}`, overridden: false };
}

/**
 * Potential Status: the latest estimate (actuals where recorded, else forecast) over plan for the measure's
 * horizon. Without plan values there is nothing to fall short of, so the measure is green.
 */
export function derivePotentialStatus(
  planTotal: Money,
  forecastTotal: Money,
  thresholds: StatusThresholds = DEFAULT_STATUS_THRESHOLDS,
  override?: StatusOverride | null,
): DerivedStatus {
  if (override) return { status: override.status, reason: override.reason, overridden: true };
  const plan = moneyToCents(planTotal);
  if (plan <= 0n) return { status: Status.GREEN, reason: 'No plan values yet', overridden: false };
  const forecast = moneyToCents(forecastTotal);
  // Integer comparison: forecast / plan >= p / 100  <=>  forecast * 100 >= p * plan.
  const percent = Number((forecast * 1000n) / plan) / 10;
  const reason = `Forecast is ${percent.toFixed(1)} % of plan`;
  if (forecast * 100n >= BigInt(thresholds.potentialGreenPercent) * plan) {
    return { status: Status.GREEN, reason, overridden: false };
  }
  if (forecast * 100n >= BigInt(thresholds.potentialAmberPercent) * plan) {
    return { status: Status.AMBER, reason, overridden: false };
  }
  return { status: Status.RED, reason, overridden: false };
}
