import { type DataSource } from 'typeorm';
import { Measure } from './measure.entity.js';
import { byIdLoader, manyLoader, type LoaderOptions } from '../../common/loader-utils.js';
import { MeasureValue } from './measure-value.entity.js';
import { Milestone } from './milestone.entity.js';

export function createMeasureLoaders(dataSource: DataSource, options: LoaderOptions = {}) {
  return {
    measure: byIdLoader(dataSource, Measure, options),
    valuesByMeasure: manyLoader(dataSource, MeasureValue, 'measureId', { kind: 'ASC', month: 'ASC' }, options),
    milestonesByMeasure: manyLoader(dataSource, Milestone, 'measureId', { dueOn: 'ASC' }, options),
  };
}
