import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

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

  /** The attached file's name, sniffed type, size and SHA-256 (all null for a link); its bytes are in `EvidenceFileContent`. */
  @Column('text', { name: 'file_name', nullable: true })
  fileName: string | null;

  @Column('text', { name: 'file_type', nullable: true })
  fileType: string | null;

  @Column('integer', { name: 'file_size', nullable: true })
  fileSize: number | null;

  @Column('text', { name: 'file_sha256', nullable: true })
  fileSha256: string | null;

  @Column('uuid', { name: 'created_by' })
  createdById: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

/** What the evidence list says about an attached file; the bytes come only from its download URL. */
@ObjectType({ description: 'A file attached as evidence: PDF, spreadsheet, image or text, up to 25 MB.' })
export class EvidenceFile {
  @Field(() => String, { description: 'The name it was uploaded with.' })
  name: string;

  @Field(() => String, { description: 'The media type sniffed from its content (never taken from the name or the upload).' })
  type: string;

  @Field(() => String, { description: 'The type for people: PDF, CSV, PNG image, …' })
  typeLabel: string;

  @Field(() => Int, { description: 'Its size in bytes.' })
  size: number;

  @Field(() => String, { description: 'The SHA-256 of its bytes, hex.' })
  sha256: string;

  @Field(() => String, { description: 'Where it downloads (GET, same sign-in; read access to the measure).' })
  downloadUrl: string;
}

/** The bytes of an evidence file, in their own table so that listing evidence never reads them. */
@Entity('evidence_file')
export class EvidenceFileContent {
  @PrimaryColumn('uuid', { name: 'evidence_id' })
  evidenceId: string;

  @Column('bytea')
  content: Buffer;
}
