import type { EntityManager } from 'typeorm';
import { booleanArray, integerArray, textArray } from './sql-arrays.js';

/** What one import batch changed in one group: tickets and open tickets added (or taken back), per day. */
export interface GroupDelta {
  groupId: string;
  tickets: number;
  open: number;
  days: Map<string, number>;
}

/** A recurring-issue group as a batch's tickets name it. */
export interface GroupKey {
  signature: string;
  title: string;
  basis: string;
  category: string | null;
}

/**
 * The ids of the groups of a batch, by signature, creating those seen for the first time. One statement: the
 * groups that exist are read, the others inserted (ON CONFLICT covers an import running at the same time).
 */
export async function ensureGroups(manager: EntityManager, organisationId: string, groups: readonly GroupKey[]): Promise<Map<string, string>> {
  const signatures = textArray(groups.map((g) => g.signature));
  const rows: { id: string; signature: string }[] = await manager.query(
    `WITH wanted AS (
       SELECT * FROM unnest(CAST($2 AS text[]), CAST($3 AS text[]), CAST($4 AS text[]), CAST($5 AS text[])) AS x(signature, title, basis, category)),
     known AS (
       SELECT g.id, g.signature FROM ticket_group g JOIN wanted w ON g.organisation_id = $1 AND g.signature = w.signature),
     added AS (
       INSERT INTO ticket_group (organisation_id, signature, title, basis, category)
       SELECT $1, w.signature, w.title, w.basis, w.category FROM wanted w WHERE w.signature NOT IN (SELECT signature FROM known)
       ON CONFLICT (organisation_id, signature) DO NOTHING
       RETURNING id, signature)
     SELECT id, signature FROM known UNION ALL SELECT id, signature FROM added`,
    [organisationId, signatures, textArray(groups.map((g) => g.title)), textArray(groups.map((g) => g.basis)), textArray(groups.map((g) => g.category))],
  );
  const ids = new Map(rows.map((g) => [g.signature, g.id]));
  if (ids.size < groups.length) {
    // Created by a concurrent import after this statement's snapshot was taken: a new statement sees them.
    const late: { id: string; signature: string }[] = await manager.query(
      `SELECT id, signature FROM ticket_group WHERE organisation_id = $1 AND signature = ANY(CAST($2 AS text[]))`,
      [organisationId, textArray(groups.filter((g) => !ids.has(g.signature)).map((g) => g.signature))],
    );
    for (const g of late) ids.set(g.signature, g.id);
  }
  return ids;
}

/**
 * Applies a batch's deltas to its groups: the day histogram, the counts, the first and last day, and the most
 * tickets within any window of W days (the peak), which makes a group recurring once it reaches the
 * organisation's threshold N. Counts and windows are written by one UPDATE, so each group row gets one new
 * version per batch.
 *
 * The peak is recomputed from the histogram (never from the tickets), and only as far as it can have changed.
 * A group that only gained tickets ("grown") keeps every window it had and sees the ones that hold a day that
 * gained grow, so its new peak is the larger of the old one and the windows around those days: only the
 * histogram rows within W-1 days of them are read. A group that lost tickets anywhere, or every group when
 * `recomputeAll` is set (after N or W changed), is recomputed from its whole histogram.
 */
