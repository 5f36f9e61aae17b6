import type { KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { GENESIS, walkChain, type ChainPosition } from './audit-chain.js';
import { verifyCheckpoint, type AuditSigner, type SignedCheckpoint } from './audit-signing.js';
import { errorFields, logger } from '../../observability/logger.js';

/** The format tag of an exported checkpoint file; the offline verification refuses anything else. */
export const EXPORT_FORMAT = 'gatehouse-audit-checkpoints/1';

/**
 * What `npm run audit -- export` and GET /audit/checkpoints.json write: the signed checkpoints, and the hash of
 * every entry up to the last of them, so a later verification names the first entry that differs, not only the
 * checkpoint after it.
 */
export interface CheckpointExport {
  format: typeof EXPORT_FORMAT;
  organisationId: string;
  organisationName: string;
  exportedAt: string;
  keyId: string;
  publicKey: string;
  checkpoints: { seq: number; hash: string; signedAt: string; keyId: string; signature: string }[];
  /** chain[i] is the hash of entry i + 1, up to the last checkpoint. */
  chain: string[];
}

export class CheckpointError extends Error {}

interface CheckpointRow {
  seq: string;
  hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

function fromRow(organisationId: string, r: CheckpointRow): SignedCheckpoint {
  return { organisationId, seq: Number(r.seq), hash: r.hash, signedAt: new Date(r.signed_at), keyId: r.key_id, signature: r.signature };
}

/** The organisation's checkpoints in chain order. */
export async function storedCheckpoints(dataSource: DataSource, organisationId: string): Promise<SignedCheckpoint[]> {
  const rows: CheckpointRow[] = await dataSource.query(
    `SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoint WHERE organisation_id = $1 ORDER BY seq`,
    [organisationId],
  );
  return rows.map((r) => fromRow(organisationId, r));
}

/**
 * Signs the chain heads. A new checkpoint is signed only after the entries since the last valid checkpoint were
 * recomputed and found to extend it, so a rewrite of what was signed before is never signed over.
 */
export class AuditCheckpoints {
  constructor(
    private readonly dataSource: DataSource,
    readonly signer: AuditSigner | null,
  ) {}

  /** Signs the organisation's current head unless a checkpoint covers it already; returns the latest checkpoint. */
  async write(organisationId: string): Promise<SignedCheckpoint | null> {
    const signer = this.requireSigner();
    const [head]: { seq: string; hash: string }[] = await this.dataSource.query(`SELECT seq, hash FROM audit_chain_head WHERE organisation_id = $1`, [
      organisationId,
    ]);
    const stored = (await storedCheckpoints(this.dataSource, organisationId)).filter((c) => verifyCheckpoint(signer.publicKey, c));
    const last = stored.at(-1) ?? null;
    if (!head || Number(head.seq) === 0) return last;
    if (last && last.seq >= Number(head.seq)) return last;
    const from: ChainPosition = last ? { seq: last.seq, hash: last.hash } : GENESIS;
    const walk = await walkChain(this.dataSource, organisationId, { from, until: Number(head.seq) });
    if (walk.broken || walk.end.hash !== head.hash) {
      const at = walk.broken ? `entry ${walk.broken.seq}: ${walk.broken.problem}` : 'the head does not match its last entry';
      throw new CheckpointError(`The audit chain no longer extends its last signed checkpoint (${at}); nothing was signed. Verify the chain.`);
    }
    const checkpoint = signer.sign({ organisationId, seq: walk.end.seq, hash: walk.end.hash, signedAt: new Date() });
    await this.dataSource.query(
      `INSERT INTO audit_checkpoint (organisation_id, seq, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organisation_id, seq) DO NOTHING`,
      [organisationId, checkpoint.seq, checkpoint.hash, checkpoint.signedAt, checkpoint.keyId, checkpoint.signature],
    );
    // Another instance may have signed the same head a moment earlier: the stored one is the checkpoint.
    const [row]: CheckpointRow[] = await this.dataSource.query(
      `SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoint WHERE organisation_id = $1 AND seq = $2`,
      [organisationId, checkpoint.seq],
    );
    return fromRow(organisationId, row);
  }

  /** A checkpoint for every organisation whose head moved since its last one (the interval timer). */
  async writeDue(): Promise<number> {
    const due: { organisation_id: string }[] = await this.dataSource.query(
      `SELECT h.organisation_id FROM audit_chain_head h
        WHERE h.seq > coalesce((SELECT max(c.seq) FROM audit_checkpoint c WHERE c.organisation_id = h.organisation_id), 0)`,
    );
    let written = 0;
    for (const { organisation_id } of due) {
      try {
        await this.write(organisation_id);
        written++;
      } catch (e) {
        logger.error(e instanceof CheckpointError ? { organisationId: organisation_id, error: e.message } : { organisationId: organisation_id, ...errorFields(e) }, 'audit checkpoint not written');
      }
    }
    return written;
  }

  /**
   * Signs the current head, then exports the checkpoints and the chain's hashes up to it. The whole chain is
   * recomputed against every stored checkpoint first: an export never vouches for a chain that fails.
   */
  async export(organisationId: string): Promise<CheckpointExport> {
    const signer = this.requireSigner();
    await this.write(organisationId);
    const checkpoints = (await storedCheckpoints(this.dataSource, organisationId)).filter((c) => verifyCheckpoint(signer.publicKey, c));
    const last = checkpoints.at(-1);
    const signedHash = new Map(checkpoints.map((c) => [c.seq, c.hash]));
    const chain: string[] = [];
    const walk = await walkChain(this.dataSource, organisationId, {
      until: last?.seq ?? 0,
      expectedHash: (seq) => signedHash.get(seq),
      onEntry: (_seq, hash) => void chain.push(hash),
    });
    if (walk.broken) throw new CheckpointError(`The audit chain fails verification at entry ${walk.broken.seq} (${walk.broken.problem}); nothing was exported.`);
    const [org]: { name: string }[] = await this.dataSource.query(`SELECT name FROM organisation WHERE id = $1`, [organisationId]);
    return {
      format: EXPORT_FORMAT,
      organisationId,
      organisationName: org?.name ?? '',
      exportedAt: new Date().toISOString(),
      keyId: signer.keyId,
      publicKey: signer.publicKeyPem,
      checkpoints: checkpoints.map((c) => ({ seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString(), keyId: c.keyId, signature: c.signature })),
      chain,
    };
  }

  private requireSigner(): AuditSigner {
    if (!this.signer) throw new CheckpointError('No audit signing key is configured (AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY)');
    return this.signer;
  }
}

/** Checkpoints signed by `publicKey` whose hash the recomputed chain must reach, for the verifications. */
export function signedHashes(checkpoints: SignedCheckpoint[], publicKey: KeyObject): Map<number, SignedCheckpoint> {
  return new Map(checkpoints.filter((c) => verifyCheckpoint(publicKey, c)).map((c) => [c.seq, c]));
}
