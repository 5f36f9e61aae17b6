import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A condition attached to an approval: it must be met before the next gate.' })
@Entity('gate_condition')
export class GateCondition {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'gate_request_id' })
  gateRequestId: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Field(() => String)
  @Column('text')
  text: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'due_on' })
  dueOn: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'met_at', nullable: true })
  metAt: Date | null;

  @Column('uuid', { name: 'met_by', nullable: true })
  metBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'met_note', nullable: true })
  metNote: string | null;
}
