import { ValueKind } from '@gatehouse/shared';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MoneyScalar } from '../../graphql/scalars.js';

/** The database keeps a month as its first day; the API speaks "YYYY-MM". */
const monthColumn = {
  from: (d: string | null) => (d === null ? d : d.slice(0, 7)),
  to: (m: string | null) => (m === null || m === undefined ? m : `${m}-01`),
};

@ObjectType()
@Entity('measure_value')
export class MeasureValue {
  @PrimaryColumn('uuid', { name: 'measure_id' })
  measureId: string;

  @Field(() => ValueKind)
  @PrimaryColumn('text')
  kind: ValueKind;

  @Field(() => String, { description: 'YYYY-MM' })
  @PrimaryColumn('date', { transformer: monthColumn })
  month: string;

  @Field(() => MoneyScalar)
  @Column('numeric', { precision: 15, scale: 2 })
  amount: string;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
