export enum Lever {
  COST_REDUCTION = 'COST_REDUCTION',
  REVENUE_INCREASE = 'REVENUE_INCREASE',
  COST_AVOIDANCE = 'COST_AVOIDANCE',
  CAPEX_REDUCTION = 'CAPEX_REDUCTION',
  NON_FINANCIAL = 'NON_FINANCIAL',
}

export enum ValueKind {
  PLAN = 'PLAN',
  FORECAST = 'FORECAST',
  ACTUAL = 'ACTUAL',
  ONE_OFF_COST = 'ONE_OFF_COST',
}

export enum MeasureState {
  ACTIVE = 'ACTIVE',
  ON_HOLD = 'ON_HOLD',
  CANCELLED = 'CANCELLED',
  CLOSED = 'CLOSED',
}

export enum Status {
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  RED = 'RED',
}

export const DOI_LEVELS = [1, 2, 3, 4, 5] as const;
export type Doi = (typeof DOI_LEVELS)[number];

export const DOI_NAMES: Record<Doi, string> = {
  1: 'Identified',
  2: 'Detailed',
  3: 'Decided',
  4: 'Implemented',
  5: 'Realised',
};

export function isDoi(value: unknown): value is Doi {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}
