import type { MeasureGateFacts } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import type { Loaders } from '../loaders.js';
import { loadGateFacts } from './gate-facts.js';
import { currentGateTemplate } from './gate-templates.service.js';
import { GateRequest, type GateTemplateRow } from './governance.entities.js';

/**
 * Where the gate checks of a read (`nextGate`, `viewerCan`, a request's criteria and decidability) get their facts:
 * the request's DataLoaders, so a page of measures costs one statement for all their facts instead of one per row;
 * or direct statements, for a single measure outside a GraphQL request (the review pack).
 */
export interface GateSources {
  facts(measureId: string): Promise<MeasureGateFacts>;
  template(organisationId: string): Promise<GateTemplateRow>;
  requests(measureId: string): Promise<GateRequest[]>;
}

export function loaderGateSources(loaders: Pick<Loaders, 'gateFacts' | 'gateTemplate' | 'gateRequestsByMeasure'>): GateSources {
  return {
    facts: (id) => loaders.gateFacts.load(id),
    template: (org) => loaders.gateTemplate.load(org),
    requests: (id) => loaders.gateRequestsByMeasure.load(id),
  };
}

export function directGateSources(manager: EntityManager): GateSources {
  return {
    facts: (id) => loadGateFacts(manager, id),
    template: (org) => currentGateTemplate(manager, org),
    requests: (measureId) => manager.getRepository(GateRequest).find({ where: { measureId }, order: { requestedAt: 'DESC' } }),
  };
}
