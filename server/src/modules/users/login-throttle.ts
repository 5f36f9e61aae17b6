import { createHash } from 'node:crypto';
import { ErrorCode } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/domain-error.js';
import type { LoginThrottleConfig } from '../../config/config.js';

/**
 * Failed sign-ins, kept in the database (`login_throttle`) so that every instance behind a load balancer sees the
 * same counts and a restart forgets nothing. Two kinds of key:
 *
 * - `pair:` one account from one client address. After `failuresBeforeDelay` failures each further attempt must
 *   wait 1 s, 2 s, 4 s … (capped at `maxDelaySeconds`) after the last failure; the count is forgotten after a
 *   window without failures. Its `window_started_at` is the time of the last failure. A guesser thus slows down
 *   only themselves: the account still signs in from any other address (no account-wide lockout that anyone could
 *   set off against the admin).
 * - `address:` one client address across accounts, a fixed window: at `maxFailuresPerAddress` the address gets
 *   RATE_LIMITED until the window ends.
 *
 * The account part of a pair is a hash of the normalised e-mail, known or not: unknown and real accounts are
 * throttled alike, and the table holds no e-mail addresses of people who mistyped theirs.
 *
 * Two guesses racing past the check together can both be counted after it; the overshoot is bounded by the
 * connection pool and does not matter against delays meant for thousands of guesses.
 */
export class LoginThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: LoginThrottleConfig,
  ) {}

  /** Throws RATE_LIMITED (with `retryAfterSeconds`) while this pair must wait or the address is over its limit. */
  async check(email: string, address: string | undefined): Promise<void> {
    const pair = pairKey(email, address);
    const rows: { key: string; failures: number; age: number }[] = await this.dataSource.query(
      `SELECT key, failures, extract(epoch FROM now() - window_started_at)::float8 AS age
         FROM login_throttle
        WHERE key = ANY($1) AND window_started_at > now() - make_interval(mins => $2)`,
      [[pair, ...(address ? [addressKey(address)] : [])], this.config.windowMinutes],
    );
    let wait = 0;
    for (const row of rows) {
      if (row.key === pair) wait = Math.max(wait, this.delaySeconds(row.failures) - row.age);
      else if (row.failures >= this.config.maxFailuresPerAddress) wait = Math.max(wait, this.config.windowMinutes * 60 - row.age);
    }
    if (wait > 0) {
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed sign-ins: try again later', { retryAfterSeconds: Math.max(1, Math.ceil(wait)) });
    }
  }

  async recordFailure(email: string, address: string | undefined): Promise<void> {
    const pair = pairKey(email, address);
    const keys = [pair, ...(address ? [addressKey(address)] : [])];
    // A pair's timestamp moves with every failure (delays run from the last one); an address keeps its window start.
    await this.dataSource.query(
      `INSERT INTO login_throttle (key, failures, window_started_at)
       SELECT k, 1, now() FROM unnest(CAST($1 AS text[])) AS k
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_started_at <= now() - make_interval(mins => $2) THEN 1 ELSE login_throttle.failures + 1 END,
         window_started_at = CASE WHEN login_throttle.key = $3 OR login_throttle.window_started_at <= now() - make_interval(mins => $2) THEN now() ELSE login_throttle.window_started_at END`,
      [keys, this.config.windowMinutes, pair],
    );
    // Expired windows say nothing any more; dropping them here keeps the table as small as the attack.
    await this.dataSource.query(`DELETE FROM login_throttle WHERE window_started_at <= now() - make_interval(mins => $1)`, [this.config.windowMinutes]);
  }

  /** A successful sign-in clears its pair; the address keeps its count (one good password says little). */
  async recordSuccess(email: string, address: string | undefined): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [pairKey(email, address)]);
  }

  /** Seconds a pair must wait after its last failure: none up to the free failures, then doubling, capped. */
  private delaySeconds(failures: number): number {
    if (failures < this.config.failuresBeforeDelay) return 0;
    // Below the window, or the count would be forgotten before the wait is over.
    const cap = Math.min(this.config.maxDelaySeconds, this.config.windowMinutes * 60 - 1);
    return Math.min(cap, 2 ** Math.min(30, failures - this.config.failuresBeforeDelay));
  }
}

function pairKey(email: string, address: string | undefined): string {
  return `pair:${createHash('sha256').update(`${email.trim().toLowerCase()}\n${address ?? ''}`).digest('hex')}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}
