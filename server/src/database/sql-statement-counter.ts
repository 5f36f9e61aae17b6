import type { Logger, QueryRunner } from 'typeorm';
import { logger } from '../observability/logger.js';

/**
 * Counts the SQL statements the application sends (tests and benchmarks read it to prove that list queries do
 * not issue a query per row) and logs failed statements without their parameters, which may hold personal data.
 */
export class SqlStatementCounter implements Logger {
  count = 0;

  constructor(private readonly logErrors: boolean) {}

  logQuery(_query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.count++;
  }

  logQueryError(error: string | Error, query: string): void {
    this.count++;
    if (this.logErrors) logger.error({ error: error instanceof Error ? error.message : String(error), sql: query.slice(0, 500) }, 'SQL error');
  }

  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
