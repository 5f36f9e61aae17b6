import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const g = governance(t);
  const m = await g.newMeasure('Audited measure');
  await g.plan(m.id);
  await g.requestGate(m.id);
});
afterAll(async () => t?.close());

const verify = async () => (await t.gql(`{ verifyAuditTrail { ok checked firstBrokenId firstBrokenSeq problem } }`, {}, t.tokens.admin)).data!.verifyAuditTrail;

describe('the audit trail', () => {
  it('writes an entry for every mutation, with actor, action, before, after and time', async () => {
    const res = await t.gql(`{ auditTrail(first: 10) { totalCount edges { node { seq action entityType actor { email } at before after hash prevHash } } } }`, {}, t.tokens.admin);
    const entries = res.data!.auditTrail.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => e.action)).toEqual(expect.arrayContaining(['gate.requested', 'measure.values.set', 'measure.created', 'session.started']));
    const values = entries.find((e: any) => e.action === 'measure.values.set');
    expect(values.actor.email).toBe('owner@northwind.example');
    expect(values.after).toMatchObject({ 'PLAN:2026-01': '10000.00' });
    // Newest first, each linked to the one before.
    for (let i = 0; i + 1 < entries.length; i++) {
      expect(entries[i].seq).toBe(entries[i + 1].seq + 1);
      expect(entries[i].prevHash).toBe(entries[i + 1].hash);
    }
  });

  it('verifies the whole chain', async () => {
    const v = await verify();
    expect(v).toMatchObject({ ok: true, firstBrokenId: null });
    expect(v.checked).toBeGreaterThan(5);
  });

  it('refuses UPDATE and DELETE on audit entries in the database itself', async () => {
    await expect(t.db.dataSource.query(`UPDATE audit_entry SET reason = 'edited' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(t.db.dataSource.query(`DELETE FROM audit_entry WHERE seq = 2`)).rejects.toThrow(/append-only/);
  });

  it('names the first entry edited behind the trigger’s back', async () => {
    // Setup: someone with table-owner rights disables the trigger and rewrites history
    const [target] = await t.db.dataSource.query(`SELECT id, seq FROM audit_entry WHERE action = 'measure.values.set' ORDER BY seq LIMIT 1`);
    await t.db.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete`);
      await m.query(`UPDATE audit_entry SET after = '{"PLAN:2026-01": "1.00"}' WHERE id = $1`, [target.id]);
      await m.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update_delete`);
    });
    // Action
    const v = await verify();
    // Assert
    expect(v.ok).toBe(false);
    expect(v.firstBrokenId).toBe(String(target.id));
    expect(v.firstBrokenSeq).toBe(Number(target.seq));
    expect(v.checked).toBe(Number(target.seq) - 1);
    expect(v.problem).toMatch(/content does not match/);
  });

  it('shows entries about measures to those who may read them, and verification to admins and controllers only', async () => {
    const viewer = await t.gql(`{ auditTrail(first: 200) { edges { node { action } } } }`, {}, t.tokens.viewer);
    const actions = viewer.data!.auditTrail.edges.map((e: any) => e.node.action);
    expect(actions).toContain('measure.created');
    expect(actions).not.toContain('session.started');
    expect(errorCode(await t.gql(`{ verifyAuditTrail { ok } }`, {}, t.tokens.viewer))).toBe('FORBIDDEN');
  });
});
