import DataLoader from 'dataloader';
import { In, IsNull, type DataSource } from 'typeorm';
import { byIdLoader, groupBy, manyLoader, type LoaderOptions } from '../../common/loader-utils.js';
import type { MeasureGateFacts } from '@gatehouse/shared';
import { loadGateFactsOf } from './gate-facts.js';
import { currentGateTemplate } from './gate-templates.service.js';
import { Evidence, GateCondition, GateRequest, GateReview, MeasureComment, SignOff, type GateTemplateRow } from './governance.entities.js';

export function createGovernanceLoaders(ds: DataSource, options: LoaderOptions = {}) {
  return {
    gateRequestsByMeasure: manyLoader(ds, GateRequest, 'measureId', { requestedAt: 'DESC' }, options),
    conditionsByRequest: manyLoader(ds, GateCondition, 'gateRequestId', { dueOn: 'ASC' }, options),
    conditionsByMeasure: manyLoader(ds, GateCondition, 'measureId', { dueOn: 'ASC' }, options),
    evidenceByMeasure: manyLoader(ds, Evidence, 'measureId', { createdAt: 'DESC' }, options),
    commentsByMeasure: manyLoader(ds, MeasureComment, 'measureId', { createdAt: 'ASC' }, options),
    agendaByReview: manyLoader(ds, GateRequest, 'reviewId', { requestedAt: 'ASC' }, options),
    decisionsByReview: manyLoader(ds, GateRequest, 'decidedInReviewId', { decidedAt: 'ASC' }, options),
    gateReview: byIdLoader(ds, GateReview, options),
    gateRequest: byIdLoader(ds, GateRequest, options),
    /** The gate facts of every measure a request asks `nextGate`, `viewerCan` or a criterion about: one statement. */
    gateFacts: new DataLoader<string, MeasureGateFacts>(async (ids) => {
      const facts = await loadGateFactsOf(ds.manager, ids);
      return ids.map((id) => facts.get(id) ?? new Error(`no measure ${id}`));
    }, options),
    gateTemplate: new DataLoader<string, GateTemplateRow>((orgs) => Promise.all(orgs.map((org) => currentGateTemplate(ds.manager, org))), options),
    activeSignOffByMeasure: new DataLoader<string, SignOff | null>(async (ids) => {
      const rows = await ds.getRepository(SignOff).findBy({ measureId: In([...ids]), reopenedAt: IsNull() });
      return ids.map((id) => rows.find((r) => r.measureId === id) ?? null);
    }, options),
    participantsByReview: new DataLoader<string, string[]>(async (ids) => {
      const rows: { review_id: string; user_id: string }[] = await ds.query(
        `SELECT review_id, user_id FROM gate_review_participant WHERE review_id = ANY(CAST($1 AS uuid[]))`,
        [[...ids]],
      );
      return groupBy(rows, (r) => r.review_id, ids).map((list) => list.map((r) => r.user_id));
    }, options),
  };
}
