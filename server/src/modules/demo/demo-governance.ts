import { GateDecision, MeasureState } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import type { DemoHistory } from './demo-history.js';
import { DAY } from './demo-random.js';

export interface DemoMeasure {
  id: string;
  seq: number;
  code: string;
  doi: number;
  state: MeasureState;
  ownerId: string;
  createdAt: Date;
}

const RATIONALES: Record<number, string> = {
  2: 'Plan and business case are credible; detail it further.',
  3: 'Potential validated by Controlling; go ahead with implementation.',
  4: 'Implemented as planned; evidence reviewed.',
};

const PAUSED: Partial<Record<MeasureState, { decision: GateDecision; status: string; event: string; rationale: string }>> = {
  [MeasureState.ON_HOLD]: { decision: GateDecision.HOLD, status: 'ON_HOLD', event: 'GATE_HOLD', rationale: 'On hold until the budget round settles the funding.' },
  [MeasureState.CANCELLED]: { decision: GateDecision.STOP, status: 'STOPPED', event: 'GATE_STOP', rationale: 'Stopped: the vendor contract change removes the saving.' },
};

/** When a demo measure reached a DoI: its steps spread evenly between its creation and today. */
export function demoStepAt(createdAt: Date, doi: number, now: Date): Date {
  const span = now.getTime() - createdAt.getTime();
  return new Date(createdAt.getTime() + (span * (doi - 1)) / 5);
}

const before = (at: Date, days: number) => new Date(at.getTime() - days * DAY);

/**
 * The governance history of the demo: each measure climbed to its DoI through approved gate requests (decided by
 * the steering committee, the DoI 2->3 step in a past gate review), controllers validated potential and signed
 * off the closed measures, measures on hold or stopped got there at a gate, and some requests are pending now,
 * so the gate board and sign-off queue have work. Every step is recorded in the demo's history as its people
 * made it: the owner's details and values, requests, decisions, validations, evidence and sign-offs.
 */
