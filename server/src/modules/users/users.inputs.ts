import { Field, InputType, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@InputType()
export class CreateUserInput implements Partial<User> {
  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'At least 12 characters.' })
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
}
