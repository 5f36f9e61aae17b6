import type { DataSource } from 'typeorm';
import type { LoaderOptions } from '../common/loader-utils.js';
import { createAuditLoaders } from './audit/audit-entity.js';
import { createGovernanceLoaders } from './governance/governance.loaders.js';
import { createHierarchyLoaders } from './hierarchy/hierarchy.loaders.js';
import { createMeasureLoaders } from './measures/measures.loaders.js';
import { createTicketLoaders } from './tickets/tickets.loaders.js';
import { createTicketScopeLoaders } from './tickets/ticket-scope.loaders.js';
import { createUserLoaders } from './users/users.loaders.js';

export type { LoaderOptions };

/**
 * Per-request DataLoaders. A subscription's context lives as long as the subscription, so its loaders batch
 * but never cache (`cache: false`): each event reads fresh data.
 */
export function createLoaders(dataSource: DataSource, options: LoaderOptions = {}) {
  return {
    ...createUserLoaders(dataSource, options),
    ...createHierarchyLoaders(dataSource, options),
    ...createMeasureLoaders(dataSource, options),
    ...createGovernanceLoaders(dataSource, options),
    ...createTicketLoaders(dataSource, options),
    ...createTicketScopeLoaders(dataSource, options),
    ...createAuditLoaders(dataSource, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
