import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, forbidden, isUniqueViolation, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { optionalText, requiredText } from '../../common/validate.js';
import { isAllowed } from '@gatehouse/shared';
import type { EventBus } from '../../events/event-bus.js';
import { navigableScopeIds, type Actor, authorize, canRead, requireScope } from '../access/index.js';
import { User } from '../users/index.js';
import type {
  CreateMeasurePackageInput,
  CreateOrgUnitInput,
  CreateProgramInput,
  OrganisationSettingsInput,
  UpdateMeasurePackageInput,
  UpdateOrgUnitInput,
  UpdateProgramInput,
} from './hierarchy.inputs.js';
import { rewritePaths } from './hierarchy-moves.js';
import { MeasurePackage } from './measure-package.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrgUnit } from './org-unit.entity.js';
import { Program } from './program.entity.js';

/**
 * The organisation's structure. A node is listed when the caller may read it (a role on it or above) or when it
 * lies on the way down to a scope they hold a role on, so every user can navigate to their part of the tree.
 */
export interface AdminStructureView {
  organisationAdmin: boolean;
  orgUnits: OrgUnit[];
  programs: Program[];
  measurePackages: MeasurePackage[];
}

export class HierarchyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async organisation(actor: Actor): Promise<Organisation> {
    return this.dataSource.getRepository(Organisation).findOneByOrFail({ id: actor.organisation.id });
  }

  /** The organisation's settings as an actor carries them, read now. */
  async settingsOf(actor: Actor): Promise<Actor['organisation']> {
    const o = await this.dataSource.getRepository(Organisation).findOneByOrFail({ id: actor.organisation.id });
    return {
      id: o.id,
      name: o.name,
      currency: o.currency,
      potentialGreenPercent: o.potentialGreenPercent,
      potentialAmberPercent: o.potentialAmberPercent,
      doiWeights: o.doiWeights,
      recurringThreshold: o.recurringThreshold,
      recurringWindowDays: o.recurringWindowDays,
    };
  }

  /** Status thresholds, DoI probabilities and currency: admins only; the change is audited and open dashboards refresh. */
  async updateSettings(actor: Actor, input: OrganisationSettingsInput): Promise<Organisation> {
    authorize(actor, 'organisation.update', { path: [actor.organisation.id] });
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      const org = await manager.getRepository(Organisation).findOneOrFail({ where: { id: actor.organisation.id }, lock: { mode: 'pessimistic_write' } });
      const green = input.potentialGreenPercent ?? org.potentialGreenPercent;
      const amber = input.potentialAmberPercent ?? org.potentialAmberPercent;
      const weights = input.doiWeights ?? org.doiWeights;
      const currency = input.currency == null ? org.currency : input.currency.trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw badInput('currency is an ISO 4217 code of three letters', { field: 'currency' });
      if (!Number.isInteger(green) || !Number.isInteger(amber) || amber < 0 || green > 1000 || amber > green) {
        throw badInput('Thresholds are whole percentages with amber at or below green', { field: 'potentialAmberPercent' });
      }
      if (weights.length !== 5 || weights.some((w, i) => !Number.isInteger(w) || w < 0 || w > 100 || (i > 0 && w < weights[i - 1]))) {
        throw badInput('doiWeights are five whole percentages from 0 to 100, rising with DoI', { field: 'doiWeights' });
      }
      const before = { potentialGreenPercent: org.potentialGreenPercent, potentialAmberPercent: org.potentialAmberPercent, doiWeights: org.doiWeights, currency: org.currency };
      const after = { potentialGreenPercent: green, potentialAmberPercent: amber, doiWeights: weights, currency };
      await manager.update(Organisation, { id: org.id }, after);
      audit({ action: 'organisation.settingsUpdated', entityType: 'Organisation', entityId: org.id, before, after });
      // Open dashboards read their summaries again (portfolioSummaryChanged listens to this topic).
      afterCommit(() => this.announceStructure(actor));
      return manager.getRepository(Organisation).findOneByOrFail({ id: org.id });
    });
  }

  async orgUnits(actor: Actor, parentId?: string | null): Promise<OrgUnit[]> {
    const qb = this.dataSource
      .getRepository(OrgUnit)
      .createQueryBuilder('u')
      .where('u.organisation_id = :org AND u.archived_at IS NULL', { org: actor.organisation.id })
      .orderBy('lower(u.name)');
    if (parentId) qb.andWhere('u.parent_id = :parentId', { parentId: assertId(parentId, 'parentId') });
    else qb.andWhere('u.parent_id IS NULL');
    return (await qb.getMany()).filter((u) => this.visible(actor, u.path));
  }

  async programs(actor: Actor, orgUnitId?: string | null): Promise<Program[]> {
    const qb = this.dataSource
      .getRepository(Program)
      .createQueryBuilder('p')
      .where('p.organisation_id = :org', { org: actor.organisation.id })
      .orderBy('lower(p.name)');
    if (orgUnitId) qb.andWhere('p.org_unit_id = :orgUnitId', { orgUnitId: assertId(orgUnitId, 'orgUnitId') });
    return (await qb.getMany()).filter((p) => this.visible(actor, p.path));
  }

  async measurePackages(actor: Actor, programId?: string | null): Promise<MeasurePackage[]> {
    const qb = this.dataSource
      .getRepository(MeasurePackage)
      .createQueryBuilder('k')
      .where('k.organisation_id = :org', { org: actor.organisation.id })
      .orderBy('lower(k.name)');
    if (programId) qb.andWhere('k.program_id = :programId', { programId: assertId(programId, 'programId') });
    return (await qb.getMany()).filter((k) => canRead(actor, k.path));
  }

  async createOrgUnit(actor: Actor, input: CreateOrgUnitInput): Promise<OrgUnit> {
    const name = requiredText(input.name, 'name', 200);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      await waitForMoves(manager, actor.organisation.id);
      let parentPath = [actor.organisation.id];
      if (input.parentId) {
        const parent = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(input.parentId, 'parentId') });
        if (!parent || parent.organisationId !== actor.organisation.id) throw notFound('Parent org unit');
        if (parent.archivedAt) throw conflict('The parent org unit is archived');
        parentPath = parent.path;
      }
      authorize(actor, 'orgUnit.create', { path: parentPath });
      const id = randomUUID();
      const unit = manager.getRepository(OrgUnit).create({
        id,
        organisationId: actor.organisation.id,
        parentId: input.parentId ? parentPath[parentPath.length - 1] : null,
        name,
        path: [...parentPath, id],
      });
      await insertUnique(manager, OrgUnit, unit, `An org unit named "${name}" exists already here`);
      audit({ action: 'orgUnit.created', entityType: 'OrgUnit', entityId: id, after: { name, parentId: unit.parentId } });
      return manager.getRepository(OrgUnit).findOneByOrFail({ id });
    });
  }

  async createProgram(actor: Actor, input: CreateProgramInput): Promise<Program> {
    const name = requiredText(input.name, 'name', 200);
    const objective = optionalText(input.objective, 'objective', 4000) ?? null;
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      await waitForMoves(manager, actor.organisation.id);
      const unit = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(input.orgUnitId, 'orgUnitId') });
      if (!unit || unit.organisationId !== actor.organisation.id) throw notFound('Org unit');
      authorize(actor, 'program.create', { path: unit.path });
      if (unit.archivedAt) throw conflict('The org unit is archived');
      const id = randomUUID();
      const program = manager.getRepository(Program).create({
        id,
        organisationId: actor.organisation.id,
        orgUnitId: unit.id,
        name,
        objective,
        path: [...unit.path, id],
      });
      await insertUnique(manager, Program, program, `A program named "${name}" exists already in this org unit`);
      audit({ action: 'program.created', entityType: 'Program', entityId: id, after: { name, orgUnitId: unit.id, objective } });
      return manager.getRepository(Program).findOneByOrFail({ id });
    });
  }

  async createMeasurePackage(actor: Actor, input: CreateMeasurePackageInput): Promise<MeasurePackage> {
    const name = requiredText(input.name, 'name', 200);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      await waitForMoves(manager, actor.organisation.id);
      const program = await manager.getRepository(Program).findOneBy({ id: assertId(input.programId, 'programId') });
      if (!program || program.organisationId !== actor.organisation.id) throw notFound('Program');
      authorize(actor, 'measurePackage.create', { path: program.path });
      let ownerId: string | null = null;
      if (input.ownerId) {
        const owner = await manager.getRepository(User).findOneBy({ id: assertId(input.ownerId, 'ownerId'), organisationId: actor.organisation.id });
        if (!owner) throw notFound('Owner');
        ownerId = owner.id;
      }
      const id = randomUUID();
      const pkg = manager.getRepository(MeasurePackage).create({
        id,
        organisationId: actor.organisation.id,
        programId: program.id,
        name,
        ownerId,
        path: [...program.path, id],
      });
      await insertUnique(manager, MeasurePackage, pkg, `A package named "${name}" exists already in this program`);
      audit({ action: 'measurePackage.created', entityType: 'MeasurePackage', entityId: id, after: { name, programId: program.id, ownerId } });
      return manager.getRepository(MeasurePackage).findOneByOrFail({ id });
    });
  }

  /**
   * The admin area's tree: every org unit, program and package the caller administers (ADMIN on it or above),
   * in three statements whatever its size. Nodes above an admin's scope are not listed.
   */
  async adminStructure(actor: Actor): Promise<AdminStructureView> {
    const org = actor.organisation.id;
    const [units, programs, packages] = await Promise.all([
      this.dataSource.getRepository(OrgUnit).createQueryBuilder('u').where('u.organisation_id = :org AND u.archived_at IS NULL', { org }).orderBy('lower(u.name)').getMany(),
      this.dataSource.getRepository(Program).createQueryBuilder('p').where('p.organisation_id = :org', { org }).orderBy('lower(p.name)').getMany(),
      this.dataSource.getRepository(MeasurePackage).createQueryBuilder('k').where('k.organisation_id = :org', { org }).orderBy('lower(k.name)').getMany(),
    ]);
    const administers = (path: string[]) => isAllowed('orgUnit.update', actor, { path });
    return {
      organisationAdmin: administers([org]),
      orgUnits: units.filter((u) => administers(u.path)),
      programs: programs.filter((p) => administers(p.path)),
      measurePackages: packages.filter((k) => administers(k.path)),
    };
  }

  /**
   * Renames an org unit or moves it under another parent (null: the top level). A move needs ADMIN on the unit and
   * on its new parent, refuses the unit itself or any unit below it as the new parent, and rewrites every path
   * below the unit in one statement (the rollups follow, see hierarchy-moves.ts).
   */
  async updateOrgUnit(actor: Actor, id: string, input: UpdateOrgUnitInput): Promise<OrgUnit> {
    const name = input.name == null ? undefined : requiredText(input.name, 'name', 200);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      const moving = input.parentId !== undefined;
      // Moves are serialised per organisation, so two concurrent moves cannot together make a cycle.
      if (moving) await lockStructure(manager, actor.organisation.id);
      const unit = await manager.getRepository(OrgUnit).findOne({ where: { id: assertId(id, 'id') }, lock: { mode: 'pessimistic_write' } });
      if (!unit || unit.organisationId !== actor.organisation.id || unit.archivedAt) throw notFound('Org unit');
      authorize(actor, 'orgUnit.update', { path: unit.path });
      const before = { name: unit.name, parentId: unit.parentId };
      const after = { name: name ?? unit.name, parentId: unit.parentId };
      if (moving && (input.parentId ?? null) !== unit.parentId) {
        let parentPath = [actor.organisation.id];
        if (input.parentId) {
          const parent = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(input.parentId, 'parentId') });
          if (!parent || parent.organisationId !== actor.organisation.id) throw notFound('Parent org unit');
          if (parent.archivedAt) throw conflict('The new parent org unit is archived');
          if (parent.path.includes(unit.id)) throw badInput('An org unit cannot move under itself or a unit below it', { field: 'parentId' });
          parentPath = parent.path;
        }
        authorize(actor, 'orgUnit.update', { path: parentPath });
        after.parentId = input.parentId ?? null;
        await updateUnique(manager, `UPDATE org_unit SET parent_id = $2, name = $3 WHERE id = $1`, [unit.id, after.parentId, after.name], `An org unit named "${after.name}" exists already there`);
        await rewritePaths(manager, unit.id, [...parentPath, unit.id]);
        afterCommit(() => this.announceStructure(actor));
      } else if (after.name !== unit.name) {
        await updateUnique(manager, `UPDATE org_unit SET name = $2 WHERE id = $1`, [unit.id, after.name], `An org unit named "${after.name}" exists already there`);
      }
      if (before.name !== after.name || before.parentId !== after.parentId) {
        audit({ action: after.parentId !== before.parentId ? 'orgUnit.moved' : 'orgUnit.renamed', entityType: 'OrgUnit', entityId: unit.id, before, after });
      }
      return manager.getRepository(OrgUnit).findOneByOrFail({ id: unit.id });
    });
  }

  /** Archives an org unit that holds nothing: no active sub-unit and no program (CONFLICT, code NOT_EMPTY, otherwise). */
  async archiveOrgUnit(actor: Actor, id: string): Promise<OrgUnit> {
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      await lockStructure(manager, actor.organisation.id);
      const unit = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(id, 'id') });
      if (!unit || unit.organisationId !== actor.organisation.id) throw notFound('Org unit');
      authorize(actor, 'orgUnit.archive', { path: unit.path });
      if (unit.archivedAt) throw conflict('The org unit is archived already');
      const [held]: { units: number; programs: number }[] = await manager.query(
        `SELECT (SELECT count(*) FROM org_unit WHERE parent_id = $1 AND archived_at IS NULL)::int AS units,
                (SELECT count(*) FROM program WHERE org_unit_id = $1)::int AS programs`,
        [unit.id],
      );
      if (held.units > 0 || held.programs > 0) {
        throw conflict(`${unit.name} is not empty: it holds ${held.units} org units and ${held.programs} programs; move or archive them first`, {
          reason: 'NOT_EMPTY',
          units: held.units,
          programs: held.programs,
        });
      }
      await manager.query(`UPDATE org_unit SET archived_at = now() WHERE id = $1`, [unit.id]);
      audit({ action: 'orgUnit.archived', entityType: 'OrgUnit', entityId: unit.id, before: { archived: false }, after: { archived: true } });
      return manager.getRepository(OrgUnit).findOneByOrFail({ id: unit.id });
    });
  }

  /** Name, objective and owner of a program, or a move to another org unit (ADMIN on both), packages and measures with it. */
  async updateProgram(actor: Actor, id: string, input: UpdateProgramInput): Promise<Program> {
    const name = input.name == null ? undefined : requiredText(input.name, 'name', 200);
    const objective = input.objective === undefined || input.objective === null ? undefined : (optionalText(input.objective, 'objective', 4000) ?? null);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      const moving = input.orgUnitId != null;
      if (moving) await lockStructure(manager, actor.organisation.id);
      const program = await manager.getRepository(Program).findOne({ where: { id: assertId(id, 'id') }, lock: { mode: 'pessimistic_write' } });
      if (!program || program.organisationId !== actor.organisation.id) throw notFound('Program');
      authorize(actor, 'program.update', { path: program.path });
      const ownerId = input.ownerId === undefined ? program.ownerId : await this.ownerInOrganisation(manager, actor, input.ownerId);
      const before = { name: program.name, objective: program.objective, orgUnitId: program.orgUnitId, ownerId: program.ownerId };
      const after = { name: name ?? program.name, objective: objective === undefined ? program.objective : objective, orgUnitId: program.orgUnitId, ownerId };
      let unitPath: string[] | null = null;
      if (moving && input.orgUnitId !== program.orgUnitId) {
        const unit = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(input.orgUnitId!, 'orgUnitId') });
        if (!unit || unit.organisationId !== actor.organisation.id) throw notFound('Org unit');
        if (unit.archivedAt) throw conflict('The org unit is archived');
        authorize(actor, 'program.update', { path: unit.path });
        after.orgUnitId = unit.id;
        unitPath = unit.path;
      }
      await updateUnique(
        manager,
        `UPDATE program SET name = $2, objective = $3, org_unit_id = $4, owner_id = $5 WHERE id = $1`,
        [program.id, after.name, after.objective, after.orgUnitId, after.ownerId],
        `A program named "${after.name}" exists already in this org unit`,
      );
      if (unitPath) {
        await rewritePaths(manager, program.id, [...unitPath, program.id]);
        afterCommit(() => this.announceStructure(actor));
      }
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        audit({ action: unitPath ? 'program.moved' : 'program.updated', entityType: 'Program', entityId: program.id, before, after });
      }
      return manager.getRepository(Program).findOneByOrFail({ id: program.id });
    });
  }

  /** Name and owner of a package, or a move to another program (ADMIN on both), its measures with it. */
  async updateMeasurePackage(actor: Actor, id: string, input: UpdateMeasurePackageInput): Promise<MeasurePackage> {
    const name = input.name == null ? undefined : requiredText(input.name, 'name', 200);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      const moving = input.programId != null;
      if (moving) await lockStructure(manager, actor.organisation.id);
      const pkg = await manager.getRepository(MeasurePackage).findOne({ where: { id: assertId(id, 'id') }, lock: { mode: 'pessimistic_write' } });
      if (!pkg || pkg.organisationId !== actor.organisation.id) throw notFound('Measure package');
      authorize(actor, 'measurePackage.update', { path: pkg.path });
      const ownerId = input.ownerId === undefined ? pkg.ownerId : await this.ownerInOrganisation(manager, actor, input.ownerId);
      const before = { name: pkg.name, programId: pkg.programId, ownerId: pkg.ownerId };
      const after = { name: name ?? pkg.name, programId: pkg.programId, ownerId };
      let programPath: string[] | null = null;
      if (moving && input.programId !== pkg.programId) {
        const program = await manager.getRepository(Program).findOneBy({ id: assertId(input.programId!, 'programId') });
        if (!program || program.organisationId !== actor.organisation.id) throw notFound('Program');
        authorize(actor, 'measurePackage.update', { path: program.path });
        after.programId = program.id;
        programPath = program.path;
      }
      await updateUnique(
        manager,
        `UPDATE measure_package SET name = $2, program_id = $3, owner_id = $4 WHERE id = $1`,
        [pkg.id, after.name, after.programId, after.ownerId],
        `A package named "${after.name}" exists already in this program`,
      );
      if (programPath) {
        await rewritePaths(manager, pkg.id, [...programPath, pkg.id]);
        afterCommit(() => this.announceStructure(actor));
      }
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        audit({ action: programPath ? 'measurePackage.moved' : 'measurePackage.updated', entityType: 'MeasurePackage', entityId: pkg.id, before, after });
      }
      return manager.getRepository(MeasurePackage).findOneByOrFail({ id: pkg.id });
    });
  }

  /** Open dashboards read their summaries again: the settings changed, or a move changed what rolls up where. */
  private announceStructure(actor: Actor): void {
    this.bus.publish({ topic: 'organisationChanged', organisationId: actor.organisation.id, at: new Date().toISOString() });
  }

  private async ownerInOrganisation(manager: EntityManager, actor: Actor, ownerId: string | null): Promise<string | null> {
    if (ownerId === null) return null;
    const owner = await manager.getRepository(User).findOneBy({ id: assertId(ownerId, 'ownerId'), organisationId: actor.organisation.id });
    if (!owner) throw notFound('Owner');
    return owner.id;
  }

  /** Any node of the hierarchy by id, when the caller may read it. */
  async scope(actor: Actor, id: string) {
    const scope = await requireScope(this.dataSource.manager, id, actor.organisation.id, 'id');
    if (!this.visible(actor, scope.path)) throw forbidden('This part of the organisation is outside your roles');
    return scope;
  }

  private visible(actor: Actor, path: string[]): boolean {
    return canRead(actor, path) || navigableScopeIds(actor).has(path[path.length - 1]);
  }
}

