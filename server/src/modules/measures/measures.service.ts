import { checkMeasurePeople, isDoi, moneyToCents, Status, ValueKind } from '@gatehouse/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, notFound } from '../../common/domain-error.js';
import { MeasureState } from '@gatehouse/shared';
import { pageSize } from '../../common/cursor.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor, type Tx } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { measureSnapshot, publishMeasureChanged, recordHistory } from './measure-history.js';
import { money, month, optionalText, requiredText, validDate } from '../../common/validate.js';
import type { Actor } from '../access/actor.js';
import { authorize, canRead } from '../access/authorize.js';
import { forbidden } from '../../common/domain-error.js';
import { requireScope } from '../access/scope.service.js';
import { rolesOnPathOf } from '../access/roles-on-path.js';
import { MeasurePackage } from '../hierarchy/measure-package.entity.js';
import { User } from '../users/user.entity.js';
import { Measure } from './measure.entity.js';
import { listMeasures, type MeasurePage } from './measure-list.query.js';
import { RECOMPUTE_NEXT_DUE_SQL, RECOMPUTE_TOTALS_SQL } from './measure-status.sql.js';
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

/** Column of each updatable field, for the conditional UPDATE. */
const UPDATABLE_COLUMNS = {
  title: 'title',
  description: 'description',
  businessCase: 'business_case',
  lever: 'lever',
  sponsorId: 'sponsor_id',
  controllerId: 'controller_id',
  ownerId: 'owner_id',
  roughPotential: 'rough_potential',
  nextGateDueOn: 'next_gate_due_on',
  implementationStatusOverride: 'implementation_status_override',
  implementationStatusOverrideReason: 'implementation_status_override_reason',
  potentialStatusOverride: 'potential_status_override',
  potentialStatusOverrideReason: 'potential_status_override_reason',
} as const;

type MeasureChanges = Partial<Record<keyof typeof UPDATABLE_COLUMNS, string | Date | null>>;

