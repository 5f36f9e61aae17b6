import { randomUUID } from 'node:crypto';
import { addMonths, centsToMoney, Lever, MeasureState, monthOf, ValueKind } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import type { DemoMeasure } from './demo-governance.js';
import { hashPassword } from '../users/index.js';
import { measureCode, RECOMPUTE_NEXT_DUE_SQL, RECOMPUTE_TOTALS_SQL } from '../measures/index.js';
import { DEMO_ACCOUNTS, DEMO_ORG_NAME, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_PROGRAMS, DEMO_UNITS } from './demo-catalogue.js';
import { seedGateTemplate } from '../governance/index.js';
import { seedSlaPolicies } from '../tickets/index.js';
import { demoStepAt, loadDemoGovernance } from './demo-governance.js';
import { DemoHistory } from './demo-history.js';
import { DAY, mulberry32 } from './demo-random.js';
import { loadDemoTickets } from './demo-tickets.js';

export interface DemoSummary {
  organisationId: string;
  users: Record<string, string>;
  measures: number;
}

/** How long before today the demo organisation started using Gatehouse: before its oldest measure. */
const FOUNDED_DAYS_AGO = 300;

/**
 * Loads Northwind Services: org units with sub-units, 3 programs, 8 packages, 64 measures over DoI 1-5 with 24
 * months of plan, forecast and actual values and milestones, their governance history, ten months of service
 * tickets, and the demo accounts; and writes all of it to the audit trail, dated as it happened. Runs in the
 * caller's transaction, on an empty database.
 */
