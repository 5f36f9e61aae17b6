import { checkMeasurePeople, isDoi, moneyToCents, Status, ValueKind } from '@gatehouse/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { badInput, conflict, notFound } from '../../common/domain-error.js';
import { MeasureState } from '@gatehouse/shared';
import { pageSize } from '../../common/cursor.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor, type Tx } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { money, month, optionalText, requiredText, validDate } from '../../common/validate.js';
import { type Actor, authorize, canRead, requireScope, rolesOnPathOf } from '../access/index.js';
import { forbidden } from '../../common/domain-error.js';
import { MeasurePackage } from '../hierarchy/index.js';
import { User } from '../users/index.js';
import { Measure } from './measure.entity.js';
import { listMeasures, type MeasurePage } from './measure-list.query.js';
import { MeasureTransitions, type MeasureChange, type MeasureFields } from './measure-transitions.js';
import {
  MeasureSortField,
  SortDirection,
  type CreateMeasureInput,
  type MeasureFilter,
  type MeasureSort,
  type MeasureValueInput,
  type MilestoneInput,
  type UpdateMeasureInput,
  type UpdateMilestoneInput,
} from './measures.inputs.js';
import { Milestone } from './milestone.entity.js';

export const MAX_VALUES_PER_CALL = 1000;

type MilestoneAudit = NonNullable<MeasureChange['audit']>;

/** The fields `updateMeasure` edits. */
type MeasureChanges = Pick<
  MeasureFields,
  | 'title'
  | 'description'
  | 'businessCase'
  | 'lever'
  | 'sponsorId'
  | 'controllerId'
  | 'ownerId'
  | 'roughPotential'
  | 'nextGateDueOn'
  | 'implementationStatusOverride'
  | 'implementationStatusOverrideReason'
  | 'potentialStatusOverride'
  | 'potentialStatusOverrideReason'
>;

export class MeasuresService {
  private readonly transitions: MeasureTransitions;

  constructor(
    private readonly dataSource: DataSource,
    bus: EventBus,
  ) {
    this.transitions = new MeasureTransitions(bus);
  }

