import type { DataSource } from 'typeorm';
import { byIdLoader, manyLoader, type LoaderOptions } from '../../common/loader-utils.js';
import { RoleGrant } from './role-grant.entity.js';
import { User } from './user.entity.js';

export function createUserLoaders(dataSource: DataSource, options: LoaderOptions = {}) {
  return {
    user: byIdLoader(dataSource, User, options),
    grantsByUser: manyLoader(dataSource, RoleGrant, 'userId', { createdAt: 'ASC' }, options),
  };
}
