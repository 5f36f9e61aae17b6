import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditSigner, generateSigningKeyPem, openAuditSigner, parseSigningKey, verifyCheckpoint } from './audit-signing.js';

describe('the audit signing key', () => {
  const claim = { organisationId: '00000000-0000-4000-8000-000000000001', seq: 42, hash: 'a'.repeat(64), signedAt: new Date('2026-12-07T10:00:00Z') };

  it('signs a checkpoint that its public key verifies, and no other key or altered claim does', () => {
    const signer = new AuditSigner(parseSigningKey(generateSigningKeyPem().privateKeyPem, 'test'));
    const other = new AuditSigner(parseSigningKey(generateSigningKeyPem().privateKeyPem, 'test'));
    const signed = signer.sign(claim);
    expect(signed.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(verifyCheckpoint(signer.publicKey, signed)).toBe(true);
    expect(verifyCheckpoint(other.publicKey, signed)).toBe(false);
    expect(verifyCheckpoint(signer.publicKey, { ...signed, seq: 43 })).toBe(false);
    expect(verifyCheckpoint(signer.publicKey, { ...signed, hash: 'b'.repeat(64) })).toBe(false);
  });

  it('accepts PEM (with escaped line breaks from an environment) or base64 PKCS#8, and refuses other key types', () => {
    const { privateKeyPem } = generateSigningKeyPem();
    expect(parseSigningKey(privateKeyPem.replace(/\n/g, '\\n'), 'AUDIT_SIGNING_KEY').asymmetricKeyType).toBe('ed25519');
    const der = parseSigningKey(privateKeyPem, 'x').export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(parseSigningKey(der, 'AUDIT_SIGNING_KEY').asymmetricKeyType).toBe('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parseSigningKey(rsa, 'AUDIT_SIGNING_KEY')).toThrow(/must be Ed25519, not rsa/);
    expect(() => parseSigningKey('not a key', 'AUDIT_SIGNING_KEY')).toThrow(/not a private key/);
  });

  it('creates the embedded database’s key file once, readable by its owner only, and never invents a configured one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-key-'));
    try {
      const file = path.join(dir, 'audit-signing-key.pem');
      const first = openAuditSigner({ kind: 'file', file, createIfMissing: true })!;
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(openAuditSigner({ kind: 'file', file, createIfMissing: true })!.keyId).toBe(first.keyId);
      expect(() => openAuditSigner({ kind: 'file', file: path.join(dir, 'missing.pem'), createIfMissing: false })).toThrow(/does not exist/);
      expect(openAuditSigner(null)).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
