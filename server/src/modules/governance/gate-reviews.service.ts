import { GateRequestStatus, GRANTABLE_SCOPE_KINDS, mayChairReview } from '@gatehouse/shared';
import { In, type DataSource } from 'typeorm';
import { badInput, forbidden, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { optionalText, validDate } from '../../common/validate.js';
import type { EventBus } from '../../events/event-bus.js';
import { navigableScopeIds, type Actor, authorize, canRead, requireScope, rolesOnPathOf } from '../access/index.js';
import { User } from '../users/index.js';
import { Measure } from '../measures/index.js';
import { GateRequest, GateReview } from './governance.entities.js';
import type { CreateGateReviewInput } from './governance.inputs.js';
import { publishGateRequestChanged } from './gates.service.js';

/** Steering committee meetings: a scope, a date, participants and an agenda of pending gate requests. */
export class GateReviewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async create(actor: Actor, input: CreateGateReviewInput): Promise<GateReview> {
    const heldOn = validDate(input.date, 'date');
    if (input.participantIds.length > 100) throw badInput('At most 100 participants', { field: 'participantIds' });
    if (input.requestIds.length > 200) throw badInput('At most 200 requests on one agenda', { field: 'requestIds' });
    const chairId = assertId(input.chairId, 'chairId');
    // The chair is a participant by definition.
    const participantIds = [...new Set([chairId, ...input.participantIds.map((id, i) => assertId(id, `participantIds[${i}]`))])];
    const requestIds = [...new Set(input.requestIds.map((id, i) => assertId(id, `requestIds[${i}]`)))];
    return inTransaction(this.dataSource, txActor(actor), async (tx) => {
      const { manager } = tx;
      const scope = await requireScope(manager, input.scopeId, actor.organisation.id);
      if (!GRANTABLE_SCOPE_KINDS.includes(scope.kind)) throw badInput('A gate review covers the organisation, an org unit or a program', { field: 'scopeId' });
      authorize(actor, 'gateReview.create', { path: scope.path });
      const title = optionalText(input.title, 'title', 200) || `Gate review ${scope.name} ${heldOn.toISOString().slice(0, 10)}`;
      const people = participantIds.length ? await manager.getRepository(User).findBy({ id: In(participantIds), organisationId: actor.organisation.id }) : [];
      if (people.length !== participantIds.length) throw notFound('Participant');
      const chair = mayChairReview((await rolesOnPathOf(manager, [chairId], scope.path)).get(chairId) ?? new Set());
      if (!chair.allowed) throw badInput(chair.reason, { field: 'chairId' });
      const requests = requestIds.length
        ? await manager.getRepository(GateRequest).find({ where: { id: In(requestIds) }, lock: { mode: 'pessimistic_write' } })
        : [];
      if (requests.length !== requestIds.length || requests.some((r) => r.organisationId !== actor.organisation.id)) throw notFound('Gate request');
      for (const r of requests) {
        if (r.status !== GateRequestStatus.PENDING) throw badInput('Only pending gate requests go on an agenda', { field: 'requestIds', requestId: r.id });
        if (!r.path.includes(scope.id)) throw badInput('A gate request on the agenda lies outside the review’s scope', { field: 'requestIds', requestId: r.id });
      }
      const repo = manager.getRepository(GateReview);
      const review = repo.create({ organisationId: actor.organisation.id, scopeId: scope.id, scopePath: scope.path, title, heldOn, createdById: actor.userId, chairId });
      await repo.insert(review);
      for (const id of participantIds) await manager.query(`INSERT INTO gate_review_participant (review_id, user_id) VALUES ($1, $2)`, [review.id, id]);
      if (requestIds.length) await manager.query(`UPDATE gate_request SET review_id = $1 WHERE id = ANY(CAST($2 AS uuid[]))`, [review.id, requestIds]);
      for (const r of requests) {
        const measure = await manager.getRepository(Measure).findOneByOrFail({ id: r.measureId });
        publishGateRequestChanged(tx, this.bus, { ...r, reviewId: review.id }, measure);
      }
      tx.audit({ action: 'gateReview.created', entityType: 'GateReview', entityId: review.id, after: { title, scopeId: scope.id, heldOn, chairId, participantIds, requestIds } });
      return repo.findOneByOrFail({ id: review.id });
    });
  }

  /** Reviews the caller may see (their scope is readable or on the way to the caller's grants), newest first. */
  async list(actor: Actor, scopeId?: string | null): Promise<GateReview[]> {
    const qb = this.dataSource
      .getRepository(GateReview)
      .createQueryBuilder('g')
      .where('g.organisation_id = :org', { org: actor.organisation.id })
      .orderBy('g.held_on', 'DESC')
      .limit(200);
    if (scopeId) qb.andWhere('g.scope_path @> ARRAY[CAST(:scope AS uuid)]', { scope: assertId(scopeId, 'scopeId') });
    return (await qb.getMany()).filter((r) => this.mayRead(actor, r));
  }

  /**
   * Whether the actor may see the review: its scope is readable, or lies on the way to the actor's grants (a
   * review of the whole organisation is visible to everyone below it; its agenda is filtered per request).
   */
  mayRead(actor: Actor, review: GateReview): boolean {
    return review.organisationId === actor.organisation.id && (canRead(actor, review.scopePath) || navigableScopeIds(actor).has(review.scopeId));
  }

  async get(actor: Actor, id: string): Promise<GateReview> {
    const review = await this.dataSource.getRepository(GateReview).findOneBy({ id: assertId(id, 'id') });
    if (!review || review.organisationId !== actor.organisation.id) throw notFound('Gate review');
    if (!this.mayRead(actor, review)) throw forbidden('This gate review is outside your roles');
    return review;
  }
}
