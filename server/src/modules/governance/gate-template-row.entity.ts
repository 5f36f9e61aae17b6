import type { GateTemplateDefinition } from '@gatehouse/shared';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A version of an organisation's gate template; never changed once written. */
@Entity('gate_template')
export class GateTemplateRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('integer')
  version: number;

  @Column('jsonb')
  definition: GateTemplateDefinition;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
