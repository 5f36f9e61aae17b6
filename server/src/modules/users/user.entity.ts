import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType()
@Entity('app_user')
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  /** Exposed through UsersResolver.email: only to whoever may read the organisation's people. */
  @Column('text')
  email: string;

  @Field(() => String)
  @Column('text')
  name: string;

  /** argon2id PHC string; never leaves the server. */
  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Field(() => Boolean)
  @Column('boolean')
  active: boolean;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
