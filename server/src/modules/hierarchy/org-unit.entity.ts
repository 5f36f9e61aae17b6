import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType({ description: 'A business unit or department; org units form a tree of any depth.' })
@Entity('org_unit')
export class OrgUnit {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @Field(() => String)
  @Column('text')
  name: string;

  /** Scope ids from the organisation down to this unit. */
  @Column('uuid', { array: true })
  path: string[];

  @Field(() => Date, { nullable: true, description: 'Set once the (empty) unit was archived; archived units are not listed.' })
  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt: Date | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
