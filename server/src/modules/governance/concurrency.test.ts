import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * Many callers at once on the same rows. On PGlite the statements of concurrent transactions are serialised by
 * its single connection; on a PostgreSQL server (TEST_DATABASE_URL) they run on a pool of ten connections and
 * the row locks and conditional UPDATEs are what keeps the answers right.
 */
let t: TestApp;
let g: ReturnType<typeof governance>;
beforeAll(async () => {
  t = await startTestApp();
  g = governance(t);
});
afterAll(async () => {
  await t?.close();
});

describe('concurrency', () => {
  it('lets exactly one of 100 concurrent updateMeasure calls on the same version win; 99 get CONFLICT', async () => {
    // Setup
    const m = await g.newMeasure('Contended measure');
    const version = await g.version(m.id);
    // Action
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.gql(`mutation($id: ID!, $v: Int!, $t: String!) { updateMeasure(id: $id, version: $v, input: { title: $t }) { version } }`, { id: m.id, v: version, t: `Title ${i}` }, t.tokens.owner),
      ),
    );
    // Assert
    const won = results.filter((r) => r.data?.updateMeasure);
    const codes = results.map(errorCode).filter(Boolean);
    console.info(`updateMeasure x100: ${won.length} succeeded, ${codes.filter((c) => c === 'CONFLICT').length} CONFLICT, others ${JSON.stringify(codes.filter((c) => c !== 'CONFLICT'))}`);
    expect(won).toHaveLength(1);
    expect(codes).toEqual(Array(99).fill('CONFLICT'));
    expect(await g.version(m.id)).toBe(version + 1);
    const audits = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE entity_id = $1 AND action = 'measure.updated'`, [m.id]);
    expect(audits[0].n).toBe(1);
  });

  it('makes one transition and one audit entry of 100 concurrent decideGate calls on one request', async () => {
    // Setup
    const m = await g.newMeasure('Contended gate');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    // Action
    const results = await Promise.all(Array.from({ length: 100 }, () => g.decide(r.id, 'APPROVE', { items: ['scope-agreed'] })));
    // Assert
    const won = results.filter((x) => x.data?.decideGate);
    const codes = results.map(errorCode).filter(Boolean);
    console.info(`decideGate x100: ${won.length} succeeded, ${codes.filter((c) => c === 'CONFLICT').length} CONFLICT`);
    expect(won).toHaveLength(1);
    expect(codes).toEqual(Array(99).fill('CONFLICT'));
    const measure = (await g.must(`query($id: ID!) { measure(id: $id) { doi } }`, { id: m.id }, t.tokens.admin)).measure;
    expect(measure.doi).toBe(2);
    const audits = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE entity_id = $1 AND action LIKE 'gate.%' AND action <> 'gate.requested'`, [r.id]);
    expect(audits[0].n).toBe(1);
  });

  it('keeps one unbroken audit chain through 50 concurrent sign-offs and edits across measures', async () => {
    // Setup: five measures at DoI 4 and five to edit
    const toSign = [];
    for (let i = 0; i < 5; i++) toSign.push(await g.measureAtDoi4(`Concurrent closure ${i}`));
    const toEdit = [];
    for (let i = 0; i < 5; i++) toEdit.push((await g.newMeasure(`Concurrent edit ${i}`)).id);
    // Action: 50 calls at once, sign-offs repeated on each DoI-4 measure, edits on the others
    const calls = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "19750.00", evidence: "Ledger extract") { state } }`, { id: toSign[i % 5] }, t.tokens.controller)
        : t.gql(`mutation($id: ID!) { addComment(measureId: $id, body: "Concurrent note") { id } }`, { id: toEdit[i % 5] }, t.tokens.steering),
    );
    const results = await Promise.all(calls);
    // Assert: each measure closed once, every comment stored, nothing unexpected, and the chain verifies
    expect(results.map(errorCode).filter((c) => c && c !== 'CONFLICT')).toEqual([]);
    expect(results.filter((r, i) => i % 2 === 0 && r.data?.signOffClosure)).toHaveLength(5);
    expect(results.filter((r, i) => i % 2 === 1 && r.data?.addComment)).toHaveLength(25);
    const verification = (await g.must(`{ verifyAuditTrail { ok checked firstBrokenId } }`, {}, t.tokens.admin)).verifyAuditTrail;
    expect(verification).toMatchObject({ ok: true, firstBrokenId: null });
    const signOffs = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'measure.signedOff' AND entity_id = ANY($1)`, [toSign]);
    console.info(`50 concurrent sign-offs and edits: ${signOffs[0].n} sign-off audit entries, chain of ${verification.checked} entries ok`);
  });
});
