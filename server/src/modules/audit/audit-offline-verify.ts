import type { KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { walkChain } from './audit-chain.js';
import { EXPORT_FORMAT, signedHashes, storedCheckpoints, type CheckpointExport } from './audit-checkpoints.js';
import { keyIdOf, verifyCheckpoint } from './audit-signing.js';
import { checkpointMismatch } from './audit.service.js';

const HASH = z.string().regex(/^[0-9a-f]{64}$/);

const ExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  organisationId: z.uuid(),
  organisationName: z.string(),
  exportedAt: z.string(),
  keyId: z.string(),
  publicKey: z.string(),
  checkpoints: z.array(z.object({ seq: z.number().int().positive(), hash: HASH, signedAt: z.iso.datetime(), keyId: z.string(), signature: z.string() })),
  chain: z.array(HASH),
});

export class ExportFileError extends Error {}

/** Reads an export file's JSON; anything that is not one is refused with the reason. */
export function parseCheckpointExport(text: string): CheckpointExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExportFileError('the checkpoint file is not JSON');
  }
  const parsed = ExportSchema.safeParse(json);
  if (!parsed.success) throw new ExportFileError(`the checkpoint file is not a Gatehouse checkpoint export (${parsed.error.issues[0]?.path.join('.') || 'format'})`);
  return parsed.data as CheckpointExport;
}

export interface OfflineVerification {
  ok: boolean;
  /** The first entry that differs from the export (or fails on its own), with its database id when it exists. */
  firstDiffering: { seq: number; id: string | null; action: string | null; at: Date | null } | null;
  /** What was checked and found, one finding a line, for the command's output. */
  lines: string[];
}

/**
 * Recomputes the organisation's chain straight from the database and compares every entry with the hashes of an
 * exported checkpoint file, whose checkpoints must carry valid signatures of `publicKey`. Needs no server and trusts
 * nothing in the database: a rewrite that re-hashed every later entry and the head is found at the first entry
 * it changed. Entries newer than the export are checked on their own, and against checkpoints signed since.
 */
export async function verifyAgainstExport(dataSource: DataSource, file: CheckpointExport, publicKey: KeyObject): Promise<OfflineVerification> {
  const lines: string[] = [];
  const fail = (line: string): OfflineVerification => ({ ok: false, firstDiffering: null, lines: [...lines, line] });
  const keyId = keyIdOf(publicKey);
  const forged = file.checkpoints.find((c) => !verifyCheckpoint(publicKey, { ...c, organisationId: file.organisationId, signedAt: new Date(c.signedAt) }));
  if (forged) return fail(`✗ the checkpoint at entry ${forged.seq} in the file is not signed by key ${keyId}: the file is not intact, or another key signed it`);
  const misfit = file.checkpoints.find((c) => file.chain[c.seq - 1] !== c.hash);
  if (misfit) return fail(`✗ the file's chain does not reach the checkpoint signed at entry ${misfit.seq}: the file is not intact`);
  const last = file.checkpoints.at(-1);
  lines.push(
    last
      ? `✓ the file: ${file.checkpoints.length} checkpoint(s) signed by key ${keyId}, the last at entry ${last.seq} (${last.signedAt}), exported ${file.exportedAt}`
      : '✓ the file: no checkpoint (an empty chain when exported)',
  );

  const later = signedHashes(await storedCheckpoints(dataSource, file.organisationId), publicKey);
  const walk = await walkChain(dataSource, file.organisationId, {
    expectedHash: (seq) => (seq <= file.chain.length ? file.chain[seq - 1] : later.get(seq)?.hash),
    mismatch: (seq) => (seq <= file.chain.length ? 'it differs from the exported chain (its content or its link was changed)' : checkpointMismatch(later.get(seq)!)),
  });
  if (walk.broken) {
    const e = walk.broken.entry;
    const where = e ? `entry ${walk.broken.seq} (id ${e.id}, ${e.action} on ${e.entityType} ${e.entityId}, ${e.at.toISOString()})` : `entry ${walk.broken.seq}`;
    return {
      ok: false,
      firstDiffering: { seq: walk.broken.seq, id: e?.id ?? null, action: e?.action ?? null, at: e?.at ?? null },
      lines: [...lines, `✗ ${where}: ${walk.broken.problem}`, `  ${walk.checked} entries before it match.`],
    };
  }
  if (walk.end.seq < file.chain.length) {
    return {
      ok: false,
      firstDiffering: { seq: walk.end.seq + 1, id: null, action: null, at: null },
      lines: [...lines, `✗ entry ${walk.end.seq + 1} is missing: the database ends at entry ${walk.end.seq}, the export covers ${file.chain.length}`],
    };
  }
  const beyond = [...later.keys()].find((seq) => seq > walk.end.seq);
  if (beyond !== undefined) {
    return {
      ok: false,
      firstDiffering: { seq: walk.end.seq + 1, id: null, action: null, at: null },
      lines: [...lines, `✗ entry ${walk.end.seq + 1} is missing: the database ends at entry ${walk.end.seq}, a checkpoint was signed at entry ${beyond}`],
    };
  }
  const newer = [...later.keys()].filter((seq) => seq > file.chain.length).length;
  lines.push(`✓ the database: ${walk.checked} entries recomputed; the first ${file.chain.length} match the export`);
  lines.push(`  ${walk.checked - file.chain.length} newer entries are intact on their own${newer ? ` and reach ${newer} checkpoint(s) signed since` : ''}`);
  return { ok: true, firstDiffering: null, lines };
}
