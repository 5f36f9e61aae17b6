import { ScopeKind } from '@gatehouse/shared';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A node of the hierarchy: the organisation, an org unit, a program or a package.' })
export class ScopeRef {
  @Field(() => ID)
  id: string;

  @Field(() => ScopeKind)
  kind: ScopeKind;

  @Field(() => String)
  name: string;

  @Field(() => [ID], { description: 'Ids from the organisation down to this node.' })
  path: string[];
}
