import { createHash } from 'node:crypto';
import { ErrorCode } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/domain-error.js';
import type { LoginThrottleConfig } from '../../config/config.js';

/**
 * Failed sign-ins counted per account and per client address in a fixed window, kept in the database
 * (`login_throttle`) so that every instance behind a load balancer sees the same counts and a restart forgets
 * nothing. Once a key reaches its limit, sign-in answers RATE_LIMITED without checking the password until the
 * window ends. The account key is a hash of the normalised e-mail, known or not: unknown and real accounts are
 * throttled alike, and the table holds no addresses of people who mistyped theirs.
 *
 * Two guesses racing past the check together can both be counted after it; the overshoot is bounded by the
 * connection pool and does not matter against a limit meant for thousands of guesses.
 */
export class LoginThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: LoginThrottleConfig,
  ) {}

  /** Throws RATE_LIMITED while the account or the address is over its limit. */
  async check(email: string, address: string | undefined): Promise<void> {
    const keys = this.keys(email, address);
    const rows: { key: string; failures: number; retry_after: number }[] = await this.dataSource.query(
      `SELECT key, failures, ceil(extract(epoch FROM window_started_at + make_interval(mins => $2) - now()))::int AS retry_after
         FROM login_throttle
        WHERE key = ANY($1) AND window_started_at > now() - make_interval(mins => $2)`,
      [keys.map((k) => k.key), this.config.windowMinutes],
    );
    for (const row of rows) {
      const limit = keys.find((k) => k.key === row.key)!.limit;
      if (row.failures >= limit) {
        throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed sign-ins: try again later', {
          retryAfterSeconds: Math.max(1, row.retry_after),
        });
      }
    }
  }

  async recordFailure(email: string, address: string | undefined): Promise<void> {
    const keys = this.keys(email, address).map((k) => k.key);
    await this.dataSource.query(
      `INSERT INTO login_throttle (key, failures, window_started_at)
       SELECT k, 1, now() FROM unnest(CAST($1 AS text[])) AS k
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_started_at <= now() - make_interval(mins => $2) THEN 1 ELSE login_throttle.failures + 1 END,
         window_started_at = CASE WHEN login_throttle.window_started_at <= now() - make_interval(mins => $2) THEN now() ELSE login_throttle.window_started_at END`,
      [keys, this.config.windowMinutes],
    );
    // Expired windows say nothing any more; dropping them here keeps the table as small as the attack.
    await this.dataSource.query(`DELETE FROM login_throttle WHERE window_started_at <= now() - make_interval(mins => $1)`, [this.config.windowMinutes]);
  }

  /** A successful sign-in clears the account's count; the address keeps its count (one good password says little). */
  async recordSuccess(email: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [accountKey(email)]);
  }

  private keys(email: string, address: string | undefined) {
    const keys = [{ key: accountKey(email), limit: this.config.maxFailuresPerAccount }];
    if (address) keys.push({ key: `address:${address}`, limit: this.config.maxFailuresPerAddress });
    return keys;
  }
}

function accountKey(email: string): string {
  return `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}
