import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ApiToken } from './api-token.entity.js';

@InputType()
export class CreateApiTokenInput {
  @Field(() => String, { description: '1 to 100 characters, e.g. what the token is for.' })
  name: string;

  @Field(() => Int, { description: '1 to 365.' })
  expiresInDays: number;

  @Field(() => Boolean, { defaultValue: false, description: 'Queries and subscriptions only.' })
  readOnly: boolean;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => String, { description: 'Shown this once: send it as `Authorization: Bearer <token>`. Only its hash is kept.' })
  token: string;

  @Field(() => ApiToken)
  apiToken: ApiToken;
}
