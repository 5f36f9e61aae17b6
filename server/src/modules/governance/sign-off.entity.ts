import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MoneyScalar } from '../../graphql/scalars.js';

@ObjectType({ description: 'A controller’s confirmation of the value a measure realised; it closes the measure.' })
@Entity('sign_off')
export class SignOff {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Column('uuid', { name: 'controller_id' })
  controllerId: string;

  @Field(() => MoneyScalar)
  @Column('numeric', { name: 'confirmed_value', precision: 15, scale: 2 })
  confirmedValue: string;

  @Field(() => String)
  @Column('text')
  evidence: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'signed_at' })
  signedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'reopened_at', nullable: true })
  reopenedAt: Date | null;

  @Column('uuid', { name: 'reopened_by', nullable: true })
  reopenedBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'reopen_reason', nullable: true })
  reopenReason: string | null;
}
