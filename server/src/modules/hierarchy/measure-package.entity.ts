import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A bundle of measures inside a program.' })
@Entity('measure_package')
export class MeasurePackage {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => ID)
  @Column('uuid', { name: 'program_id' })
  programId: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId: string | null;

  @Column('uuid', { array: true })
  path: string[];

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
