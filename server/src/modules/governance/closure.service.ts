import {
  ErrorCode,
  evaluateGate,
  gateDefinition,
  GateDecision,
  GateRequestStatus,
  mayReopen,
  maySignOff,
  mayValidatePotential,
  MeasureState,
} from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/domain-error.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { money, optionalText, requiredText } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Actor } from '../access/actor.js';
import { visibleMeasures } from '../measures/measure-list.query.js';
import { RECOMPUTE_NEXT_DUE_SQL } from '../measures/measure-status.sql.js';
import { publishMeasureChanged, recordHistory } from '../measures/measure-history.js';
import { Measure } from '../measures/measure.entity.js';
import { loadGateFacts } from './gate-facts.js';
import { currentGateTemplate } from './gate-templates.service.js';
import { EvidenceKind, GateRequest, SignOff } from './governance.entities.js';
import { enforce, MAX_RATIONALE, publishGateRequestChanged } from './gates.service.js';
import { gateActor, lockMeasure } from './measure-lock.js';

/**
 * Controller-backed closure: a controller validates the potential before DoI 3 and, at DoI 4, confirms the
 * value the measure really delivered. The sign-off closes the measure at DoI 5 and locks its values.
 */
export class ClosureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async validatePotential(actor: Actor, measureId: string, note?: string | null): Promise<Measure> {
    const text = optionalText(note, 'note', MAX_RATIONALE) || null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await lockMeasure(tx.manager, actor, measureId);
      enforce(mayValidatePotential(gateActor(actor, measure.path), await loadGateFacts(tx.manager, measure.id)));
      await tx.manager.query(
        `UPDATE measure SET potential_validated_at = now(), potential_validated_by = $2, potential_validation_note = $3,
                version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`,
        [measure.id, actor.userId, text],
      );
      tx.audit({
        action: 'measure.potentialValidated',
        entityType: 'Measure',
        entityId: measure.id,
        measureId: measure.id,
        after: { planTotal: measure.planTotal, annualPotential: measure.annualPotential },
        reason: text,
      });
      publishMeasureChanged(tx, this.bus, measure, 'POTENTIAL_VALIDATED');
      return tx.manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
    });
  }

  async signOffClosure(actor: Actor, measureId: string, confirmedValue: string, evidence: string, note?: string | null): Promise<Measure> {
    const value = money(confirmedValue, 'confirmedValue');
    const proof = requiredText(evidence ?? '', 'evidence', MAX_RATIONALE);
    const text = optionalText(note, 'note', MAX_RATIONALE) || null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const measure = await lockMeasure(manager, actor, measureId);
      const facts = await loadGateFacts(manager, measure.id);
      enforce(maySignOff(gateActor(actor, measure.path), facts));
      const template = await currentGateTemplate(manager, actor.organisation.id);
      // The controller's sign-off is itself the confirmation the gate's checklist asks for.
      const checkedItems = gateDefinition(template.definition, 5)?.manual.map((m) => m.id) ?? [];
      const evaluation = evaluateGate(facts, template.definition, 5, { inGateReview: false, checkedItems });
      if (evaluation.unmet.length > 0) {
        throw new DomainError(
          ErrorCode.GATE_CRITERIA_UNMET,
          `Closure needs: ${evaluation.unmet.map((c) => `${c.label} (${c.detail})`).join('; ')}`,
          { unmet: evaluation.unmet.map(({ id, label, detail }) => ({ id, label, detail })) },
        );
      }
      await manager.query(
        `UPDATE measure SET doi = 5, state = 'CLOSED', closed_at = now(), next_gate_due_on = NULL,
                version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`,
        [measure.id, actor.userId],
      );
      await manager.query(RECOMPUTE_NEXT_DUE_SQL, [measure.id]);
      await manager.getRepository(SignOff).insert({ measureId: measure.id, controllerId: actor.userId, confirmedValue: value, evidence: proof, note: text });
      await manager.query(`INSERT INTO evidence (measure_id, kind, title, note, created_by) VALUES ($1, $2, $3, $4, $5)`, [
        measure.id,
        EvidenceKind.VALUE,
        `Controller sign-off: ${value} confirmed`,
        proof,
        actor.userId,
      ]);
      const pending = await manager.getRepository(GateRequest).findOne({ where: { measureId: measure.id, status: GateRequestStatus.PENDING }, lock: { mode: 'pessimistic_write' } });
      if (pending) {
        await manager.query(
          `UPDATE gate_request SET status = 'APPROVED', decision = $2, rationale = $3, decided_by = $4, decided_at = now(), criteria = $5, template_id = $6 WHERE id = $1`,
          [pending.id, GateDecision.APPROVE, `Signed off: ${value} confirmed. ${proof}`.slice(0, MAX_RATIONALE), actor.userId, JSON.stringify(evaluation.criteria), template.id],
        );
        publishGateRequestChanged(tx, this.bus, { ...pending, status: GateRequestStatus.APPROVED }, measure);
      }
      await recordHistory(manager, measure.id, 'SIGNED_OFF');
      tx.audit({
        action: 'measure.signedOff',
        entityType: 'Measure',
        entityId: measure.id,
        measureId: measure.id,
        before: { doi: measure.doi, state: measure.state, actualTotal: measure.actualTotal },
        after: { doi: 5, state: MeasureState.CLOSED, confirmedValue: value, evidence: proof },
        reason: text,
      });
      publishMeasureChanged(tx, this.bus, measure, 'SIGNED_OFF');
      return manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
    });
  }

  async reopenMeasure(actor: Actor, measureId: string, reason: string): Promise<Measure> {
    const why = requiredText(reason ?? '', 'reason', MAX_RATIONALE);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await lockMeasure(tx.manager, actor, measureId);
      enforce(mayReopen(gateActor(actor, measure.path), await loadGateFacts(tx.manager, measure.id)));
      await tx.manager.query(
        `UPDATE measure SET doi = 4, state = 'ACTIVE', closed_at = NULL, version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`,
        [measure.id, actor.userId],
      );
      await tx.manager.query(`UPDATE sign_off SET reopened_at = now(), reopened_by = $2, reopen_reason = $3 WHERE measure_id = $1 AND reopened_at IS NULL`, [
        measure.id,
        actor.userId,
        why,
      ]);
      await tx.manager.query(RECOMPUTE_NEXT_DUE_SQL, [measure.id]);
      await recordHistory(tx.manager, measure.id, 'REOPENED');
      tx.audit({ action: 'measure.reopened', entityType: 'Measure', entityId: measure.id, measureId: measure.id, before: { doi: 5, state: MeasureState.CLOSED }, after: { doi: 4, state: MeasureState.ACTIVE }, reason: why });
      publishMeasureChanged(tx, this.bus, measure, 'REOPENED');
      return tx.manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
    });
  }

  /**
   * Active DoI-4 measures the caller could sign off: a controller role on their scope, and neither owner, sponsor
   * nor anyone who ever entered or changed an actual value. Those whose owner asked for closure come first.
   */
  async signOffQueue(actor: Actor): Promise<Measure[]> {
    const controllerScopes = actor.grants.filter((g) => g.role === 'CONTROLLER').map((g) => g.scopeId);
    if (controllerScopes.length === 0) return [];
    return visibleMeasures(this.dataSource, actor)
      .andWhere('m.doi = 4 AND m.state = :active', { active: MeasureState.ACTIVE })
      .andWhere('m.path && CAST(:controllerScopes AS uuid[])', { controllerScopes })
      .andWhere('m.owner_id <> :me AND m.sponsor_id IS DISTINCT FROM :me')
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM measure_actual_editor e WHERE e.measure_id = m.id AND e.user_id = :me)`,
      )
      .orderBy(`(SELECT count(*) FROM gate_request r WHERE r.measure_id = m.id AND r.status = 'PENDING')`, 'DESC')
      .addOrderBy('m.seq', 'ASC')
      .limit(500)
      .getMany();
  }
}
