import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteAuditChain } from '../../testing/audit-rewrite.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';
import { parsePublicKey, generateSigningKeyPem } from './audit-signing.js';
import { parseCheckpointExport, verifyAgainstExport } from './audit-offline-verify.js';
import type { CheckpointExport } from './audit-checkpoints.js';
import { TEST_AUDIT_KEY } from '../../testing/test-app.js';
import { AuditCheckpoints1765600000000 } from '../../database/migrations/1765600000000-audit-checkpoints.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const changes = async (label: string, n: number) => {
  for (let i = 0; i < n; i++) await t.gql(`mutation { saveServiceCategory(input: { name: "${label} ${i}" }) { id } }`, {}, t.tokens.admin);
};
const verify = async () =>
  (await t.gql(`{ verifyAuditTrail { ok checked firstBrokenSeq problem checkpoints lastCheckpoint { seq hash keyId } } }`, {}, t.tokens.admin)).data!.verifyAuditTrail;
const download = (token: string) => request(t.app.httpServer).get('/audit/checkpoints.json').set('authorization', `Bearer ${token}`);
const publicKey = parsePublicKey(TEST_AUDIT_KEY.publicKeyPem);

describe('signed audit checkpoints', () => {
  let exported: CheckpointExport;

  it('signs the chain head on demand, and the verification reaches it', async () => {
    // Setup
    await changes('Checkpointed', 3);
    const [head] = await t.db.dataSource.query(`SELECT seq, hash FROM audit_chain_head`);
    // Action
    const res = await t.gql(`mutation { createAuditCheckpoint { seq hash keyId signedAt } }`, {}, t.tokens.controller);
    // Assert
    expect(res.data!.createAuditCheckpoint).toMatchObject({ seq: Number(head.seq), hash: head.hash });
    const v = await verify();
    expect(v).toMatchObject({ ok: true, checkpoints: 1, lastCheckpoint: { seq: Number(head.seq), keyId: res.data!.createAuditCheckpoint.keyId } });
    expect(errorCode(await t.gql(`mutation { createAuditCheckpoint { seq } }`, {}, t.tokens.viewer))).toBe('FORBIDDEN');
  });

  it('exports the checkpoints with every entry’s hash to admins and controllers, never cached, and the export verifies', async () => {
    await changes('Exported', 2);
    const res = await download(t.tokens.admin);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?audit-checkpoints-\d{4}-\d{2}-\d{2}\.json/);
    exported = parseCheckpointExport(res.text);
    const [head] = await t.db.dataSource.query(`SELECT seq FROM audit_chain_head`);
    expect(exported.checkpoints.at(-1)!.seq).toBe(Number(head.seq));
    expect(exported.chain).toHaveLength(Number(head.seq));
    expect((await verifyAgainstExport(t.db.dataSource, exported, publicKey)).ok).toBe(true);
    expect((await download(t.tokens.viewer)).status).toBe(403);
    expect((await request(t.app.httpServer).get('/audit/checkpoints.json')).status).toBe(401);
  });

  it('refuses an export file that is not intact or not signed by the trusted key', async () => {
    const edited = { ...exported, chain: exported.chain.map((h, i) => (i === exported.chain.length - 1 ? '0'.repeat(64) : h)) };
    expect((await verifyAgainstExport(t.db.dataSource, edited, publicKey)).lines.at(-1)).toMatch(/does not reach the checkpoint.*not intact/);
    const otherKey = parsePublicKey(generateSigningKeyPem().publicKeyPem);
    expect((await verifyAgainstExport(t.db.dataSource, exported, otherKey)).lines.at(-1)).toMatch(/is not signed by key/);
    expect(() => parseCheckpointExport('{"format":"something else"}')).toThrow(/not a Gatehouse checkpoint export/);
  });

  it('lets the database take only entries that continue the chain head', async () => {
    await expect(
      t.db.dataSource.query(
        `INSERT INTO audit_entry (organisation_id, at, seq, action, entity_type, entity_id, prev_hash, hash)
         SELECT organisation_id, now(), seq + 2, 'forged', 'Nothing', 'x', hash, hash FROM audit_chain_head`,
      ),
    ).rejects.toThrow(/continue the chain head/);
    await expect(
      t.db.dataSource.query(
        `INSERT INTO audit_entry (organisation_id, at, seq, action, entity_type, entity_id, prev_hash, hash)
         SELECT organisation_id, now(), seq + 1, 'forged', 'Nothing', 'x', repeat('1', 64), hash FROM audit_chain_head`,
      ),
    ).rejects.toThrow(/continue the chain head/);
    await expect(t.db.dataSource.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/append-only/);
  });

  it('finds a rewrite that re-hashed every later entry and the head at the signed checkpoint after it, and signs nothing over it', async () => {
    // Setup: an entry the first checkpoint covers is rewritten, the chain and head re-hashed; the checkpoints stay
    const [target] = await t.db.dataSource.query(`SELECT id, seq FROM audit_entry WHERE action = 'serviceCategory.saved' ORDER BY seq LIMIT 1`);
    const firstCheckpoint = exported.checkpoints[0];
    await changes('After the export', 1);
    await t.db.dataSource.transaction((m) => rewriteAuditChain((sql, params) => m.query(sql, params), String(target.id), `reason = 'quietly edited'`, { dropCheckpoints: false }));
    // Action
    const v = await verify();
    const offline = await verifyAgainstExport(t.db.dataSource, exported, publicKey);
    const signAgain = await t.gql(`mutation { createAuditCheckpoint { seq } }`, {}, t.tokens.admin);
    // Assert: the database's own checkpoints catch it at the first one after the change; the export names the entry
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: firstCheckpoint.seq });
    expect(v.problem).toMatch(/no longer reaches the checkpoint signed/);
    expect(offline.ok).toBe(false);
    expect(offline.firstDiffering).toMatchObject({ seq: Number(target.seq), id: String(target.id), action: 'serviceCategory.saved' });
    expect(errorCode(signAgain)).toBe('CONFLICT');
    expect(signAgain.errors![0].message).toMatch(/no longer extends its last signed checkpoint/);
  });

  it('has a working down: the checkpoints and the database-kept head go, and come back', async () => {
    const runner = t.db.dataSource.createQueryRunner();
    const migration = new AuditCheckpoints1765600000000();
    try {
      await migration.down(runner);
      expect(await runner.query(`SELECT to_regclass('audit_checkpoint') AS t, to_regproc('audit_chain_lock') AS f`)).toEqual([{ t: null, f: null }]);
      await migration.up(runner);
      expect(await runner.query(`SELECT to_regclass('audit_checkpoint')::text AS t`)).toEqual([{ t: 'audit_checkpoint' }]);
    } finally {
      await runner.release();
    }
    await changes('After down and up', 1);
    expect(errorCode(await t.gql(`{ verifyAuditTrail { ok } }`, {}, t.tokens.admin))).toBeUndefined();
  });
});
