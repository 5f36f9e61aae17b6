import { Role } from '@gatehouse/shared';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@InputType()
export class CreateUserInviteInput implements Partial<User> {
  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => Role, { nullable: true, description: 'A role granted at once, on scopeId (give both or neither).' })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: 'The organisation, an org unit or a program. The invitation needs ADMIN here (the organisation without a role).' })
  scopeId?: string | null;
}

@ObjectType({ description: 'A user created without a password, and the one-time link for them to choose one. There is no e-mail: hand the link over.' })
export class UserInvite {
  @Field(() => User)
  user: User;

  @Field(() => String, { description: 'Shown this once: opens /set-password in the web app. Only its hash is kept.' })
  link: string;

  @Field(() => Date)
  expiresAt: Date;
}

@ObjectType({ description: 'A one-time link to choose a new password; using it ends every session of the person.' })
export class PasswordResetLink {
  @Field(() => String, { description: 'Shown this once. The current password keeps working until the link is used.' })
  link: string;

  @Field(() => Date)
  expiresAt: Date;
}

@ObjectType('UserSession', { description: 'A session of a person that still works.' })
export class UserSessionInfo {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { description: 'Refreshed at most once a minute.' })
  lastSeenAt: Date;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => String, { nullable: true })
  userAgent: string | null;

  @Field(() => String, { nullable: true })
  clientAddress: string | null;

  @Field(() => Boolean, { description: 'The session of this request.' })
  current: boolean;
}