  async list(
    actor: Actor,
    filter: MeasureFilter = {},
    sort: MeasureSort | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<MeasurePage> {
    if (filter.doi != null && !isDoi(filter.doi)) throw badInput('doi must be 1 to 5', { field: 'doi' });
    if (filter.ownerId != null) assertId(filter.ownerId, 'ownerId');
    if (filter.search != null && filter.search.length > 200) throw badInput('search must be at most 200 characters', { field: 'search' });
    const scope = filter.scopeId ? await requireScope(this.dataSource.manager, filter.scopeId, actor.organisation.id) : null;
    return listMeasures(this.dataSource, actor, {
      filter,
      scope,
      sort: sort ?? { field: MeasureSortField.CODE, direction: SortDirection.ASC },
      first: pageSize(first),
      after,
    });
  }

  /** A measure the actor may read, null when there is none; `load` batches a page's lookups (the request's loader). */
  async get(actor: Actor, id: string, load: (id: string) => Promise<Measure | null> = (i) => this.dataSource.getRepository(Measure).findOneBy({ id: i })): Promise<Measure | null> {
    const measure = await load(assertId(id, 'id'));
    if (!measure || measure.organisationId !== actor.organisation.id) return null;
    if (!this.mayRead(actor, measure)) throw forbidden('This measure is outside your roles');
    return measure;
  }

  /** Whether the caller may read the measure: a role on its scope, or a part in it (owner, sponsor, controller). */
  mayRead(actor: Actor, measure: Measure): boolean {
    return measure.organisationId === actor.organisation.id && canRead(actor, measure.path, [measure.ownerId, measure.sponsorId, measure.controllerId]);
  }

  async create(actor: Actor, input: CreateMeasureInput): Promise<Measure> {
    return inTransaction(this.dataSource, txActor(actor), (tx) => this.createIn(tx, actor, input));
  }

  /** Creates a measure inside the caller's transaction (used when something else must happen atomically with it). */
  async createIn(tx: Tx, actor: Actor, input: CreateMeasureInput): Promise<Measure> {
    const title = requiredText(input.title, 'title', 200);
    const description = optionalText(input.description, 'description', 10_000) ?? '';
    const businessCase = optionalText(input.businessCase, 'businessCase', 10_000) ?? '';
    const roughPotential = input.roughPotential == null ? null : money(input.roughPotential, 'roughPotential');
    const { manager } = tx;
    // The next code first: this locks the organisation's row, so a move under way (which holds it, see
    // hierarchy.service.ts lockStructure) commits before the package's path is read and copied into the measure.
    // Read before the lock, a concurrent move's old path would be inserted after its rewrite.
    // UPDATE answers [rows, rowCount] through TypeORM.
    const [[{ measure_seq: seq }]]: [{ measure_seq: number }[], number] = await manager.query(
      `UPDATE organisation SET measure_seq = measure_seq + 1 WHERE id = $1 RETURNING measure_seq`,
      [actor.organisation.id],
    );
    const pkg = await manager.getRepository(MeasurePackage).findOneBy({ id: assertId(input.packageId, 'packageId') });
    if (!pkg || pkg.organisationId !== actor.organisation.id) throw notFound('Measure package');
    const target = { path: pkg.path };
    authorize(actor, 'measure.create', target);
    const ownerId = await this.requireUser(manager, actor, input.ownerId, 'ownerId');
    if (ownerId !== actor.userId) authorize(actor, 'measure.assignOwner', target);
    const sponsorId = input.sponsorId ? await this.requireUser(manager, actor, input.sponsorId, 'sponsorId') : null;
    const controllerId = input.controllerId ? await this.requireUser(manager, actor, input.controllerId, 'controllerId') : null;
    await assertPeopleApart(manager, pkg.path, ownerId, sponsorId, controllerId);
    const repo = manager.getRepository(Measure);
    const measure = repo.create({
      organisationId: actor.organisation.id,
      packageId: pkg.id,
      path: pkg.path,
      seq,
      code: measureCode(seq),
      title,
      description,
      businessCase,
      lever: input.lever,
      ownerId,
      sponsorId,
      controllerId,
      roughPotential,
      annualPotential: roughPotential ?? '0',
      updatedBy: actor.userId,
    });
    await repo.insert(measure);
    return this.transitions.created(tx, measure.id);
  }

  async update(actor: Actor, id: string, version: number, input: UpdateMeasureInput): Promise<Measure> {
    return inTransaction(this.dataSource, txActor(actor), (tx) => this.updateIn(tx, actor, id, version, input));
  }

  /** `update` inside the caller's transaction (the measure import writes a batch of rows in one). */
  async updateIn(tx: Tx, actor: Actor, id: string, version: number, input: UpdateMeasureInput): Promise<Measure> {
    {
      const measure = await this.transitions.lock(tx, id);
      authorize(actor, 'measure.update', { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      const changes = await this.validateChanges(tx.manager, actor, measure, input);
      const before = Object.fromEntries(Object.keys(changes).map((field) => [field, (measure as unknown as Record<string, unknown>)[field]]));
      // A status set by hand is kept with its written reason: that reason is the entry's reason too.
      const reason = [changes.implementationStatusOverrideReason, changes.potentialStatusOverrideReason].filter((r) => typeof r === 'string' && r).join(' · ') || null;
      return this.transitions.apply(tx, measure, {
        set: changes,
        expectedVersion: version,
        history: 'VALUE_CHANGED',
        audit: { action: 'measure.updated', before, after: changes, reason },
        event: 'UPDATED',
      });
    }
  }

  async setValues(actor: Actor, measureId: string, version: number, values: MeasureValueInput[]): Promise<Measure> {
    return inTransaction(this.dataSource, txActor(actor), (tx) => this.setValuesIn(tx, actor, measureId, version, values));
  }

  /** `setValues` inside the caller's transaction. */
  async setValuesIn(tx: Tx, actor: Actor, measureId: string, version: number, values: MeasureValueInput[]): Promise<Measure> {
    if (values.length === 0) throw badInput('values must not be empty', { field: 'values' });
    if (values.length > MAX_VALUES_PER_CALL) throw badInput(`at most ${MAX_VALUES_PER_CALL} values per call`, { field: 'values' });
    const seen = new Set<string>();
    const rows = values.map((v, i) => {
      const m = month(v.month, `values[${i}].month`);
      const amount = money(v.amount, `values[${i}].amount`);
      if (v.kind !== ValueKind.ONE_OFF_COST && moneyToCents(amount) < 0n && v.kind === ValueKind.PLAN) {
        throw badInput(`values[${i}].amount: a plan value cannot be negative`, { field: `values[${i}].amount` });
      }
      const key = `${v.kind}:${m}`;
      if (seen.has(key)) throw badInput(`values[${i}]: ${v.kind} for ${m} is given twice`, { field: `values[${i}]` });
      seen.add(key);
      return { month: `${m}-01`, kind: v.kind, amount };
    });
    {
      const { manager } = tx;
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'measure.setValues', { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      const previous: { kind: string; month: string; amount: string }[] = await manager.query(
        `SELECT v.kind, to_char(v.month, 'YYYY-MM') AS month, v.amount FROM measure_value v
           JOIN unnest(CAST($2 AS text[]), CAST($3 AS date[])) AS k(kind, month) ON k.kind = v.kind AND k.month = v.month
          WHERE v.measure_id = $1`,
        [measure.id, rows.map((r) => r.kind), rows.map((r) => r.month)],
      );
      await manager.query(
        `INSERT INTO measure_value (measure_id, kind, month, amount, updated_by)
         SELECT $1, v.kind, v.month, v.amount, $2
           FROM unnest(CAST($3 AS text[]), CAST($4 AS date[]), CAST($5 AS numeric[])) AS v(kind, month, amount)
         ON CONFLICT (measure_id, kind, month) DO UPDATE
           SET amount = EXCLUDED.amount, updated_by = EXCLUDED.updated_by, updated_at = now()
         WHERE measure_value.amount IS DISTINCT FROM EXCLUDED.amount`,
        [measure.id, actor.userId, rows.map((r) => r.kind), rows.map((r) => r.month), rows.map((r) => r.amount)],
      );
      const before = Object.fromEntries(previous.map((p) => [`${p.kind}:${p.month}`, p.amount]));
      const changed = rows.filter((r) => before[`${r.kind}:${r.month.slice(0, 7)}`] !== r.amount);
      const planChanged = changed.some((r) => r.kind === ValueKind.PLAN);
      // A controller validated the plan as it was; a new plan needs a new validation.
      const invalidate = planChanged && measure.potentialValidatedAt !== null;
      // A stale version is refused here, and the values written above roll back with it.
      return this.transitions.apply(tx, measure, {
        set: invalidate ? { potentialValidatedAt: null, potentialValidatedBy: null, potentialValidationNote: null } : {},
        expectedVersion: version,
        below: ['values'],
        history: 'VALUE_CHANGED',
        audit: {
          action: 'measure.values.set',
          before,
          after: { ...Object.fromEntries(changed.map((r) => [`${r.kind}:${r.month.slice(0, 7)}`, r.amount])), ...(invalidate ? { potentialValidation: 'cleared: plan changed' } : {}) },
        },
        event: 'VALUES_CHANGED',
      });
    }
  }

  /**
   * Milestones of one measure added and changed at once, inside the caller's transaction (the measure import):
   * the same checks as `addMilestone` and `updateMilestone`, one audit entry each, one version step for all.
   */
  async importMilestonesIn(
    tx: Tx,
    actor: Actor,
    measureId: string,
    adds: readonly { title: string; dueOn: Date; doneOn: Date | null }[],
    updates: readonly { id: string; title: string; dueOn: Date; doneOn: Date | null }[],
  ): Promise<Measure> {
    const measure = await this.transitions.lock(tx, measureId);
    const target = { path: measure.path, measureOwnerId: measure.ownerId };
    if (adds.length) authorize(actor, 'milestone.add', target);
    if (updates.length) authorize(actor, 'milestone.update', target);
    assertUnlocked(measure);
    const repo = tx.manager.getRepository(Milestone);
    const existing = updates.length ? await repo.find({ where: { id: In(updates.map((u) => u.id)), measureId: measure.id }, lock: { mode: 'pessimistic_write' } }) : [];
    const byId = new Map(existing.map((m) => [m.id, m]));
    for (const add of adds) {
      const title = requiredText(add.title, 'title', 200);
      const dueOn = validDate(add.dueOn, 'dueOn');
      const doneOn = add.doneOn ? doneDate(add.doneOn) : null;
      const milestone = repo.create({ measureId: measure.id, title, dueOn, doneOn });
      await repo.insert(milestone);
      tx.audit({ action: 'milestone.added', entityType: 'Milestone', entityId: milestone.id, measureId: measure.id, after: { title, dueOn, doneOn } });
    }
    for (const update of updates) {
      const milestone = byId.get(update.id);
      if (!milestone) throw notFound('Milestone');
      const wanted = { title: requiredText(update.title, 'title', 200), dueOn: validDate(update.dueOn, 'dueOn'), doneOn: update.doneOn ? doneDate(update.doneOn) : null };
      const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);
      const fields = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((k) => time(wanted[k]) !== time(milestone[k]));
      if (fields.length === 0) continue;
      await repo.update({ id: milestone.id }, Object.fromEntries(fields.map((k) => [k, wanted[k]])));
      tx.audit({
        action: 'milestone.updated',
        entityType: 'Milestone',
        entityId: milestone.id,
        measureId: measure.id,
        before: Object.fromEntries(fields.map((k) => [k, milestone[k]])),
        after: Object.fromEntries(fields.map((k) => [k, wanted[k]])),
      });
    }
    return this.transitions.apply(tx, measure, { below: ['dueDates'], event: 'MILESTONES_CHANGED' });
  }

  async addMilestone(actor: Actor, measureId: string, input: MilestoneInput): Promise<Milestone> {
    const title = requiredText(input.title, 'title', 200);
    const dueOn = validDate(input.dueOn, 'dueOn');
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      authorize(actor, 'milestone.add', { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      const repo = tx.manager.getRepository(Milestone);
      const milestone = repo.create({ measureId: measure.id, title, dueOn, doneOn: null });
      await repo.insert(milestone);
      await this.milestonesChanged(tx, measure, { action: 'milestone.added', entityType: 'Milestone', entityId: milestone.id, after: { title, dueOn } });
      return repo.findOneByOrFail({ id: milestone.id });
    });
  }

  async completeMilestone(actor: Actor, id: string, doneOn?: Date | null): Promise<Milestone> {
    const done = doneDate(doneOn);
    return this.changeMilestone(actor, id, 'milestone.complete', async (tx, milestone) => {
      if (milestone.doneOn) throw conflict('This milestone is done already');
      await tx.manager.getRepository(Milestone).update({ id: milestone.id }, { doneOn: done });
      return { action: 'milestone.completed', entityType: 'Milestone', entityId: milestone.id, before: { doneOn: null }, after: { doneOn: done } };
    });
  }

  /** A milestone's title and due date corrected, or its done date set, moved or taken back. */
  async updateMilestone(actor: Actor, id: string, input: UpdateMilestoneInput): Promise<Milestone> {
    const wanted: Partial<Pick<Milestone, 'title' | 'dueOn' | 'doneOn'>> = {};
    if (input.title != null) wanted.title = requiredText(input.title, 'title', 200);
    if (input.dueOn != null) wanted.dueOn = validDate(input.dueOn, 'dueOn');
    if (input.done === false) {
      if (input.doneOn != null) throw badInput('doneOn is given for a milestone marked not done', { field: 'doneOn' });
      wanted.doneOn = null;
    } else if (input.done === true || input.doneOn != null) wanted.doneOn = doneDate(input.doneOn);
    return this.changeMilestone(actor, id, 'milestone.update', async (tx, milestone) => {
      const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);
      const fields = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((k) => time(wanted[k]) !== time(milestone[k]));
      if (fields.length === 0) return null;
      await tx.manager.getRepository(Milestone).update({ id: milestone.id }, Object.fromEntries(fields.map((k) => [k, wanted[k]])));
      // Only the done date moved: say so, as marking it done (or open again) from the list would.
      const action = fields.length === 1 && fields[0] === 'doneOn' ? (wanted.doneOn ? (milestone.doneOn ? 'milestone.updated' : 'milestone.completed') : 'milestone.reopened') : 'milestone.updated';
      return {
        action,
        entityType: 'Milestone',
        entityId: milestone.id,
        before: Object.fromEntries(fields.map((k) => [k, milestone[k]])),
        after: Object.fromEntries(fields.map((k) => [k, wanted[k]])),
      };
    });
  }

  /** Removes a milestone planned by mistake; the audit trail keeps what it was. */
  async deleteMilestone(actor: Actor, id: string): Promise<Measure> {
    let measureId = '';
    await this.changeMilestone(actor, id, 'milestone.delete', async (tx, milestone, measure) => {
      measureId = measure.id;
      await tx.manager.getRepository(Milestone).delete({ id: milestone.id });
      return {
        action: 'milestone.deleted',
        entityType: 'Milestone',
        entityId: milestone.id,
        before: { title: milestone.title, dueOn: milestone.dueOn, doneOn: milestone.doneOn },
      };
    });
    return this.dataSource.getRepository(Measure).findOneByOrFail({ id: measureId });
  }

  /**
   * One change to one milestone, in one transaction: the milestone locked, its measure readable, editable by the
   * caller and not locked by a sign-off; then the measure's version and next due date follow. `change` answers
   * the audit entry of what it did, or null when it changed nothing.
   */
  private async changeMilestone(
    actor: Actor,
    id: string,
    permission: 'milestone.complete' | 'milestone.update' | 'milestone.delete',
    change: (tx: Tx, milestone: Milestone, measure: Measure) => Promise<MilestoneAudit | null>,
  ): Promise<Milestone> {
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const repo = tx.manager.getRepository(Milestone);
      // The measure first, then the row below it, as every change locks (measure-transitions.ts).
      const found = await repo.findOneBy({ id: assertId(id, 'id') });
      if (!found) throw notFound('Milestone');
      const measure = await this.transitions.lock(tx, found.measureId);
      const milestone = await repo.findOne({ where: { id: found.id }, lock: { mode: 'pessimistic_write' } });
      if (!milestone) throw notFound('Milestone');
      authorize(actor, permission, { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      const audit = await change(tx, milestone, measure);
      if (audit) await this.milestonesChanged(tx, measure, audit);
      return (await repo.findOneBy({ id: milestone.id })) ?? milestone;
    });
  }

  private async requireUser(manager: EntityManager, actor: Actor, id: string, field: string): Promise<string> {
    const user = await manager.getRepository(User).findOneBy({ id: assertId(id, field), organisationId: actor.organisation.id });
    if (!user) throw notFound(`User (${field})`);
    return user.id;
  }

  /** A change below the measure (milestones) also moves its version, so open edit forms learn of it. */
  private async milestonesChanged(tx: Tx, measure: Measure, audit: MilestoneAudit): Promise<void> {
    await this.transitions.apply(tx, measure, { below: ['dueDates'], audit, event: 'MILESTONES_CHANGED' });
  }

  private async validateChanges(
    manager: EntityManager,
    actor: Actor,
    measure: Measure,
    input: UpdateMeasureInput,
  ): Promise<MeasureChanges> {
    const changes: MeasureChanges = {};
    if (input.title != null) changes.title = requiredText(input.title, 'title', 200);
    if (input.description != null) changes.description = optionalText(input.description, 'description', 10_000) ?? '';
    if (input.businessCase != null) changes.businessCase = optionalText(input.businessCase, 'businessCase', 10_000) ?? '';
    if (input.lever != null) changes.lever = input.lever;
    if (input.sponsorId !== undefined) {
      changes.sponsorId = input.sponsorId === null ? null : await this.requireUser(manager, actor, input.sponsorId, 'sponsorId');
    }
    if (input.controllerId !== undefined) {
      changes.controllerId =
        input.controllerId === null ? null : await this.requireUser(manager, actor, input.controllerId, 'controllerId');
    }
    if (input.ownerId != null && input.ownerId !== measure.ownerId) {
      authorize(actor, 'measure.assignOwner', { path: measure.path });
      changes.ownerId = await this.requireUser(manager, actor, input.ownerId, 'ownerId');
    }
    if (input.roughPotential !== undefined) {
      changes.roughPotential = input.roughPotential === null ? null : money(input.roughPotential, 'roughPotential');
    }
    if (input.nextGateDueOn !== undefined) {
      changes.nextGateDueOn = input.nextGateDueOn === null ? null : validDate(input.nextGateDueOn, 'nextGateDueOn');
    }
    if ('ownerId' in changes || 'sponsorId' in changes || 'controllerId' in changes) {
      const pick = (field: 'ownerId' | 'sponsorId' | 'controllerId') => (field in changes ? (changes[field] as string | null) : measure[field]);
      await assertPeopleApart(manager, measure.path, pick('ownerId') as string, pick('sponsorId'), pick('controllerId'));
    }
    Object.assign(changes, overrideChanges('implementationStatus', input.implementationStatusOverride, input.implementationStatusOverrideReason));
    Object.assign(changes, overrideChanges('potentialStatus', input.potentialStatusOverride, input.potentialStatusOverrideReason));
    if (Object.keys(changes).length === 0) throw badInput('Nothing to change', { field: 'input' });
    return changes;
  }
}

/**
 * Segregation of duties on a measure's people (shared `checkMeasurePeople`): BAD_USER_INPUT naming the field when
 * owner, sponsor and controller are not three different people, or the controller holds no CONTROLLER role on the
 * measure's scope, or the sponsor no role there.
 */
async function assertPeopleApart(manager: EntityManager, path: readonly string[], ownerId: string, sponsorId: string | null, controllerId: string | null): Promise<void> {
  const roles = await rolesOnPathOf(manager, [sponsorId, controllerId].filter((id): id is string => id !== null), path);
  const verdict = checkMeasurePeople({
    ownerId,
    sponsorId,
    controllerId,
    sponsorRoles: (sponsorId && roles.get(sponsorId)) || new Set(),
    controllerRoles: (controllerId && roles.get(controllerId)) || new Set(),
  });
  if (!verdict.allowed) throw badInput(verdict.reason, { field: verdict.field });
}

/** An override needs a written reason; clearing it (null) drops both. */
function overrideChanges(
  name: 'implementationStatus' | 'potentialStatus',
  status: Status | null | undefined,
  reason: string | null | undefined,
): MeasureChanges {
  if (status === undefined) {
    if (reason != null) throw badInput(`${name}OverrideReason needs ${name}Override`, { field: `${name}OverrideReason` });
    return {};
  }
  if (status === null) return { [`${name}Override`]: null, [`${name}OverrideReason`]: null };
  const text = requiredText(reason ?? '', `${name}OverrideReason`, 2000);
  return { [`${name}Override`]: status, [`${name}OverrideReason`]: text };
}

/** Signed-off values are locked: a closed measure changes only after a controller reopens it. */
export function assertUnlocked(measure: Measure): void {
  if (measure.state === MeasureState.CLOSED) {
    throw conflict(`${measure.code} is closed and its signed-off values are locked; a controller must reopen it first`);
  }
}

/** The day a milestone was done: the one given (not in the future), else now. */
function doneDate(doneOn: Date | null | undefined): Date {
  const done = doneOn ? validDate(doneOn, 'doneOn') : new Date();
  if (done.getTime() > Date.now() + 86_400_000) throw badInput('doneOn cannot lie in the future', { field: 'doneOn' });
  return done;
}

export function measureCode(seq: number): string {
  return `M-${String(seq).padStart(4, '0')}`;
}
