import { DEFAULT_GATE_TEMPLATE, diffGateTemplates, validateGateTemplate, type GateTemplateDefinition, type GateTarget } from '@gatehouse/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { type Actor, authorize } from '../access/index.js';
import { GateTemplateRow } from './gate-template-row.entity.js';
import { AutomaticCriterionSetting, type GateTemplate, type GateTemplateInput } from './gate-template.types.js';

/** Writes the default template as version 1 of a new organisation. */
export async function seedGateTemplate(manager: EntityManager, organisationId: string, userId: string | null): Promise<void> {
  await manager.query(
    `INSERT INTO gate_template (organisation_id, version, definition, created_by) VALUES ($1, 1, $2, $3) ON CONFLICT DO NOTHING`,
    [organisationId, JSON.stringify(DEFAULT_GATE_TEMPLATE), userId],
  );
}

/** The latest template version of the organisation (the default, if none was ever written). */
export async function currentGateTemplate(manager: EntityManager, organisationId: string): Promise<GateTemplateRow> {
  const row = await manager
    .getRepository(GateTemplateRow)
    .findOne({ where: { organisationId }, order: { version: 'DESC' } });
  if (row) return row;
  await seedGateTemplate(manager, organisationId, null);
  return manager.getRepository(GateTemplateRow).findOneOrFail({ where: { organisationId }, order: { version: 'DESC' } });
}

export function toGateTemplate(row: GateTemplateRow, previous?: GateTemplateRow): GateTemplate {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    changes: previous ? diffGateTemplates(previous.definition, row.definition) : [],
    gates: row.definition.gates.map((g) => ({
      toDoi: g.toDoi,
      manual: g.manual.map((m) => ({ ...m })),
      // Instances, so the computed `label` getter works on criteria read from JSON.
      automatic: g.automatic.map((a) => Object.assign(new AutomaticCriterionSetting(), a)),
    })),
  } as GateTemplate;
}


export class GateTemplatesService {
  constructor(private readonly dataSource: DataSource) {}

  async current(actor: Actor): Promise<GateTemplate> {
    return toGateTemplate(await currentGateTemplate(this.dataSource.manager, actor.organisation.id));
  }

  /** Every version, newest first, each with what changed from the one before (shared diffGateTemplates). */
  async versions(actor: Actor): Promise<GateTemplate[]> {
    await currentGateTemplate(this.dataSource.manager, actor.organisation.id);
    const rows = await this.dataSource.getRepository(GateTemplateRow).find({ where: { organisationId: actor.organisation.id }, order: { version: 'ASC' } });
    return rows.map((row, i) => toGateTemplate(row, i > 0 ? rows[i - 1] : undefined)).reverse();
  }

  /**
   * Admins edit checklist items and thresholds; the result is a new version. Decisions already taken keep
   * the version they used, and their criteria as evaluated then.
   */
  async update(actor: Actor, input: GateTemplateInput): Promise<GateTemplate> {
    authorize(actor, 'gateTemplate.update', { path: [actor.organisation.id] });
    const definition: GateTemplateDefinition = {
      gates: [...input.gates]
        .sort((a, b) => a.toDoi - b.toDoi)
        .map((g) => ({
          toDoi: g.toDoi as GateTarget,
          automatic: g.automatic.map((a) => (a.threshold == null ? { criterion: a.criterion } : { criterion: a.criterion, threshold: a.threshold })),
          manual: g.manual.map((m) => ({ id: m.id.trim(), text: m.text.trim() })),
        })),
    };
    const problems = validateGateTemplate(definition);
    if (problems.length > 0) throw badInput(`The gate template is not valid: ${problems.join('; ')}`, { field: 'gates', problems });
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const current = await currentGateTemplate(manager, actor.organisation.id);
      // The unique (organisation, version) key turns a concurrent edit into a CONFLICT instead of a fork.
      const [row] = await manager.query(
        `INSERT INTO gate_template (organisation_id, version, definition, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [actor.organisation.id, current.version + 1, JSON.stringify(definition), actor.userId],
      );
      audit({
        action: 'gateTemplate.updated',
        entityType: 'GateTemplate',
        entityId: row.id,
        before: { version: current.version, definition: current.definition },
        after: { version: current.version + 1, definition },
      });
      return toGateTemplate(await manager.getRepository(GateTemplateRow).findOneByOrFail({ id: row.id }), current);
    });
  }
}
