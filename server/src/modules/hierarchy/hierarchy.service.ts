import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { conflict, forbidden, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { optionalText, requiredText } from '../../common/validate.js';
import { navigableScopeIds, type Actor, authorize, canRead, requireScope } from '../access/index.js';
import { User } from '../users/index.js';
import type { CreateMeasurePackageInput, CreateOrgUnitInput, CreateProgramInput, OrganisationSettingsInput } from './hierarchy.inputs.js';
import { badInput } from '../../common/domain-error.js';
import { MeasurePackage } from './measure-package.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrgUnit } from './org-unit.entity.js';
import { Program } from './program.entity.js';

/**
 * The organisation's structure. A node is listed when the caller may read it (a role on it or above) or when it
 * lies on the way down to a scope they hold a role on, so every user can navigate to their part of the tree.
 */
export class HierarchyService {
  constructor(private readonly dataSource: DataSource) {}

  async organisation(actor: Actor): Promise<Organisation> {
    return this.dataSource.getRepository(Organisation).findOneByOrFail({ id: actor.organisation.id });
  }

  /** Status thresholds and DoI probabilities: admins only; the change is audited. */
  async updateSettings(actor: Actor, input: OrganisationSettingsInput): Promise<Organisation> {
    authorize(actor, 'organisation.update', { path: [actor.organisation.id] });
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const org = await manager.getRepository(Organisation).findOneOrFail({ where: { id: actor.organisation.id }, lock: { mode: 'pessimistic_write' } });
      const green = input.potentialGreenPercent ?? org.potentialGreenPercent;
      const amber = input.potentialAmberPercent ?? org.potentialAmberPercent;
      const weights = input.doiWeights ?? org.doiWeights;
      if (!Number.isInteger(green) || !Number.isInteger(amber) || amber < 0 || green > 1000 || amber > green) {
        throw badInput('Thresholds are whole percentages with amber at or below green', { field: 'potentialAmberPercent' });
      }
      if (weights.length !== 5 || weights.some((w, i) => !Number.isInteger(w) || w < 0 || w > 100 || (i > 0 && w < weights[i - 1]))) {
        throw badInput('doiWeights are five whole percentages from 0 to 100, rising with DoI', { field: 'doiWeights' });
      }
      const before = { potentialGreenPercent: org.potentialGreenPercent, potentialAmberPercent: org.potentialAmberPercent, doiWeights: org.doiWeights };
      const after = { potentialGreenPercent: green, potentialAmberPercent: amber, doiWeights: weights };
      await manager.update(Organisation, { id: org.id }, after);
      audit({ action: 'organisation.settingsUpdated', entityType: 'Organisation', entityId: org.id, before, after });
      return manager.getRepository(Organisation).findOneByOrFail({ id: org.id });
    });
  }

  async orgUnits(actor: Actor, parentId?: string | null): Promise<OrgUnit[]> {
    const qb = this.dataSource
      .getRepository(OrgUnit)
      .createQueryBuilder('u')
      .where('u.organisation_id = :org', { org: actor.organisation.id })
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
      let parentPath = [actor.organisation.id];
      if (input.parentId) {
        const parent = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(input.parentId, 'parentId') });
        if (!parent || parent.organisationId !== actor.organisation.id) throw notFound('Parent org unit');
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
      const unit = await manager.getRepository(OrgUnit).findOneBy({ id: assertId(input.orgUnitId, 'orgUnitId') });
      if (!unit || unit.organisationId !== actor.organisation.id) throw notFound('Org unit');
      authorize(actor, 'program.create', { path: unit.path });
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
    if ((e as { driverError?: { code?: string } }).driverError?.code === '23505') throw conflict(message);
    throw e;
  }
}
