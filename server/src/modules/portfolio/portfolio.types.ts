import { MeasureState, Status } from '@gatehouse/shared';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from '../../graphql/scalars.js';

@ObjectType({ description: 'Measures and value at one DoI level.' })
export class DoiRollup {
  @Field(() => Int)
  doi: number;

  @Field(() => String)
  name: string;

  @Field(() => Int)
  count: number;

  @Field(() => MoneyScalar, { description: 'Sum of the measures’ plan values over their horizon.' })
  plan: string;

  @Field(() => MoneyScalar, { description: 'Latest estimate: actuals where recorded, else forecast, else plan.' })
  forecast: string;

  @Field(() => MoneyScalar)
  actual: string;

  @Field(() => MoneyScalar, { description: 'Annual (run-rate) potential.' })
  annualPotential: string;

  @Field(() => Int, { description: 'Probability of this level, in percent (organisation setting).' })
  weight: number;

  @Field(() => MoneyScalar, { description: 'Plan weighted by the level’s probability.' })
  riskWeightedPlan: string;

  @Field(() => MoneyScalar, { description: 'Annual potential weighted by the level’s probability.' })
  riskWeightedPotential: string;

  @Field(() => MoneyScalar, { description: 'One-off costs; never weighted.' })
  oneOffCost: string;
}

@ObjectType()
export class StatusCount {
  @Field(() => Status)
  status: Status;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class StateCount {
  @Field(() => MeasureState)
  state: MeasureState;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class MonthValue {
  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => MoneyScalar)
  plan: string;

  @Field(() => MoneyScalar)
  forecast: string;

  @Field(() => MoneyScalar)
  actual: string;
}

@ObjectType({ description: 'Rollups of every measure below a node of the hierarchy that the caller may read.' })
export class PortfolioSummary {
  @Field(() => ID)
  scopeId: string;

  @Field(() => String)
  scopeName: string;

  @Field(() => String)
  currency: string;

  @Field(() => Int, { description: 'Measures in scope, cancelled ones included.' })
  measureCount: number;

  @Field(() => [DoiRollup], { description: 'DoI 1..5 (cancelled measures are left out).' })
  byDoi: DoiRollup[];

  @Field(() => MoneyScalar)
  totalPlan: string;

  @Field(() => MoneyScalar)
  totalForecast: string;

  @Field(() => MoneyScalar)
  totalActual: string;

  @Field(() => MoneyScalar)
  totalRiskWeightedPlan: string;

  @Field(() => MoneyScalar, { description: 'Annual potential of the measures in byDoi: the plan of their last twelve planned months, an idea’s rough potential until it has a plan.' })
  totalAnnualPotential: string;

  @Field(() => MoneyScalar, { description: 'totalAnnualPotential weighted by each level’s probability.' })
  totalRiskWeightedPotential: string;

  @Field(() => Int, { description: 'Measures stopped at a gate (cancelled): in measureCount, not in byDoi.' })
  cancelledCount: number;

  @Field(() => [StatusCount], { description: 'Active and on-hold measures by Implementation Status.' })
  byImplementationStatus: StatusCount[];

  @Field(() => [StatusCount], { description: 'Active and on-hold measures by Potential Status.' })
  byPotentialStatus: StatusCount[];

  @Field(() => [StateCount])
  byState: StateCount[];

  @Field(() => [MonthValue])
  valueByMonth: MonthValue[];

  @Field(() => Int)
  overdueCount: number;

  @Field(() => Int)
  pendingGateRequests: number;

  @Field(() => Date)
  generatedAt: Date;
}

@ObjectType()
export class BridgeLevel {
  @Field(() => Int)
  doi: number;

  @Field(() => Int)
  count: number;

  @Field(() => MoneyScalar)
  value: string;

  @Field(() => MoneyScalar)
  riskWeighted: string;
}

@ObjectType({ description: 'Value that moved between two dates, by kind of movement.' })
export class BridgeMovement {
  @Field(() => String, { description: 'NEW, ADVANCED, CLOSED, MOVED_BACK, STOPPED or VALUE_CHANGE' })
  kind: string;

  @Field(() => Int)
  count: number;

  @Field(() => MoneyScalar, { description: 'Change of the unweighted total (zero for moves between levels).' })
  value: string;

  @Field(() => MoneyScalar, { description: 'Change of the risk-weighted total.' })
  riskWeighted: string;

  @Field(() => [ID], { description: 'The measures behind this movement.' })
  measureIds: string[];
}

@ObjectType({ description: 'The DoI bridge: the waterfall from the portfolio at `from` to the portfolio at `to`.' })
export class DoiBridge {
  @Field(() => ID)
  scopeId: string;

  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => [BridgeLevel])
  start: BridgeLevel[];

  @Field(() => [BridgeLevel])
  end: BridgeLevel[];

  @Field(() => MoneyScalar)
  startValue: string;

  @Field(() => MoneyScalar)
  endValue: string;

  @Field(() => MoneyScalar)
  startRiskWeighted: string;

  @Field(() => MoneyScalar)
  endRiskWeighted: string;

  @Field(() => [BridgeMovement])
  movements: BridgeMovement[];
}
