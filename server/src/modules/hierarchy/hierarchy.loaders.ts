import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, type LoaderOptions } from '../../common/loader-utils.js';
import { findScope, type ScopeNode } from '../access/index.js';
import { MeasurePackage } from './measure-package.entity.js';
import { OrgUnit } from './org-unit.entity.js';
import { Program } from './program.entity.js';

export function createHierarchyLoaders(dataSource: DataSource, options: LoaderOptions = {}) {
  return {
    orgUnit: byIdLoader(dataSource, OrgUnit, options),
    program: byIdLoader(dataSource, Program, options),
    measurePackage: byIdLoader(dataSource, MeasurePackage, options),
    /** Any scope by id (organisation, unit, program or package), as a gate review names it. */
    scopeNode: new DataLoader<string, ScopeNode | null>((ids) => Promise.all(ids.map((id) => findScope(dataSource.manager, id))), options),
  };
}