export async function refreshGroupWindows(manager: EntityManager, organisationId: string, deltas: GroupDelta[], recomputeAll = false): Promise<{ daysWritten: number }> {
  const dayRows = deltas.flatMap((d) => [...d.days].filter(([, n]) => n !== 0).map(([day, n]) => ({ group: d.groupId, day, n })));
  if (dayRows.length > 0) {
    await manager.query(
      `INSERT INTO ticket_group_day (group_id, day, count)
       SELECT g, d, n FROM unnest(CAST($1 AS uuid[]), CAST($2 AS date[]), CAST($3 AS integer[])) AS x(g, d, n)
       ON CONFLICT (group_id, day) DO UPDATE SET count = ticket_group_day.count + EXCLUDED.count`,
      [textArray(dayRows.map((r) => r.group)), textArray(dayRows.map((r) => r.day)), integerArray(dayRows.map((r) => r.n))],
    );
  }
  // Only a day that lost tickets can have dropped to zero.
  const shrunk = dayRows.filter((r) => r.n < 0);
  if (shrunk.length > 0) {
    await manager.query(
      `DELETE FROM ticket_group_day h USING unnest(CAST($1 AS uuid[]), CAST($2 AS date[])) AS x(g, d)
        WHERE h.group_id = x.g AND h.day = x.d AND h.count <= 0`,
      [textArray(shrunk.map((r) => r.group)), textArray(shrunk.map((r) => r.day))],
    );
  }
  const shrunkGroups = new Set(shrunk.map((r) => r.group));
  const grown = deltas.map((d) => !recomputeAll && !shrunkGroups.has(d.groupId));
  const risen = dayRows.filter((r) => r.n > 0 && !shrunkGroups.has(r.group));
  await manager.query(
    `WITH settings AS (SELECT recurring_threshold AS n, recurring_window_days AS w FROM organisation WHERE id = $2),
          delta AS (SELECT * FROM unnest(CAST($1 AS uuid[]), CAST($3 AS integer[]), CAST($4 AS integer[]), CAST($5 AS boolean[])) AS d(id, tickets, open, grown)),
          risen AS (SELECT * FROM unnest(CAST($6 AS uuid[]), CAST($7 AS date[])) AS r(group_id, day)),
          -- The histogram rows any changed window holds; UNION drops the overlaps of nearby risen days.
          span AS (
            SELECT h.group_id, h.day, h.count FROM delta d JOIN ticket_group_day h ON h.group_id = d.id WHERE NOT d.grown
            UNION
            SELECT h.group_id, h.day, h.count
              FROM risen r CROSS JOIN settings s
              JOIN ticket_group_day h ON h.group_id = r.group_id AND h.day BETWEEN r.day - (s.w - 1) AND r.day + (s.w - 1)),
          windows AS (
            SELECT group_id, day,
                   sum(count) OVER (PARTITION BY group_id ORDER BY day
                                    RANGE BETWEEN make_interval(days => (SELECT w FROM settings) - 1) PRECEDING AND CURRENT ROW) AS in_window
              FROM span),
          peaks AS (SELECT group_id, min(day) AS first_day, max(day) AS last_day, max(in_window) AS peak FROM windows GROUP BY group_id),
          next AS (
            SELECT d.id, d.tickets, d.open, d.grown, p.first_day, p.last_day, coalesce(p.peak, 0) AS peak
              FROM delta d LEFT JOIN peaks p ON p.group_id = d.id)
     UPDATE ticket_group g
        SET ticket_count = g.ticket_count + x.tickets, open_count = g.open_count + x.open, updated_at = now(),
            first_day = CASE WHEN x.grown THEN least(g.first_day, x.first_day) ELSE x.first_day END,
            last_day = CASE WHEN x.grown THEN greatest(g.last_day, x.last_day) ELSE x.last_day END,
            peak_window_count = CASE WHEN x.grown THEN greatest(g.peak_window_count, x.peak) ELSE x.peak END,
            recurring = CASE WHEN x.grown THEN greatest(g.peak_window_count, x.peak) ELSE x.peak END >= (SELECT n FROM settings)
       FROM next x
      WHERE g.id = x.id`,
    [
      textArray(deltas.map((d) => d.groupId)),
      organisationId,
      integerArray(deltas.map((d) => d.tickets)),
      integerArray(deltas.map((d) => d.open)),
      booleanArray(grown),
      textArray(risen.map((r) => r.group)),
      textArray(risen.map((r) => r.day)),
    ],
  );
  return { daysWritten: dayRows.length };
}

/** After N or W changed, every group's recurring flag is re-derived from its histogram. */
export async function recomputeAllGroupWindows(manager: EntityManager, organisationId: string): Promise<void> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM ticket_group WHERE organisation_id = $1`, [organisationId]);
  for (let i = 0; i < rows.length; i += 5000) {
    await refreshGroupWindows(
      manager,
      organisationId,
      rows.slice(i, i + 5000).map((r) => ({ groupId: r.id, tickets: 0, open: 0, days: new Map() })),
      true,
    );
  }
}
