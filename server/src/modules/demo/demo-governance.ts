import { MeasureState } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';

const DAY = 86_400_000;

interface DemoMeasure {
  id: string;
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

/**
 * The governance history of the demo: each measure climbed to its DoI through approved gate requests (decided by
 * the steering committee, the DoI 2->3 step in a past gate review), controllers validated potential and signed
 * off the closed measures, and some requests are pending now, so the gate board and sign-off queue have work.
 */
export async function loadDemoGovernance(
  manager: EntityManager,
  organisationId: string,
  measures: DemoMeasure[],
  people: { steering: string; jonas: string; controller: string; mei: string },
  now: Date,
): Promise<void> {
  const [{ id: templateId }] = await manager.query(`SELECT id FROM gate_template WHERE organisation_id = $1 ORDER BY version DESC LIMIT 1`, [organisationId]);
  const orgPath = [organisationId];
  const reviewAt = new Date(now.getTime() - 75 * DAY);
  const [{ id: pastReview }] = await manager.query(
    `INSERT INTO gate_review (organisation_id, scope_id, scope_path, title, held_on, created_by) VALUES ($1, $1, $2, $3, $4, $5) RETURNING id`,
    [organisationId, orgPath, 'Steering committee — quarterly gate review', reviewAt, people.steering],
  );
  await manager.query(`INSERT INTO gate_review_participant (review_id, user_id) VALUES ($1, $2), ($1, $3), ($1, $4)`, [pastReview, people.steering, people.jonas, people.controller]);

  for (const [index, m] of measures.entries()) {
    const [path] = (await manager.query(`SELECT path FROM measure WHERE id = $1`, [m.id])).map((r: { path: string[] }) => r.path);
    const controller = m.ownerId === people.controller ? people.mei : index % 3 === 0 ? people.mei : people.controller;
    // Steps spread between creation and today.
    const span = now.getTime() - m.createdAt.getTime();
    const stepAt = (doi: number) => new Date(m.createdAt.getTime() + (span * (doi - 1)) / 5);
    for (let to = 2; to <= Math.min(m.doi, 4); to++) {
      const decidedAt = stepAt(to);
      const inReview = to === 3;
      await manager.query(
        `INSERT INTO gate_request (organisation_id, measure_id, path, from_doi, to_doi, status, note, requested_by, requested_at,
                                   review_id, decision, rationale, decided_by, decided_at, decided_in_review_id, criteria, template_id)
         VALUES ($1, $2, $3, $4, $5, 'APPROVED', 'Ready for the next gate', $6, $7, $8, 'APPROVE', $9, $10, $11, $8, '[]', $12)`,
        [organisationId, m.id, path, to - 1, to, m.ownerId, new Date(decidedAt.getTime() - 3 * DAY), inReview ? pastReview : null, RATIONALES[to], to === 2 ? people.jonas : people.steering, decidedAt, templateId],
      );
      if (to === 3) {
        await manager.query(`UPDATE measure SET potential_validated_at = $2, potential_validated_by = $3, potential_validation_note = 'Checked against ticket volumes and rates' WHERE id = $1`, [
          m.id,
          new Date(decidedAt.getTime() - 5 * DAY),
          controller,
        ]);
      }
      if (to === 4) {
        await manager.query(`INSERT INTO evidence (measure_id, kind, title, url, created_by, created_at) VALUES ($1, 'IMPLEMENTATION', 'Go-live report', 'https://intranet.northwind.example/golive', $2, $3)`, [
          m.id,
          m.ownerId,
          decidedAt,
        ]);
      }
      await manager.query(
        `INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
         SELECT id, organisation_id, path, $2, $3, 'ACTIVE', annual_potential, 'GATE_APPROVE' FROM measure WHERE id = $1`,
        [m.id, decidedAt, to],
      );
    }
    if (m.doi === 5) {
      const signedAt = stepAt(5);
      const [{ actual }] = await manager.query(`SELECT actual_total AS actual FROM measure WHERE id = $1`, [m.id]);
      await manager.query(`INSERT INTO sign_off (measure_id, controller_id, confirmed_value, evidence, note, signed_at) VALUES ($1, $2, $3, $4, 'Confirmed with Finance', $5)`, [
        m.id,
        controller,
        actual,
        'General ledger extract and cost-centre report',
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
    }
  }

  // Work waiting now: requests for the steering committee (a few on next week's review) and closure requests.
  const [{ id: nextReview }] = await manager.query(
    `INSERT INTO gate_review (organisation_id, scope_id, scope_path, title, held_on, created_by) VALUES ($1, $1, $2, $3, $4, $5) RETURNING id`,
    [organisationId, orgPath, 'Steering committee — monthly gate review', new Date(now.getTime() + 7 * DAY), people.steering],
  );
  await manager.query(`INSERT INTO gate_review_participant (review_id, user_id) VALUES ($1, $2), ($1, $3)`, [nextReview, people.steering, people.jonas]);
  // A realistic mix: a couple of fresh ideas, detailed measures on next week's agenda, one implementation
  // gate, and closure requests for the controllers.
  const quota: Record<number, number> = { 1: 2, 2: 3, 3: 2, 4: 3 };
  let pending = 0;
  for (const m of measures) {
    if (m.state !== MeasureState.ACTIVE || m.doi > 4 || quota[m.doi] === 0) continue;
    quota[m.doi]--;
    pending++;
    const [path] = (await manager.query(`SELECT path FROM measure WHERE id = $1`, [m.id])).map((r: { path: string[] }) => r.path);
    await manager.query(
      `INSERT INTO gate_request (organisation_id, measure_id, path, from_doi, to_doi, status, note, requested_by, requested_at, review_id)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7, $8, $9)`,
      [organisationId, m.id, path, m.doi, m.doi + 1, m.doi === 4 ? 'Actuals recorded; please confirm the realised value.' : 'Criteria met; asking for the next gate.', m.ownerId, new Date(now.getTime() - pending * DAY), m.doi >= 2 && m.doi <= 3 ? nextReview : null],
    );
  }
}
