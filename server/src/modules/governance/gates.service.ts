import {
  ErrorCode,
  evaluateGate,
  decisionOutcome,
  GateDecision,
  GateRequestStatus,
  mayDecideGate,
  policyAllows,
  mayMoveBack,
  mayOverride,
  mayRequestGate,
  mayResume,
  MeasureState,
  nextGate,
  Role,
  type GateTarget,
  type MeasureGateFacts,
  type Verdict,
} from '@gatehouse/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, DomainError, forbidden, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor, type Tx } from '../../common/transaction.js';
import { optionalText, requiredText, validDate } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { type Actor, canRead } from '../access/index.js';
import { Measure, MeasureTransitions, measurePeople } from '../measures/index.js';
import { User } from '../users/index.js';
import { loadGateFacts } from './gate-facts.js';
import { directGateSources } from './gate-sources.js';
import { currentGateTemplate } from './gate-templates.service.js';
import type { GateCheck } from './gate-template.types.js';
import { GateCondition, GateRequest, GateReview } from './governance.entities.js';
import type { DecideGateArgs, GateConditionInput } from './governance.inputs.js';
import { gateActor } from './gate-actor.js';

export const MAX_RATIONALE = 4000;

/** Throws the verdict's error when the rules say no. */
export function enforce(verdict: Verdict): void {
  if (!verdict.allowed) throw new DomainError(verdict.code, verdict.reason);
}

export function publishGateRequestChanged(tx: Tx, bus: EventBus, request: GateRequest, measure: Measure): void {
  tx.afterCommit(() =>
    bus.publish({
      topic: 'gateRequestChanged',
      organisationId: request.organisationId,
      requestId: request.id,
      measureId: request.measureId,
      path: request.path,
      people: measurePeople(measure),
      at: new Date().toISOString(),
    }),
  );
}

/**
 * Gate requests and decisions. The rules come from `@gatehouse/shared/gates`; this service gathers the facts,
 * takes the locks and writes the outcome, its history and its audit entry in one transaction.
 */
export class GatesService {
  private readonly transitions: MeasureTransitions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {
    this.transitions = new MeasureTransitions(bus);
  }

