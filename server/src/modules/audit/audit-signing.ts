import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type AuditSigningKeySource } from '../../config/config.js';

/**
 * Ed25519 signatures over audit checkpoints (node:crypto, no dependency). The private key never enters the
 * database: it comes from a file or an environment secret (config.ts), so someone who can rewrite every table
 * still cannot sign a checkpoint for the chain they rewrote.
 */

/** What a checkpoint's signature covers: the organisation, the chain position and hash, and when it was signed. */
export interface CheckpointClaim {
  organisationId: string;
  seq: number;
  hash: string;
  signedAt: Date;
}

export interface SignedCheckpoint extends CheckpointClaim {
  keyId: string;
  signature: string;
}

/** The exact bytes signed: a versioned line format, so nothing depends on JSON key order. */
export function checkpointMessage(c: CheckpointClaim): Buffer {
  return Buffer.from(['gatehouse-audit-checkpoint/1', c.organisationId, String(c.seq), c.hash, c.signedAt.toISOString()].join('\n'), 'utf8');
}

/** The first 16 hex digits of the SHA-256 of the public key (SPKI DER): names the key in checkpoints and exports. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export class AuditSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(claim: CheckpointClaim): SignedCheckpoint {
    return { ...claim, keyId: this.keyId, signature: sign(null, checkpointMessage(claim), this.privateKey).toString('base64') };
  }
}

/** Whether `publicKey` signed this checkpoint. */
export function verifyCheckpoint(publicKey: KeyObject, c: SignedCheckpoint): boolean {
  try {
    return c.keyId === keyIdOf(publicKey) && verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A private key from PEM text or base64 PKCS#8 DER; only Ed25519 is accepted. */
export function parseSigningKey(text: string, origin: string): KeyObject {
  let key: KeyObject;
  try {
    const pem = text.includes('-----BEGIN') ? text.replace(/\\n/g, '\n') : null;
    key = pem ? createPrivateKey(pem) : createPrivateKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new ConfigError(`Invalid configuration:\n  ${origin}: not a private key (PEM or base64 PKCS#8)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`Invalid configuration:\n  ${origin}: the audit signing key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/** A public key from PEM text (the `--public-key` of the offline verification). */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the public key must be Ed25519');
  return key;
}

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateSigningKeyPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Writes a private key file only its owner can read, never over an existing one. */
export function writeKeyFile(file: string, privateKeyPem: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, privateKeyPem, { mode: 0o600, flag: 'wx' });
}

/**
 * The signer of the configured key, or null when none is configured (checkpoints are then not written). The
 * embedded database's default key file is created on first use, beside the data directory's database files.
 */
export function openAuditSigner(source: AuditSigningKeySource | null): AuditSigner | null {
  if (!source) return null;
  if (source.kind === 'pem') return new AuditSigner(parseSigningKey(source.pem, 'AUDIT_SIGNING_KEY'));
  if (!fs.existsSync(source.file)) {
    if (!source.createIfMissing) throw new ConfigError(`Invalid configuration:\n  AUDIT_SIGNING_KEY_FILE: ${source.file} does not exist`);
    writeKeyFile(source.file, generateSigningKeyPem().privateKeyPem);
  }
  return new AuditSigner(parseSigningKey(fs.readFileSync(source.file, 'utf8'), `AUDIT_SIGNING_KEY_FILE (${source.file})`));
}
