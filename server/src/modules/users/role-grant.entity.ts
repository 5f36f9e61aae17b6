import { PersonDuty, Role, ScopeKind } from '@gatehouse/shared';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

registerEnumType(Role, { name: 'Role', description: 'Granted on a scope and inherited by everything below it.' });
registerEnumType(ScopeKind, { name: 'ScopeKind' });
registerEnumType(PersonDuty, { name: 'PersonDuty', description: 'A duty on a measure or review that needs a role on its scope.' });

@ObjectType({ description: 'A role held by a user on a scope (organisation, org unit or program).' })
@Entity('role_grant')
export class RoleGrant {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Field(() => Role)
  @Column('text')
  role: Role;

  @Field(() => ID)
  @Column('uuid', { name: 'scope_id' })
  scopeId: string;

  @Field(() => ScopeKind)
  @Column('text', { name: 'scope_kind' })
  scopeKind: ScopeKind;

  @Column('uuid', { name: 'granted_by', nullable: true })
  grantedBy: string | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