/** Serialises structure changes of an organisation (moves, archiving) for the rest of the transaction. */
async function lockStructure(manager: EntityManager, organisationId: string): Promise<void> {
  await manager.query(`SELECT id FROM organisation WHERE id = $1 FOR UPDATE`, [organisationId]);
}

/**
 * A create copies its parent's path into the new node: it reads that path only once no move of the organisation
 * is under way. A move holds the organisation's row FOR UPDATE (lockStructure) until it commits; KEY SHARE waits
 * for it, while creates among themselves (and updates of the organisation's settings) do not wait for each other.
 * Without it a create could read the parent's old path during a move and insert the new node with it after the
 * move's rewrite, leaving it (and whatever is created below it) outside the moved subtree's scope.
 */
async function waitForMoves(manager: EntityManager, organisationId: string): Promise<void> {
  await manager.query(`SELECT id FROM organisation WHERE id = $1 FOR KEY SHARE`, [organisationId]);
}

/** Updates, turning a unique-name violation into CONFLICT. */
async function updateUnique(manager: EntityManager, sql: string, params: unknown[], message: string): Promise<void> {
  try {
    await manager.query(sql, params);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(message);
    throw e;
  }
}

/** Inserts, turning a unique-name violation into CONFLICT. */
async function insertUnique<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  row: T,
  message: string,
): Promise<void> {
  try {
    await manager.getRepository(entity).insert(row as never);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(message);
    throw e;
  }
}
