import type { DataSource } from 'typeorm';
import { byIdLoader, type LoaderOptions } from '../../common/loader-utils.js';
import { MeasurePackage } from './measure-package.entity.js';
import { OrgUnit } from './org-unit.entity.js';
import { Program } from './program.entity.js';

export function createHierarchyLoaders(dataSource: DataSource, options: LoaderOptions = {}) {
  return {
    orgUnit: byIdLoader(dataSource, OrgUnit, options),
    program: byIdLoader(dataSource, Program, options),
    measurePackage: byIdLoader(dataSource, MeasurePackage, options),
  };
}
