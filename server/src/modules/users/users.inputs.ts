import { Field, InputType, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@InputType()
export class CreateUserInput implements Partial<User> {
  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'At least 12 characters, not only spaces, not a common password. The user must change it at first sign-in; prefer createUserInvite.' })
  password: string;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'The session token: send it as `Authorization: Bearer <token>`.' })
  token: string;

  @Field(() => User)
  user: User;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => Boolean, { description: 'The password was chosen by someone else (ADMIN_PASSWORD, createUser): change it (changePassword) before anything else.' })
  mustChangePassword: boolean;

  @Field(() => Boolean, {
    description:
      'False when the server set no session cookie: the request came over plain HTTP from another machine to a production server, where a browser cannot keep a secure cookie; sign in over https:// (the token still works as a Bearer token).',
  })
  sessionCookieKept: boolean;
}
