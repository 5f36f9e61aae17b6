import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MoneyScalar } from '../../graphql/scalars.js';

@ObjectType({ description: 'The tenant: every org unit, program, measure and user belongs to one.' })
@Entity('organisation')
export class Organisation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String, { description: 'ISO 4217 code; every amount is in this currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Column('integer', { name: 'measure_seq' })
  measureSeq: number;

  @Field(() => Int, { description: 'Forecast at or above this percentage of plan is green.' })
  @Column('smallint', { name: 'potential_green_percent' })
  potentialGreenPercent: number;

  @Field(() => Int, { description: 'Forecast at or above this percentage of plan (below green) is amber.' })
  @Column('smallint', { name: 'potential_amber_percent' })
  potentialAmberPercent: number;

  @Field(() => [Int], { description: 'Probability in percent of each DoI level 1..5, used for risk-weighted value.' })
  @Column('smallint', { name: 'doi_weights', array: true })
  doiWeights: number[];

  @Field(() => Int, { description: 'N: a ticket group is recurring with N tickets within W days.' })
  @Column('integer', { name: 'recurring_threshold' })
  recurringThreshold: number;

  @Field(() => Int, { description: 'W: the recurring window in days.' })
  @Column('integer', { name: 'recurring_window_days' })
  recurringWindowDays: number;

  @Field(() => MoneyScalar, { description: 'What handling one ticket costs; prices recurring tickets.' })
  @Column('numeric', { name: 'cost_per_ticket', precision: 15, scale: 2 })
  costPerTicket: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
