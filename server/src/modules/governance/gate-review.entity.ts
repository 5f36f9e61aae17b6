import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A steering committee meeting that decides gate requests.' })
@Entity('gate_review')
export class GateReview {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => ID)
  @Column('uuid', { name: 'scope_id' })
  scopeId: string;

  @Column('uuid', { name: 'scope_path', array: true })
  scopePath: string[];

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'held_on' })
  heldOn: Date;

  @Column('uuid', { name: 'created_by' })
  createdById: string;

  /** The participant holding the steering committee role who chairs it: the only one who may override criteria. */
  @Column('uuid', { name: 'chair_id' })
  chairId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