  async requestGate(actor: Actor, measureId: string, note?: string | null): Promise<GateRequest> {
    const text = optionalText(note, 'note', MAX_RATIONALE) || null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      const facts = await loadGateFacts(tx.manager, measure.id);
      enforce(mayRequestGate(gateActor(actor, measure.path), facts));
      const pending = await tx.manager.getRepository(GateRequest).findOneBy({ measureId: measure.id, status: GateRequestStatus.PENDING });
      if (pending) throw conflict(`${measure.code} already has a pending request for DoI ${pending.toDoi}`, { requestId: pending.id });
      const repo = tx.manager.getRepository(GateRequest);
      const request = repo.create({
        organisationId: measure.organisationId,
        measureId: measure.id,
        path: measure.path,
        fromDoi: measure.doi,
        toDoi: measure.doi + 1,
        status: GateRequestStatus.PENDING,
        note: text,
        requestedById: actor.userId,
        override: false,
      });
      await repo.insert(request);
      const saved = await repo.findOneByOrFail({ id: request.id });
      tx.audit({ action: 'gate.requested', entityType: 'GateRequest', entityId: saved.id, measureId: measure.id, after: { fromDoi: saved.fromDoi, toDoi: saved.toDoi, note: text }, reason: text });
      publishGateRequestChanged(tx, this.bus, saved, measure);
      this.transitions.announce(tx, measure, 'GATE_REQUESTED');
      return saved;
    });
  }

  async decideGate(actor: Actor, args: DecideGateArgs): Promise<GateRequest> {
    const rationale = requiredText(args.rationale ?? '', 'rationale', MAX_RATIONALE);
    const conditions = this.validateConditions(args.decision, args.conditions ?? []);
    const checkedItems = (args.checkedItems ?? []).map((i) => requiredText(i, 'checkedItems', 64));
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const unlocked = await manager.getRepository(GateRequest).findOneBy({ id: assertId(args.requestId, 'requestId') });
      if (!unlocked || unlocked.organisationId !== actor.organisation.id) throw notFound('Gate request');
      // Lock order: measure, then request (see MeasureTransitions.lock). Of two deciders, the second waits here
      // and then finds the request decided.
      const measure = await this.transitions.lock(tx, unlocked.measureId);
      const request = await manager.getRepository(GateRequest).findOneOrFail({ where: { id: unlocked.id }, lock: { mode: 'pessimistic_write' } });
      if (request.status !== GateRequestStatus.PENDING) {
        throw conflict(`This request was ${request.status.toLowerCase().replace(/_/g, ' ')} already`, { status: request.status });
      }
      const who = gateActor(actor, measure.path);
      const facts = await loadGateFacts(manager, measure.id);
      enforce(mayDecideGate(who, facts, request.toDoi as GateTarget, args.decision));
      const review = args.reviewId ? await this.reviewForDecision(manager, actor, args.reviewId, request) : null;

      const template = await currentGateTemplate(manager, actor.organisation.id);
      const evaluation = evaluateGate(facts, template.definition, request.toDoi as GateTarget, { inGateReview: review !== null, checkedItems });
      const raises = args.decision === GateDecision.APPROVE || args.decision === GateDecision.APPROVE_WITH_CONDITIONS;
      let overridden = false;
      if (raises && evaluation.unmet.length > 0) {
        if (!args.override) {
          throw new DomainError(
            ErrorCode.GATE_CRITERIA_UNMET,
            `The gate to DoI ${request.toDoi} has unmet criteria: ${evaluation.unmet.map((c) => `${c.label} (${c.detail})`).join('; ')}`,
            { unmet: evaluation.unmet.map(({ id, label, detail }) => ({ id, label, detail })) },
          );
        }
        enforce(mayOverride(who, facts, review));
        overridden = true;
      }
      for (const c of conditions) await this.requireUser(manager, actor, c.ownerId);

      const outcome = decisionOutcome(args.decision, measure.doi);
      if (raises) {
        // Conditions of the previous gate were the bar for this one; an override leaves them open and visible.
        await manager.query(
          `UPDATE gate_request SET status = $2, decision = $3, rationale = $4, decided_by = $5, decided_at = now(),
                  decided_in_review_id = $6, override = $7, criteria = $8, template_id = $9 WHERE id = $1`,
          [request.id, outcome.status, args.decision, rationale, actor.userId, review?.id ?? null, overridden, JSON.stringify(evaluation.criteria), template.id],
        );
      } else {
        await manager.query(
          `UPDATE gate_request SET status = $2, decision = $3, rationale = $4, decided_by = $5, decided_at = now(),
                  decided_in_review_id = $6, criteria = $7, template_id = $8 WHERE id = $1`,
          [request.id, outcome.status, args.decision, rationale, actor.userId, review?.id ?? null, JSON.stringify(evaluation.criteria), template.id],
        );
      }
      for (const c of conditions) {
        await manager.getRepository(GateCondition).insert({ gateRequestId: request.id, measureId: measure.id, text: c.text, ownerId: c.ownerId, dueOn: c.dueOn });
      }
      const decided = await manager.getRepository(GateRequest).findOneByOrFail({ id: request.id });
      publishGateRequestChanged(tx, this.bus, decided, measure);
      // A new DoI has its own next gate to plan.
      await this.transitions.apply(tx, measure, {
        set: { doi: outcome.doi, state: outcome.state, ...(outcome.doi !== measure.doi ? { nextGateDueOn: null } : {}) },
        below: ['dueDates'],
        history: `GATE_${args.decision}`,
        audit: {
          action: 'gate.decided',
          entityType: 'GateRequest',
          entityId: request.id,
          before: { status: request.status, doi: measure.doi, state: measure.state },
          after: {
            status: decided.status,
            decision: args.decision,
            doi: outcome.doi,
            state: outcome.state,
            override: overridden,
            unmetCriteria: overridden ? evaluation.unmet.map((c) => c.id) : [],
            conditions: conditions.map((c) => ({ text: c.text, ownerId: c.ownerId, dueOn: c.dueOn })),
            reviewId: review?.id ?? null,
          },
          reason: rationale,
        },
        event: 'GATE_DECIDED',
      });
      return decided;
    });
  }

  /** The owner may take back a request nobody has decided yet. */
  async withdrawGateRequest(actor: Actor, requestId: string, reason?: string | null): Promise<GateRequest> {
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const unlocked = await tx.manager.getRepository(GateRequest).findOneBy({ id: assertId(requestId, 'requestId') });
      if (!unlocked || unlocked.organisationId !== actor.organisation.id) throw notFound('Gate request');
      const measure = await this.transitions.lock(tx, unlocked.measureId);
      const facts = await loadGateFacts(tx.manager, measure.id);
      const who = gateActor(actor, measure.path);
      if (!policyAllows('gate.withdraw', who, facts)) {
        throw forbidden('Only the measure’s owner (or an admin) withdraws its gate request');
      }
      const request = await tx.manager.getRepository(GateRequest).findOneOrFail({ where: { id: unlocked.id }, lock: { mode: 'pessimistic_write' } });
      if (request.status !== GateRequestStatus.PENDING) throw conflict('Only a pending request can be withdrawn');
      await tx.manager.update(GateRequest, { id: request.id }, { status: GateRequestStatus.WITHDRAWN });
      const saved = await tx.manager.getRepository(GateRequest).findOneByOrFail({ id: request.id });
      tx.audit({ action: 'gate.withdrawn', entityType: 'GateRequest', entityId: request.id, measureId: measure.id, before: { status: request.status }, after: { status: saved.status }, reason: optionalText(reason, 'reason', MAX_RATIONALE) || null });
      publishGateRequestChanged(tx, this.bus, saved, measure);
      return saved;
    });
  }

  async moveMeasureBack(actor: Actor, measureId: string, toDoi: number, reason: string): Promise<Measure> {
    const why = requiredText(reason ?? '', 'reason', MAX_RATIONALE);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      const facts = await loadGateFacts(tx.manager, measure.id);
      enforce(mayMoveBack(gateActor(actor, measure.path), facts, toDoi));
      await this.withdrawPending(tx, measure, 'the measure was moved back');
      return this.transitions.apply(tx, measure, {
        set: { doi: toDoi },
        history: 'MOVED_BACK',
        audit: { action: 'measure.movedBack', before: { doi: measure.doi }, after: { doi: toDoi }, reason: why },
        event: 'MOVED_BACK',
      });
    });
  }

  async resumeMeasure(actor: Actor, measureId: string, reason: string): Promise<Measure> {
    const why = requiredText(reason ?? '', 'reason', MAX_RATIONALE);
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const measure = await this.transitions.lock(tx, measureId);
      enforce(mayResume(gateActor(actor, measure.path), await loadGateFacts(tx.manager, measure.id)));
      return this.transitions.apply(tx, measure, {
        set: { state: MeasureState.ACTIVE },
        history: 'RESUMED',
        audit: { action: 'measure.resumed', before: { state: measure.state }, after: { state: MeasureState.ACTIVE }, reason: why },
        event: 'RESUMED',
      });
    });
  }

  /** A condition is met by its owner, the measure's owner or a steering committee member. */
  async meetCondition(actor: Actor, conditionId: string, note?: string | null): Promise<GateCondition> {
    const text = optionalText(note, 'note', MAX_RATIONALE) || null;
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const condition = await tx.manager.getRepository(GateCondition).findOneBy({ id: assertId(conditionId, 'id') });
      if (!condition) throw notFound('Condition');
      const measure = await this.transitions.lock(tx, condition.measureId);
      if (!mayMeetCondition(actor, measure.path, await loadGateFacts(tx.manager, measure.id), condition)) {
        throw forbidden('Only the condition’s owner, the measure’s owner or the steering committee marks it met');
      }
      if (condition.metAt) throw conflict('This condition is met already');
      await tx.manager.update(GateCondition, { id: condition.id }, { metAt: new Date(), metBy: actor.userId, metNote: text });
      await this.transitions.apply(tx, measure, {
        below: ['dueDates'],
        audit: { action: 'condition.met', entityType: 'GateCondition', entityId: condition.id, before: { metAt: null }, after: { met: true }, reason: text },
        event: 'UPDATED',
      });
      return tx.manager.getRepository(GateCondition).findOneByOrFail({ id: condition.id });
    });
  }

  /** Gate requests the caller may see, newest first, optionally by status and scope. */
  async list(actor: Actor, status?: GateRequestStatus | null, scopePath?: string[] | null): Promise<GateRequest[]> {
    const qb = this.dataSource
      .getRepository(GateRequest)
      .createQueryBuilder('r')
      .innerJoin('measure', 'm', 'm.id = r.measure_id')
      .where('r.organisation_id = :org', { org: actor.organisation.id })
      .orderBy('r.requested_at', 'DESC')
      .limit(500);
    if (status) qb.andWhere('r.status = :status', { status });
    if (scopePath) qb.andWhere('r.path @> ARRAY[CAST(:scope AS uuid)]', { scope: scopePath[scopePath.length - 1] });
    const rows = await qb.addSelect(['m.owner_id', 'm.sponsor_id', 'm.controller_id']).getRawAndEntities<{ m_owner_id: string; m_sponsor_id: string | null; m_controller_id: string | null }>();
    return rows.entities.filter((r, i) => canRead(actor, r.path, [rows.raw[i]?.m_owner_id, rows.raw[i]?.m_sponsor_id ?? null, rows.raw[i]?.m_controller_id ?? null]));
  }

  /** The measure's next gate with its criteria as they stand, for the owner's checklist. */
  async nextGateCheck(actor: Actor, measure: Measure, sources = directGateSources(this.dataSource.manager)): Promise<GateCheck | null> {
    const toDoi = nextGate(measure.doi);
    if (toDoi === null) return null;
    const [facts, template, requests] = await Promise.all([sources.facts(measure.id), sources.template(actor.organisation.id), sources.requests(measure.id)]);
    const evaluation = evaluateGate(facts, template.definition, toDoi, { inGateReview: false });
    const verdict = mayRequestGate(gateActor(actor, measure.path), facts);
    const pending = requests.find((r) => r.status === GateRequestStatus.PENDING);
    return {
      toDoi,
      criteria: evaluation.criteria,
      automaticPassed: evaluation.criteria.every((c) => c.kind === 'MANUAL' || c.passed),
      canRequest: verdict.allowed && !pending,
      cannotRequestReason: !verdict.allowed ? verdict.reason : pending ? `A request for DoI ${pending.toDoi} is pending` : null,
    };
  }

  /** Criteria of a request: as evaluated at the decision, or live while it is pending. */
  async requestCriteria(actor: Actor, request: GateRequest, sources = directGateSources(this.dataSource.manager)) {
    if (request.status !== GateRequestStatus.PENDING) return (request.criteria as GateCheck['criteria']) ?? [];
    const [facts, template] = await Promise.all([sources.facts(request.measureId), sources.template(actor.organisation.id)]);
    return evaluateGate(facts, template.definition, request.toDoi as GateTarget, { inGateReview: request.reviewId !== null }).criteria;
  }

  /** Whether the caller may decide this request, and why not. */
  async decidability(actor: Actor, request: GateRequest, sources = directGateSources(this.dataSource.manager)): Promise<{ can: boolean; reason: string | null }> {
    if (request.status !== GateRequestStatus.PENDING) return { can: false, reason: 'Decided already' };
    const facts = await sources.facts(request.measureId);
    const v = mayDecideGate(gateActor(actor, request.path), facts, request.toDoi as GateTarget, request.toDoi === 5 ? GateDecision.REJECT : GateDecision.APPROVE);
    return v.allowed ? { can: true, reason: null } : { can: false, reason: v.reason };
  }

  /**
   * Whether the caller may override failed criteria of this pending request: only inside the review whose agenda
   * holds it, as its chair (`mayOverride`). `review` is that review, loaded by the caller (a request's loader).
   */
  async overridability(actor: Actor, request: GateRequest, review: GateReview | null, sources = directGateSources(this.dataSource.manager)): Promise<boolean> {
    if (request.status !== GateRequestStatus.PENDING || !review || review.id !== request.reviewId) return false;
    const facts = await sources.facts(request.measureId);
    return mayOverride(gateActor(actor, request.path), facts, review).allowed;
  }

  private async withdrawPending(tx: Tx, measure: Measure, why: string): Promise<void> {
    const measureId = measure.id;
    const pending = await tx.manager.getRepository(GateRequest).findOne({ where: { measureId, status: GateRequestStatus.PENDING }, lock: { mode: 'pessimistic_write' } });
    if (!pending) return;
    await tx.manager.update(GateRequest, { id: pending.id }, { status: GateRequestStatus.WITHDRAWN });
    tx.audit({ action: 'gate.withdrawn', entityType: 'GateRequest', entityId: pending.id, measureId, before: { status: 'PENDING' }, after: { status: 'WITHDRAWN' }, reason: why });
    publishGateRequestChanged(tx, this.bus, { ...pending, status: GateRequestStatus.WITHDRAWN }, measure);
  }

  private async reviewForDecision(manager: EntityManager, actor: Actor, reviewId: string, request: GateRequest): Promise<GateReview> {
    const review = await manager.getRepository(GateReview).findOneBy({ id: assertId(reviewId, 'reviewId') });
    if (!review || review.organisationId !== actor.organisation.id) throw notFound('Gate review');
    if (request.reviewId !== review.id) throw badInput('This request is not on the agenda of that gate review', { field: 'reviewId' });
    return review;
  }

  private validateConditions(decision: GateDecision, conditions: GateConditionInput[]): GateConditionInput[] {
    if (decision !== GateDecision.APPROVE_WITH_CONDITIONS) {
      if (conditions.length > 0) throw badInput('Conditions belong to APPROVE_WITH_CONDITIONS only', { field: 'conditions' });
      return [];
    }
    if (conditions.length === 0) throw badInput('APPROVE_WITH_CONDITIONS needs at least one condition', { field: 'conditions' });
    if (conditions.length > 20) throw badInput('At most 20 conditions', { field: 'conditions' });
    return conditions.map((c, i) => ({
      text: requiredText(c.text, `conditions[${i}].text`, 2000),
      ownerId: assertId(c.ownerId, `conditions[${i}].ownerId`),
      dueOn: validDate(c.dueOn, `conditions[${i}].dueOn`),
    }));
  }

  private async requireUser(manager: EntityManager, actor: Actor, id: string): Promise<void> {
    const user = await manager.getRepository(User).findOneBy({ id, organisationId: actor.organisation.id });
    if (!user) throw notFound('Condition owner');
  }
}

/**
 * Whether the actor may mark the condition met: its owner, the measure's owner or a steering committee member,
 * roles counted only on the measure's scope. The mutation and `GateCondition.viewerCanMeet` both ask this.
 */
export function mayMeetCondition(actor: Actor, measurePath: readonly string[], facts: MeasureGateFacts, condition: Pick<GateCondition, 'ownerId'>): boolean {
  return policyAllows('gate.meetCondition', gateActor(actor, measurePath), facts, condition.ownerId);
}
