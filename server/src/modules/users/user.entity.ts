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

  /** argon2id PHC string; never leaves the server. Null until an invited user sets their password through their link, or for someone created by single sign-on. */
  @Column('text', { name: 'password_hash', select: false, nullable: true })
  passwordHash: string | null;

  /** Exposed through UsersResolver.mustChangePassword: to this user and whoever administers them. */
  @Column('boolean', { name: 'must_change_password' })
  mustChangePassword: boolean;

  @Field(() => Date, { nullable: true, description: 'When the user last chose a password; null while an invitation is pending.' })
  @Column('timestamptz', { name: 'password_set_at', nullable: true })
  passwordSetAt: Date | null;

  /** The OpenID Connect provider and subject this person signs in as (both or neither). */
  @Column('text', { name: 'oidc_issuer', nullable: true, select: false })
  oidcIssuer: string | null;

  @Column('text', { name: 'oidc_subject', nullable: true, select: false })
  oidcSubject: string | null;

  @Field(() => Boolean)
  @Column('boolean')
  active: boolean;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  /** Not stored: set by UsersService.people on the people the caller administers, whose contact they may read. */
  administeredByCaller?: boolean;
}
