import { TicketScopeField } from '@gatehouse/shared';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

registerEnumType(TicketScopeField, { name: 'TicketScopeField', description: 'The desk field a ticket scope mapping matches: the assignment group or the requesting unit.' });

@ObjectType({ description: 'Maps a desk’s assignment group or requesting unit to an org unit: its tickets belong to that unit.' })
@Entity('ticket_scope_mapping')
export class TicketScopeMapping {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => TicketScopeField)
  @Column('text')
  field: TicketScopeField;

  @Field(() => String, { description: 'The desk’s own name, matched trimmed and case-insensitively.' })
  @Column('text')
  value: string;

  @Field(() => ID)
  @Column('uuid', { name: 'org_unit_id' })
  orgUnitId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@InputType()
export class TicketScopeMappingInput implements Partial<TicketScopeMapping> {
  @Field(() => TicketScopeField)
  field: TicketScopeField;

  @Field(() => String)
  value: string;

  @Field(() => ID)
  orgUnitId: string;
}
