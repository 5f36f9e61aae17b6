import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType()
@Entity('measure_comment')
export class MeasureComment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Column('uuid', { name: 'author_id' })
  authorId: string;

  @Field(() => String)
  @Column('text')
  body: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
