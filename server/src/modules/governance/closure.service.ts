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
import type { Actor } from '../access/index.js';
import { visibleMeasures, Measure, MeasureTransitions, NOW } from '../measures/index.js';
import { loadGateFacts, loadGateFactsOf } from './gate-facts.js';
import { currentGateTemplate } from './gate-templates.service.js';
import { EvidenceKind } from './evidence.entity.js';
import { GateRequest } from './gate-request.entity.js';
import { SignOff } from './sign-off.entity.js';
import { enforce, MAX_RATIONALE, publishGateRequestChanged } from './gates.service.js';
import { gateActor } from './gate-actor.js';

/** The queue is a worklist, not an archive: at most this many, those whose owner asked for closure first. */
const SIGN_OFF_QUEUE_LIMIT = 500;

/**
 * Controller-backed closure: a controller validates the potential before DoI 3 and, at DoI 4, confirms the
 * value the measure really delivered. The sign-off closes the measure at DoI 5 and locks its values.
 */
export class ClosureService {
  private readonly transitions: MeasureTransitions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {
    this.transitions = new MeasureTransitions(bus);
  }

  async validatePotential(actor: Actor, measureId: string, note?: string | null): Promise<Measure> {
    const text = optionalText(note, 'note', MAX_RATIONALE) || null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      enforce(mayValidatePotential(gateActor(actor, measure.path), await loadGateFacts(tx.manager, measure.id)));
      return this.transitions.apply(tx, measure, {
        set: { potentialValidatedAt: NOW, potentialValidatedBy: actor.userId, potentialValidationNote: text },
        audit: { action: 'measure.potentialValidated', after: { planTotal: measure.planTotal, annualPotential: measure.annualPotential }, reason: text },
        event: 'POTENTIAL_VALIDATED',
      });
    });
  }

  async signOffClosure(actor: Actor, measureId: string, confirmedValue: string, evidence: string, note?: string | null): Promise<Measure> {
    const value = money(confirmedValue, 'confirmedValue');
    const proof = requiredText(evidence ?? '', 'evidence', MAX_RATIONALE);
    const text = optionalText(note, 'note', MAX_RATIONALE) || null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const measure = await this.transitions.lock(tx, measureId);
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
      return this.transitions.apply(tx, measure, {
        set: { doi: 5, state: MeasureState.CLOSED, closedAt: NOW, nextGateDueOn: null },
        history: 'SIGNED_OFF',
        audit: {
          action: 'measure.signedOff',
          before: { doi: measure.doi, state: measure.state, actualTotal: measure.actualTotal },
          after: { doi: 5, state: MeasureState.CLOSED, confirmedValue: value, evidence: proof },
          reason: text,
        },
        event: 'SIGNED_OFF',
      });
    });
  }

  async reopenMeasure(actor: Actor, measureId: string, reason: string): Promise<Measure> {
    const why = requiredText(reason ?? '', 'reason', MAX_RATIONALE);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      enforce(mayReopen(gateActor(actor, measure.path), await loadGateFacts(tx.manager, measure.id)));
      await tx.manager.query(`UPDATE sign_off SET reopened_at = now(), reopened_by = $2, reopen_reason = $3 WHERE measure_id = $1 AND reopened_at IS NULL`, [
        measure.id,
        actor.userId,
        why,
      ]);
      return this.transitions.apply(tx, measure, {
        set: { doi: 4, state: MeasureState.ACTIVE, closedAt: null },
        history: 'REOPENED',
        audit: { action: 'measure.reopened', before: { doi: 5, state: MeasureState.CLOSED }, after: { doi: 4, state: MeasureState.ACTIVE }, reason: why },
        event: 'REOPENED',
      });
    });
  }

  /**
   * Active DoI-4 measures the caller could sign off, as `maySignOff` decides for each (a controller role on its
   * scope, and neither owner, sponsor nor anyone who ever entered or changed an actual value). SQL narrows cheaply
   * (active DoI-4 measures under the caller's controller scopes that are not theirs), a superset the shared rule
   * then judges over gate facts loaded one statement per page; pages are read until the queue is full, so the
   * work stays bounded by the queue, not by the organisation. Those whose owner asked for closure come first.
   */
  async signOffQueue(actor: Actor): Promise<Measure[]> {
    const controllerScopes = actor.grants.filter((g) => g.role === 'CONTROLLER').map((g) => g.scopeId);
    if (controllerScopes.length === 0) return [];
    const candidates = visibleMeasures(this.dataSource, actor)
      .andWhere('m.doi = 4 AND m.state = :active', { active: MeasureState.ACTIVE })
      .andWhere('m.path && CAST(:controllerScopes AS uuid[])', { controllerScopes })
      .andWhere('m.owner_id <> :me AND m.sponsor_id IS DISTINCT FROM :me', { me: actor.userId })
      .andWhere('NOT EXISTS (SELECT 1 FROM measure_actual_editor e WHERE e.measure_id = m.id AND e.user_id = :me)')
      .orderBy(`(SELECT count(*) FROM gate_request r WHERE r.measure_id = m.id AND r.status = 'PENDING')`, 'DESC')
      .addOrderBy('m.seq', 'ASC');
    const queue: Measure[] = [];
    for (let offset = 0; queue.length < SIGN_OFF_QUEUE_LIMIT; offset += SIGN_OFF_QUEUE_LIMIT) {
      const page = await candidates.clone().offset(offset).limit(SIGN_OFF_QUEUE_LIMIT).getMany();
      const facts = await loadGateFactsOf(this.dataSource.manager, page.map((m) => m.id));
      queue.push(...page.filter((m) => {
        const f = facts.get(m.id);
        return f !== undefined && maySignOff(gateActor(actor, m.path), f).allowed;
      }));
      if (page.length < SIGN_OFF_QUEUE_LIMIT) break;
    }
    return queue.slice(0, SIGN_OFF_QUEUE_LIMIT);
  }
}
