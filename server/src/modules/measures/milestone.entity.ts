import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType()
@Entity('milestone')
export class Milestone {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'due_on' })
  dueOn: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'done_on', nullable: true })
  doneOn: Date | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Field(() => Boolean)
  get done(): boolean {
    return this.doneOn !== null;
  }
}
