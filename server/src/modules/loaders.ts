import type { DataSource } from 'typeorm';
import type { LoaderOptions } from '../common/loader-utils.js';
import { createAuditLoaders } from './audit/index.js';
import { createGovernanceLoaders } from './governance/index.js';
import { createHierarchyLoaders } from './hierarchy/index.js';
import { createMeasureLoaders } from './measures/index.js';
import { createTicketLoaders } from './tickets/index.js';
import { createUserLoaders } from './users/index.js';

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
    ...createAuditLoaders(dataSource, options),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