export async function loadDemoGovernance(
  manager: EntityManager,
  organisationId: string,
  measures: DemoMeasure[],
  people: { steering: string; jonas: string; controller: string; mei: string },
  history: DemoHistory,
  now: Date,
): Promise<void> {
  const [{ id: templateId }] = await manager.query(`SELECT id FROM gate_template WHERE organisation_id = $1 ORDER BY version DESC LIMIT 1`, [organisationId]);
  const orgPath = [organisationId];
  const reviewAt = new Date(now.getTime() - 75 * DAY);
  const pastTitle = 'Steering committee — quarterly gate review';
  const [{ id: pastReview }] = await manager.query(
    `INSERT INTO gate_review (organisation_id, scope_id, scope_path, title, held_on, created_by, chair_id) VALUES ($1, $1, $2, $3, $4, $5, $5) RETURNING id`,
    [organisationId, orgPath, pastTitle, reviewAt, people.steering],
  );
  await manager.query(`INSERT INTO gate_review_participant (review_id, user_id) VALUES ($1, $2), ($1, $3), ($1, $4)`, [pastReview, people.steering, people.jonas, people.controller]);
  history.record(before(reviewAt, 14), people.steering, {
    action: 'gateReview.created',
    entityType: 'GateReview',
    entityId: pastReview,
    after: { title: pastTitle, scopeId: organisationId, heldOn: reviewAt, chairId: people.steering, participantIds: [people.steering, people.jonas, people.controller] },
  });

  for (const [index, m] of measures.entries()) {
    const [row]: { path: string[]; sponsor_id: string | null; controller_id: string | null; business_case: string }[] = await manager.query(
      `SELECT path, sponsor_id, controller_id, business_case FROM measure WHERE id = $1`,
      [m.id],
    );
    const values: { kind: string; month: string; amount: string }[] = await manager.query(
      `SELECT kind, to_char(month, 'YYYY-MM') AS month, amount FROM measure_value WHERE measure_id = $1 ORDER BY kind, month`,
      [m.id],
    );
    const valuesOf = (...kinds: string[]) => Object.fromEntries(values.filter((v) => kinds.includes(v.kind)).map((v) => [`${v.kind}:${v.month}`, v.amount]));
    const path = row.path;
    const controller = m.ownerId === people.controller ? people.mei : index % 3 === 0 ? people.mei : people.controller;
    const stepAt = (doi: number) => demoStepAt(m.createdAt, doi, now);
    const audit = (at: Date, actorId: string, entry: Parameters<DemoHistory['record']>[2]) => history.record(at, actorId, { measureId: m.id, ...entry });

    if (m.doi >= 2) {
      // Before asking for DoI 2 the owner detailed the measure: people, business case and a plan.
      const asked = before(stepAt(2), 3);
      audit(before(asked, 2), m.ownerId, {
        action: 'measure.updated',
        entityType: 'Measure',
        entityId: m.id,
        before: { sponsorId: null, controllerId: null, businessCase: '' },
        after: { sponsorId: row.sponsor_id, controllerId: row.controller_id, businessCase: row.business_case },
      });
      if (values.length) audit(before(asked, 1), m.ownerId, { action: 'measure.values.set', entityType: 'Measure', entityId: m.id, before: {}, after: valuesOf('PLAN', 'ONE_OFF_COST') });
    }
    if (m.doi >= 3 && values.length) {
      audit(before(stepAt(3), 9), m.ownerId, { action: 'measure.values.set', entityType: 'Measure', entityId: m.id, before: {}, after: valuesOf('FORECAST') });
    }

    for (let to = 2; to <= Math.min(m.doi, 4); to++) {
      const decidedAt = stepAt(to);
      const requestedAt = before(decidedAt, 3);
      const inReview = to === 3;
      const decider = to === 2 ? people.jonas : people.steering;
      if (to === 3) {
        const validatedAt = before(decidedAt, 5);
        const note = 'Checked against ticket volumes and rates';
        await manager.query(`UPDATE measure SET potential_validated_at = $2, potential_validated_by = $3, potential_validation_note = $4 WHERE id = $1`, [m.id, validatedAt, controller, note]);
        const [{ plan, potential }] = await manager.query(`SELECT plan_total AS plan, annual_potential AS potential FROM measure WHERE id = $1`, [m.id]);
        audit(validatedAt, controller, { action: 'measure.potentialValidated', entityType: 'Measure', entityId: m.id, after: { planTotal: plan, annualPotential: potential }, reason: note });
      }
      if (to === 4) {
        const attachedAt = before(decidedAt, 4);
        const [{ id: evidenceId }] = await manager.query(
          `INSERT INTO evidence (measure_id, kind, title, url, created_by, created_at) VALUES ($1, 'IMPLEMENTATION', 'Go-live report', 'https://intranet.northwind.example/golive', $2, $3) RETURNING id`,
          [m.id, m.ownerId, attachedAt],
        );
        audit(attachedAt, m.ownerId, { action: 'evidence.added', entityType: 'Evidence', entityId: evidenceId, after: { kind: 'IMPLEMENTATION', title: 'Go-live report', url: 'https://intranet.northwind.example/golive' } });
      }
      const note = 'Ready for the next gate';
      const [{ id: requestId }] = await manager.query(
        `INSERT INTO gate_request (organisation_id, measure_id, path, from_doi, to_doi, status, note, requested_by, requested_at,
                                   review_id, decision, rationale, decided_by, decided_at, decided_in_review_id, criteria, template_id)
         VALUES ($1, $2, $3, $4, $5, 'APPROVED', $6, $7, $8, $9, 'APPROVE', $10, $11, $12, $9, '[]', $13) RETURNING id`,
        [organisationId, m.id, path, to - 1, to, note, m.ownerId, requestedAt, inReview ? pastReview : null, RATIONALES[to], decider, decidedAt, templateId],
      );
      audit(requestedAt, m.ownerId, { action: 'gate.requested', entityType: 'GateRequest', entityId: requestId, after: { fromDoi: to - 1, toDoi: to, note }, reason: note });
      audit(decidedAt, decider, {
        action: 'gate.decided',
        entityType: 'GateRequest',
        entityId: requestId,
        before: { status: 'PENDING', doi: to - 1, state: MeasureState.ACTIVE },
        after: { status: 'APPROVED', decision: GateDecision.APPROVE, doi: to, state: MeasureState.ACTIVE, override: false, unmetCriteria: [], conditions: [], reviewId: inReview ? pastReview : null },
        reason: RATIONALES[to],
      });
      await manager.query(
        `INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
         SELECT id, organisation_id, path, $2, $3, 'ACTIVE', annual_potential, 'GATE_APPROVE' FROM measure WHERE id = $1`,
        [m.id, decidedAt, to],
      );
    }

    if (m.doi >= 4 && values.some((v) => v.kind === 'ACTUAL')) {
      // The owner keeps the actuals current; the last update before today (or before the sign-off) stands for them.
      const enteredAt = m.doi === 5 ? before(stepAt(5), 6) : before(now, 9);
      audit(enteredAt, m.ownerId, { action: 'measure.values.set', entityType: 'Measure', entityId: m.id, before: {}, after: valuesOf('ACTUAL') });
    }

    if (m.doi === 5) {
      const signedAt = stepAt(5);
      const [{ actual }] = await manager.query(`SELECT actual_total AS actual FROM measure WHERE id = $1`, [m.id]);
      const evidence = 'General ledger extract and cost-centre report';
      const note = 'Confirmed with Finance';
      await manager.query(`INSERT INTO sign_off (measure_id, controller_id, confirmed_value, evidence, note, signed_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        m.id,
        controller,
        actual,
        evidence,
        note,
        signedAt,
      ]);
      await manager.query(`INSERT INTO evidence (measure_id, kind, title, note, created_by, created_at) VALUES ($1, 'VALUE', $2, 'General ledger extract', $3, $4)`, [
        m.id,
        `Controller sign-off: ${actual} confirmed`,
        controller,
        signedAt,
      ]);
      await manager.query(`UPDATE measure SET closed_at = $2 WHERE id = $1`, [m.id, signedAt]);
      await manager.query(
        `INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
         SELECT id, organisation_id, path, $2, 5, 'CLOSED', annual_potential, 'SIGNED_OFF' FROM measure WHERE id = $1`,
        [m.id, signedAt],
      );
      audit(signedAt, controller, {
        action: 'measure.signedOff',
        entityType: 'Measure',
        entityId: m.id,
        before: { doi: 4, state: MeasureState.ACTIVE, actualTotal: actual },
        after: { doi: 5, state: MeasureState.CLOSED, confirmedValue: actual, evidence },
        reason: note,
      });
    }

    const paused = PAUSED[m.state];
    if (paused) {
      // Measures on hold or stopped got there at their last gate, ten days ago.
      const decidedAt = before(now, 10);
      const requestedAt = before(decidedAt, 3);
      const note = 'Asking for the next gate.';
      const [{ id: requestId }] = await manager.query(
        `INSERT INTO gate_request (organisation_id, measure_id, path, from_doi, to_doi, status, note, requested_by, requested_at,
                                   decision, rationale, decided_by, decided_at, criteria, template_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '[]', $14) RETURNING id`,
        [organisationId, m.id, path, m.doi, m.doi + 1, paused.status, note, m.ownerId, requestedAt, paused.decision, paused.rationale, people.steering, decidedAt, templateId],
      );
      await manager.query(
        `INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
         SELECT id, organisation_id, path, $2, doi, state, annual_potential, $3 FROM measure WHERE id = $1`,
        [m.id, decidedAt, paused.event],
      );
      audit(requestedAt, m.ownerId, { action: 'gate.requested', entityType: 'GateRequest', entityId: requestId, after: { fromDoi: m.doi, toDoi: m.doi + 1, note }, reason: note });
      audit(decidedAt, people.steering, {
        action: 'gate.decided',
        entityType: 'GateRequest',
        entityId: requestId,
        before: { status: 'PENDING', doi: m.doi, state: MeasureState.ACTIVE },
        after: { status: paused.status, decision: paused.decision, doi: m.doi, state: m.state, override: false, unmetCriteria: [], conditions: [], reviewId: null },
        reason: paused.rationale,
      });
    }
  }

  // Work waiting now: requests for the steering committee (a few on next week's review) and closure requests.
  const nextAt = new Date(now.getTime() + 7 * DAY);
  const nextTitle = 'Steering committee — monthly gate review';
  const [{ id: nextReview }] = await manager.query(
    `INSERT INTO gate_review (organisation_id, scope_id, scope_path, title, held_on, created_by, chair_id) VALUES ($1, $1, $2, $3, $4, $5, $5) RETURNING id`,
    [organisationId, orgPath, nextTitle, nextAt, people.steering],
  );
  await manager.query(`INSERT INTO gate_review_participant (review_id, user_id) VALUES ($1, $2), ($1, $3)`, [nextReview, people.steering, people.jonas]);
  // A realistic mix: a couple of fresh ideas, detailed measures on next week's agenda, one implementation
  // gate, and closure requests for the controllers.
  const quota: Record<number, number> = { 1: 2, 2: 3, 3: 2, 4: 3 };
  const agenda: string[] = [];
  let pending = 0;
  for (const m of measures) {
    if (m.state !== MeasureState.ACTIVE || m.doi > 4 || quota[m.doi] === 0) continue;
    quota[m.doi]--;
    pending++;
    const [path] = (await manager.query(`SELECT path FROM measure WHERE id = $1`, [m.id])).map((r: { path: string[] }) => r.path);
    const note = m.doi === 4 ? 'Actuals recorded; please confirm the realised value.' : 'Criteria met; asking for the next gate.';
    const requestedAt = new Date(now.getTime() - pending * DAY);
    const onAgenda = m.doi >= 2 && m.doi <= 3;
    const [{ id: requestId }] = await manager.query(
      `INSERT INTO gate_request (organisation_id, measure_id, path, from_doi, to_doi, status, note, requested_by, requested_at, review_id)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7, $8, $9) RETURNING id`,
      [organisationId, m.id, path, m.doi, m.doi + 1, note, m.ownerId, requestedAt, onAgenda ? nextReview : null],
    );
    if (onAgenda) agenda.push(requestId);
    history.record(requestedAt, m.ownerId, { action: 'gate.requested', entityType: 'GateRequest', entityId: requestId, measureId: m.id, after: { fromDoi: m.doi, toDoi: m.doi + 1, note }, reason: note });
  }
  history.record(now, people.steering, {
    action: 'gateReview.created',
    entityType: 'GateReview',
    entityId: nextReview,
    after: { title: nextTitle, scopeId: organisationId, heldOn: nextAt, chairId: people.steering, participantIds: [people.steering, people.jonas], requestIds: agenda },
  });
}