export class MeasuresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

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
    const pkg = await manager.getRepository(MeasurePackage).findOneBy({ id: assertId(input.packageId, 'packageId') });
    if (!pkg || pkg.organisationId !== actor.organisation.id) throw notFound('Measure package');
    const target = { path: pkg.path };
    authorize(actor, 'measure.create', target);
    const ownerId = await this.requireUser(manager, actor, input.ownerId, 'ownerId');
    if (ownerId !== actor.userId) authorize(actor, 'measure.assignOwner', target);
    const sponsorId = input.sponsorId ? await this.requireUser(manager, actor, input.sponsorId, 'sponsorId') : null;
    const controllerId = input.controllerId ? await this.requireUser(manager, actor, input.controllerId, 'controllerId') : null;
    await assertPeopleApart(manager, pkg.path, ownerId, sponsorId, controllerId);
    // UPDATE answers [rows, rowCount] through TypeORM.
    const [[{ measure_seq: seq }]]: [{ measure_seq: number }[], number] = await manager.query(
      `UPDATE organisation SET measure_seq = measure_seq + 1 WHERE id = $1 RETURNING measure_seq`,
      [actor.organisation.id],
    );
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
    await recordHistory(manager, measure.id, 'CREATED');
    const created = await repo.findOneByOrFail({ id: measure.id });
    tx.audit({ action: 'measure.created', entityType: 'Measure', entityId: created.id, measureId: created.id, after: measureSnapshot(created) });
    publishMeasureChanged(tx, this.bus, created, 'CREATED');
    return created;
  }

  async update(actor: Actor, id: string, version: number, input: UpdateMeasureInput): Promise<Measure> {
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const measure = await this.requireMeasure(manager, actor, id);
      authorize(actor, 'measure.update', { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      const changes = await this.validateChanges(manager, actor, measure, input);
      const columns = Object.entries(changes) as [keyof typeof UPDATABLE_COLUMNS, string | Date | null][];
      const params: unknown[] = [measure.id, version, actor.userId];
      const sets = columns.map(([field, value]) => {
        params.push(value);
        return `${UPDATABLE_COLUMNS[field]} = $${params.length}`;
      });
      await this.bumpVersion(manager, measure.id, version, actor.userId, sets, params);
      if ('nextGateDueOn' in changes) await manager.query(RECOMPUTE_NEXT_DUE_SQL, [measure.id]);
      if ('roughPotential' in changes) {
        await manager.query(RECOMPUTE_TOTALS_SQL, [measure.id]);
        await recordHistory(manager, measure.id, 'VALUE_CHANGED');
      }
      const updated = await manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
      const before = Object.fromEntries(columns.map(([field]) => [field, (measure as unknown as Record<string, unknown>)[field]]));
      // A status set by hand is kept with its written reason: that reason is the entry's reason too.
      const reason = [changes.implementationStatusOverrideReason, changes.potentialStatusOverrideReason].filter((r) => typeof r === 'string' && r).join(' · ') || null;
      tx.audit({ action: 'measure.updated', entityType: 'Measure', entityId: measure.id, measureId: measure.id, before, after: changes, reason });
      publishMeasureChanged(tx, this.bus, updated, 'UPDATED');
      return updated;
    });
  }

  async setValues(actor: Actor, measureId: string, version: number, values: MeasureValueInput[]): Promise<Measure> {
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
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const measure = await this.requireMeasure(manager, actor, measureId);
      authorize(actor, 'measure.setValues', { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      await this.bumpVersion(manager, measure.id, version, actor.userId);
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
      await manager.query(RECOMPUTE_TOTALS_SQL, [measure.id]);
      const before = Object.fromEntries(previous.map((p) => [`${p.kind}:${p.month}`, p.amount]));
      const changed = rows.filter((r) => before[`${r.kind}:${r.month.slice(0, 7)}`] !== r.amount);
      const planChanged = changed.some((r) => r.kind === ValueKind.PLAN);
      // A controller validated the plan as it was; a new plan needs a new validation.
      const invalidate = planChanged && measure.potentialValidatedAt !== null;
      if (invalidate) {
        await manager.query(`UPDATE measure SET potential_validated_at = NULL, potential_validated_by = NULL, potential_validation_note = NULL WHERE id = $1`, [measure.id]);
      }
      const updated = await manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
      if (updated.annualPotential !== measure.annualPotential) await recordHistory(manager, measure.id, 'VALUE_CHANGED');
      tx.audit({
        action: 'measure.values.set',
        entityType: 'Measure',
        entityId: measure.id,
        measureId: measure.id,
        before,
        after: { ...Object.fromEntries(changed.map((r) => [`${r.kind}:${r.month.slice(0, 7)}`, r.amount])), ...(invalidate ? { potentialValidation: 'cleared: plan changed' } : {}) },
      });
      publishMeasureChanged(tx, this.bus, updated, 'VALUES_CHANGED');
      return updated;
    });
  }

  async addMilestone(actor: Actor, measureId: string, input: MilestoneInput): Promise<Milestone> {
    const title = requiredText(input.title, 'title', 200);
    const dueOn = validDate(input.dueOn, 'dueOn');
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const measure = await this.requireMeasure(manager, actor, measureId);
      authorize(actor, 'milestone.add', { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      const repo = manager.getRepository(Milestone);
      const milestone = repo.create({ measureId: measure.id, title, dueOn, doneOn: null });
      await repo.insert(milestone);
      await this.touch(tx, measure);
      tx.audit({ action: 'milestone.added', entityType: 'Milestone', entityId: milestone.id, measureId: measure.id, after: { title, dueOn } });
      return repo.findOneByOrFail({ id: milestone.id });
    });
  }

  async completeMilestone(actor: Actor, id: string, doneOn?: Date | null): Promise<Milestone> {
    const done = doneDate(doneOn);
    return this.changeMilestone(actor, id, 'milestone.complete', async (tx, milestone, measure) => {
      if (milestone.doneOn) throw conflict('This milestone is done already');
      await tx.manager.getRepository(Milestone).update({ id: milestone.id }, { doneOn: done });
      tx.audit({ action: 'milestone.completed', entityType: 'Milestone', entityId: milestone.id, measureId: measure.id, before: { doneOn: null }, after: { doneOn: done } });
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
    return this.changeMilestone(actor, id, 'milestone.update', async (tx, milestone, measure) => {
      const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);
      const fields = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((k) => time(wanted[k]) !== time(milestone[k]));
      if (fields.length === 0) return false;
      await tx.manager.getRepository(Milestone).update({ id: milestone.id }, Object.fromEntries(fields.map((k) => [k, wanted[k]])));
      // Only the done date moved: say so, as marking it done (or open again) from the list would.
      const action = fields.length === 1 && fields[0] === 'doneOn' ? (wanted.doneOn ? (milestone.doneOn ? 'milestone.updated' : 'milestone.completed') : 'milestone.reopened') : 'milestone.updated';
      tx.audit({
        action,
        entityType: 'Milestone',
        entityId: milestone.id,
        measureId: measure.id,
        before: Object.fromEntries(fields.map((k) => [k, milestone[k]])),
        after: Object.fromEntries(fields.map((k) => [k, wanted[k]])),
      });
    });
  }

  /** Removes a milestone planned by mistake; the audit trail keeps what it was. */
  async deleteMilestone(actor: Actor, id: string): Promise<Measure> {
    let measureId = '';
    await this.changeMilestone(actor, id, 'milestone.delete', async (tx, milestone, measure) => {
      measureId = measure.id;
      await tx.manager.getRepository(Milestone).delete({ id: milestone.id });
      tx.audit({
        action: 'milestone.deleted',
        entityType: 'Milestone',
        entityId: milestone.id,
        measureId: measure.id,
        before: { title: milestone.title, dueOn: milestone.dueOn, doneOn: milestone.doneOn },
      });
    });
    return this.dataSource.getRepository(Measure).findOneByOrFail({ id: measureId });
  }

  /**
   * One change to one milestone, in one transaction: the milestone locked, its measure readable, editable by the
   * caller and not locked by a sign-off; then the measure's version and next due date follow. `change` answers
   * false when it changed nothing.
   */
  private async changeMilestone(
    actor: Actor,
    id: string,
    permission: 'milestone.complete' | 'milestone.update' | 'milestone.delete',
    change: (tx: Tx, milestone: Milestone, measure: Measure) => Promise<boolean | void>,
  ): Promise<Milestone> {
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const repo = tx.manager.getRepository(Milestone);
      const milestone = await repo.findOne({ where: { id: assertId(id, 'id') }, lock: { mode: 'pessimistic_write' } });
      if (!milestone) throw notFound('Milestone');
      const measure = await this.requireMeasure(tx.manager, actor, milestone.measureId);
      authorize(actor, permission, { path: measure.path, measureOwnerId: measure.ownerId });
      assertUnlocked(measure);
      if ((await change(tx, milestone, measure)) !== false) await this.touch(tx, measure);
      return (await repo.findOneBy({ id: milestone.id })) ?? milestone;
    });
  }

  /** A measure the caller named: NOT_FOUND when it does not exist in their organisation. */
  private async requireMeasure(manager: EntityManager, actor: Actor, id: string): Promise<Measure> {
    const measure = await manager.getRepository(Measure).findOneBy({ id: assertId(id, 'measureId') });
    if (!measure || measure.organisationId !== actor.organisation.id) throw notFound('Measure');
    return measure;
  }

  private async requireUser(manager: EntityManager, actor: Actor, id: string, field: string): Promise<string> {
    const user = await manager.getRepository(User).findOneBy({ id: assertId(id, field), organisationId: actor.organisation.id });
    if (!user) throw notFound(`User (${field})`);
    return user.id;
  }

  /**
   * Optimistic concurrency: the UPDATE only matches the version the caller read, so of two writers on one version
   * exactly one wins; the other sees zero rows and gets CONFLICT, and its transaction rolls back whole.
   */
  private async bumpVersion(
    manager: EntityManager,
    measureId: string,
    version: number,
    actorId: string,
    sets: string[] = [],
    params: unknown[] = [measureId, version, actorId],
  ): Promise<void> {
    const [, affected]: [unknown[], number] = await manager.query(
      `UPDATE measure SET ${[...sets, 'version = version + 1', 'updated_at = now()', 'updated_by = $3'].join(', ')}
        WHERE id = $1 AND version = $2`,
      params,
    );
    if (affected === 0) {
      const [current] = await manager.query(`SELECT version FROM measure WHERE id = $1`, [measureId]);
      throw conflict(`The measure was changed by someone else (you read version ${version}, it is now ${current?.version})`, {
        currentVersion: current?.version,
      });
    }
  }

  /** A change below the measure (milestones) also moves its version, so open edit forms learn of it. */
  private async touch(tx: Tx, measure: Measure): Promise<void> {
    await tx.manager.query(`UPDATE measure SET version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`, [
      measure.id,
      tx.actor.userId,
    ]);
    await tx.manager.query(RECOMPUTE_NEXT_DUE_SQL, [measure.id]);
    publishMeasureChanged(tx, this.bus, measure, 'MILESTONES_CHANGED');
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
