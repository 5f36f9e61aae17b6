import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins per account and per client address, shared by every instance (see LoginThrottle).
 */
export class LoginThrottle1764500000000 implements MigrationInterface {
  name = 'LoginThrottle1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY CHECK (length(key) <= 200),
        failures integer NOT NULL CHECK (failures > 0),
        window_started_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX login_throttle_window_idx ON login_throttle (window_started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
  }
}
