import { openDatabase as openWith, type Database, type DatabaseTarget } from './database/database.js';
import { entities } from './modules/entities.js';

export { databaseTarget, type Database, type DatabaseTarget } from './database/database.js';

/**
 * The application's database: the database layer knows no feature, so the composition hands it the entities
 * the features map. Every process (server, command lines, tests, benchmarks) opens its database here.
 */
export function openDatabase(target: DatabaseTarget, options: { logErrors?: boolean } = {}): Promise<Database> {
  return openWith(target, { ...options, entities });
}
