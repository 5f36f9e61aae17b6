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

@ObjectType({ description: 'Single sign-on through the organisation’s OpenID Connect provider.' })
export class OidcSignInOption {
  @Field(() => String, { description: 'The provider’s name, for “Sign in with …”.' })
  label: string;

  @Field(() => String, { description: 'Where the browser goes to sign in with the provider.' })
  startUrl: string;
}

@ObjectType({ description: 'How people sign in here.' })
export class SignInOptions {
  @Field(() => Boolean, { description: 'E-mail and password sign-in (PASSWORD_SIGN_IN); when false, `login` answers FORBIDDEN with reason PASSWORD_SIGN_IN_OFF.' })
  password: boolean;

  @Field(() => OidcSignInOption, { nullable: true, description: 'Null when no provider is configured.' })
  oidc: OidcSignInOption | null;
}
