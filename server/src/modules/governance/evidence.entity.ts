import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum EvidenceKind {
  IMPLEMENTATION = 'IMPLEMENTATION',
  VALUE = 'VALUE',
  OTHER = 'OTHER',
}
registerEnumType(EvidenceKind, { name: 'EvidenceKind', description: 'What a piece of evidence proves.' });

@ObjectType()
@Entity('evidence')
export class Evidence {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Field(() => EvidenceKind)
  @Column('text')
  kind: EvidenceKind;

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid', { name: 'created_by' })
  createdById: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