export async function loadDemoData(manager: EntityManager, now = new Date()): Promise<DemoSummary> {
  const random = mulberry32(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const history = new DemoHistory();
  const founded = new Date(now.getTime() - FOUNDED_DAYS_AGO * DAY);
  const setUp = (days: number) => new Date(founded.getTime() + days * DAY);

  const [{ id: orgId }] = await manager.query(`INSERT INTO organisation (name, currency) VALUES ($1, 'EUR') RETURNING id`, [
    DEMO_ORG_NAME,
  ]);
  history.record(founded, null, { action: 'organisation.created', entityType: 'Organisation', entityId: orgId, after: { name: DEMO_ORG_NAME, currency: 'EUR', demo: true } });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: Record<string, string> = {};
  for (const person of [...DEMO_ACCOUNTS, ...DEMO_PEOPLE]) {
    const [{ id }] = await manager.query(
      `INSERT INTO app_user (organisation_id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
      [orgId, person.email, person.name, passwordHash],
    );
    users[person.key] = id;
    await manager.query(`INSERT INTO role_grant (user_id, role, scope_id, scope_kind) VALUES ($1, $2, $3, 'ORGANISATION')`, [
      id,
      person.role,
      orgId,
    ]);
    // The first admin came with the organisation; the admin invited everyone else.
    const by = person.key === 'admin' ? null : users.admin;
    history.record(founded, by, { action: 'user.created', entityType: 'User', entityId: id, after: { email: person.email, name: person.name } });
    history.record(founded, by, { action: 'role.granted', entityType: 'User', entityId: id, after: { role: person.role, scopeId: orgId, scopeKind: 'ORGANISATION' } });
  }

  const unitPaths = new Map<string, string[]>();
  for (const unit of DEMO_UNITS) {
    const id = randomUUID();
    const path = [orgId, id];
    await manager.query(`INSERT INTO org_unit (id, organisation_id, name, path) VALUES ($1, $2, $3, $4)`, [id, orgId, unit.name, path]);
    history.record(setUp(1), users.admin, { action: 'orgUnit.created', entityType: 'OrgUnit', entityId: id, after: { name: unit.name, parentId: null } });
    unitPaths.set(unit.name, path);
    for (const child of unit.children) {
      const childId = randomUUID();
      await manager.query(`INSERT INTO org_unit (id, organisation_id, parent_id, name, path) VALUES ($1, $2, $3, $4, $5)`, [
        childId,
        orgId,
        id,
        child,
        [...path, childId],
      ]);
      history.record(setUp(1), users.admin, { action: 'orgUnit.created', entityType: 'OrgUnit', entityId: childId, after: { name: child, parentId: id } });
    }
  }

  const thisMonth = monthOf(now);
  const firstMonth = addMonths(thisMonth, -12);
  const owners = [users.owner, users.owner, users.owner, users.priya, users.marco];
  const sponsors = [users.jonas, users.steering];
  let seq = 0;
  const measureIds: string[] = [];
  const created: DemoMeasure[] = [];

  for (const program of DEMO_PROGRAMS) {
    const programId = randomUUID();
    const programPath = [...unitPaths.get(program.unit)!, programId];
    await manager.query(`INSERT INTO program (id, organisation_id, org_unit_id, name, objective, path) VALUES ($1, $2, $3, $4, $5, $6)`, [
      programId,
      orgId,
      programPath[programPath.length - 2],
      program.name,
      program.objective,
      programPath,
    ]);
    history.record(setUp(2), users.admin, { action: 'program.created', entityType: 'Program', entityId: programId, after: { name: program.name, orgUnitId: programPath[programPath.length - 2], objective: program.objective } });
    for (const pkg of program.packages) {
      const packageId = randomUUID();
      const packagePath = [...programPath, packageId];
      await manager.query(
        `INSERT INTO measure_package (id, organisation_id, program_id, name, owner_id, path) VALUES ($1, $2, $3, $4, $5, $6)`,
        [packageId, orgId, programId, pkg.name, users.owner, packagePath],
      );
      history.record(setUp(2), users.admin, { action: 'measurePackage.created', entityType: 'MeasurePackage', entityId: packageId, after: { name: pkg.name, programId, ownerId: users.owner } });
      for (const [title, lever] of pkg.measures) {
        seq++;
        // DoI spreads evenly over 1..5 with a few measures on hold or stopped.
        const doi = ((seq * 7) % 5) + 1;
        const state =
          doi === 5 ? MeasureState.CLOSED : seq % 17 === 0 ? MeasureState.CANCELLED : seq % 13 === 0 ? MeasureState.ON_HOLD : MeasureState.ACTIVE;
        const ownerId = pick(owners);
        const monthly = lever === Lever.NON_FINANCIAL ? 0 : Math.round(1_000 + random() * 14_000) * 100; // cents
        const measureId = randomUUID();
        measureIds.push(measureId);
        const createdAt = new Date(now.getTime() - (70 - seq) * 4 * DAY);
        created.push({ id: measureId, seq, code: measureCode(seq), doi, state, ownerId, createdAt });
        await manager.query(
          `INSERT INTO measure (id, organisation_id, package_id, path, seq, code, title, description, business_case, lever,
                                owner_id, sponsor_id, controller_id, doi, state, rough_potential, updated_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $11, $17, $17)`,
          [
            measureId,
            orgId,
            packageId,
            packagePath,
            seq,
            measureCode(seq),
            title,
            `${title} in ${pkg.name.toLowerCase()} (${program.name}).`,
            doi >= 2 ? `Removes recurring effort and cost in ${pkg.name.toLowerCase()}; payback within twelve months.` : '',
            lever,
            ownerId,
            doi >= 2 ? pick(sponsors) : null,
            doi >= 2 ? (ownerId === users.owner && seq % 4 === 0 ? users.mei : users.controller) : null,
            doi,
            state,
            centsToMoney(BigInt(monthly * 12)),
            createdAt,
          ],
        );
        history.record(createdAt, ownerId, {
          action: 'measure.created',
          entityType: 'Measure',
          entityId: measureId,
          measureId,
          after: { code: measureCode(seq), title, lever, ownerId, doi: 1, state: MeasureState.ACTIVE, roughPotential: centsToMoney(BigInt(monthly * 12)), packageId },
        });
        if (doi >= 2 && monthly > 0) {
          await insertValues(manager, measureId, ownerId, firstMonth, thisMonth, doi, monthly, random);
        }
        if (doi >= 2) await insertMilestones(manager, history, { id: measureId, ownerId, createdAt }, doi, now, random);
        await manager.query(RECOMPUTE_TOTALS_SQL, [measureId]);
        await manager.query(RECOMPUTE_NEXT_DUE_SQL, [measureId]);
        await manager.query(
          `INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
           SELECT id, organisation_id, path, created_at, 1, 'ACTIVE', annual_potential, 'CREATED' FROM measure WHERE id = $1`,
          [measureId],
        );
      }
    }
  }
  await manager.query(`UPDATE organisation SET measure_seq = $2 WHERE id = $1`, [orgId, seq]);
  await seedGateTemplate(manager, orgId, null);
  await seedSlaPolicies(manager, orgId);
  await loadDemoGovernance(manager, orgId, created, { steering: users.steering, jonas: users.jonas, controller: users.controller, mei: users.mei }, history, now);
  await loadDemoTickets(manager, orgId, created, history, now);
  await history.write(manager, orgId);
  return { organisationId: orgId, users, measures: measureIds.length };
}

/** 24 months of plan ramping up to full effect, a forecast around it, and actuals up to this month once implemented. */
async function insertValues(
  manager: EntityManager,
  measureId: string,
  editorId: string,
  firstMonth: string,
  thisMonth: string,
  doi: number,
  monthlyCents: number,
  random: () => number,
): Promise<void> {
  const kinds: string[] = [];
  const months: string[] = [];
  const amounts: string[] = [];
  const push = (kind: ValueKind, month: string, cents: number) => {
    kinds.push(kind);
    months.push(`${month}-01`);
    amounts.push(centsToMoney(BigInt(Math.round(cents))));
  };
  const forecastFactor = 0.7 + random() * 0.4;
  const start = Math.floor(random() * 6);
  for (let i = 0; i < 24; i++) {
    const month = addMonths(firstMonth, i);
    const ramp = Math.min(1, Math.max(0, (i - start) / 6));
    const plan = monthlyCents * ramp;
    push(ValueKind.PLAN, month, plan);
    if (doi >= 3) push(ValueKind.FORECAST, month, plan * forecastFactor);
    if (doi >= 4 && month <= thisMonth) push(ValueKind.ACTUAL, month, plan * (forecastFactor - 0.05 + random() * 0.1));
  }
  push(ValueKind.ONE_OFF_COST, firstMonth, monthlyCents * 2);
  await manager.query(
    `INSERT INTO measure_value (measure_id, kind, month, amount, updated_by)
     SELECT $1, k, m, a, $2 FROM unnest(CAST($3 AS text[]), CAST($4 AS date[]), CAST($5 AS numeric[])) AS v(k, m, a)`,
    [measureId, editorId, kinds, months, amounts],
  );
}

/** Four milestones, planned by the owner before the gate to DoI 3 and marked done by them on the day. */
async function insertMilestones(
  manager: EntityManager,
  history: DemoHistory,
  m: { id: string; ownerId: string; createdAt: Date },
  doi: number,
  now: Date,
  random: () => number,
): Promise<void> {
  const titles = ['Business case agreed', 'Solution design signed off', 'Pilot completed', 'Rolled out to all sites'];
  const planned = new Date(Math.max(m.createdAt.getTime() + DAY, demoStepAt(m.createdAt, 3, now).getTime() - 12 * DAY));
  const implemented = demoStepAt(m.createdAt, 4, now);
  for (let i = 0; i < titles.length; i++) {
    const offsetDays = (i - 2) * 45 + Math.round(random() * 40) - 10;
    const due = new Date(now.getTime() + offsetDays * DAY);
    // Measures at DoI 4 and 5 are implemented: every milestone was done before their gate to DoI 4. Earlier ones
    // have done the past ones, mostly, so a few show amber or red.
    const doneBy = doi >= 4 ? implemented.getTime() - (titles.length - i) * DAY : now.getTime();
    const done = doi >= 4 || (offsetDays < 0 && random() > 0.25) ? new Date(Math.min(due.getTime(), doneBy)) : null;
    const [{ id }] = await manager.query(`INSERT INTO milestone (measure_id, title, due_on, done_on) VALUES ($1, $2, $3, $4) RETURNING id`, [
      m.id,
      titles[i],
      due,
      done,
    ]);
    history.record(planned, m.ownerId, { action: 'milestone.added', entityType: 'Milestone', entityId: id, measureId: m.id, after: { title: titles[i], dueOn: due } });
    if (done) {
      const at = new Date(Math.max(done.getTime(), planned.getTime() + DAY));
      history.record(at, m.ownerId, { action: 'milestone.completed', entityType: 'Milestone', entityId: id, measureId: m.id, before: { doneOn: null }, after: { doneOn: done } });
    }
  }
}
