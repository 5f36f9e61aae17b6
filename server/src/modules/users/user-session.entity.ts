import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A server-side session. Only the SHA-256 of the token is stored, so a copy of the table signs nobody in. */
@Entity('user_session')
export class UserSession {
  @PrimaryColumn('text', { name: 'token_hash' })
  tokenHash: string;

  /** The session's public id (its token hash is never shown). */
  @Column('uuid', { unique: true })
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Column('text', { name: 'client_address', nullable: true })
  clientAddress: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
