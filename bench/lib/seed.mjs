/**
 * Seeds a large organisation inside the database itself (generate_series, no per-row round trips): org units,
 * programs, packages, people, measures with 24 months of plan, forecast and actual, milestones, history, pending
 * gate requests, and tickets in recurring groups. Runs after the migrations and the bootstrap of an organisation.
 */
export async function seedPortfolio(ds, orgId, { measures, tickets = 0, groups = 0 }) {
  const units = Math.max(2, Math.round(measures / 5000));
  const packages = Math.max(4, Math.round(measures / 100));
  const programs = Math.max(2, Math.round(packages / 10));
  const q = (sql, params = []) => ds.query(sql, params);
  await q(`INSERT INTO app_user (organisation_id, email, name, password_hash)
           SELECT $1, 'owner' || i || '@bench.example', 'Owner ' || i, 'x' FROM generate_series(1, 200) i`, [orgId]);
  await q(`INSERT INTO role_grant (user_id, role, scope_id, scope_kind)
           SELECT id, 'OWNER', $1, 'ORGANISATION' FROM app_user WHERE email LIKE 'owner%@bench.example'`, [orgId]);
  // Top units, each with one sub-unit that holds the programs.
  await q(`INSERT INTO org_unit (id, organisation_id, name, path)
           SELECT u, $1, 'Unit ' || i, ARRAY[$1::uuid, u] FROM (SELECT i, gen_random_uuid() AS u FROM generate_series(1, $2) i) x`, [orgId, units]);
  await q(`INSERT INTO org_unit (id, organisation_id, parent_id, name, path)
           SELECT gen_random_uuid(), organisation_id, id, name || ' operations', path FROM org_unit WHERE organisation_id = $1 AND parent_id IS NULL`, [orgId]);
  await q(`UPDATE org_unit SET path = path || id WHERE organisation_id = $1 AND parent_id IS NOT NULL`, [orgId]);
  await q(`INSERT INTO program (id, organisation_id, org_unit_id, name, path)
           SELECT p, $1, u.id, 'Program ' || i, u.path || p
             FROM (SELECT i, gen_random_uuid() AS p, row_number() OVER () AS rn FROM generate_series(1, $2) i) x
             JOIN (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS k FROM org_unit WHERE organisation_id = $1 AND parent_id IS NOT NULL) u
               ON u.k = (x.rn - 1) % $3`, [orgId, programs, units]);
  await q(`INSERT INTO measure_package (id, organisation_id, program_id, name, path)
           SELECT k, $1, p.id, 'Package ' || i, p.path || k
             FROM (SELECT i, gen_random_uuid() AS k FROM generate_series(1, $2) i) x
             JOIN (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS n FROM program WHERE organisation_id = $1) p ON p.n = (x.i - 1) % $3`,
    [orgId, packages, programs]);
  await q(`WITH owners AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM app_user WHERE email LIKE 'owner%@bench.example'),
                pkgs AS (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS n FROM measure_package WHERE organisation_id = $1)
           INSERT INTO measure (organisation_id, package_id, path, seq, code, title, description, lever, owner_id, doi, state, rough_potential, created_at, updated_at)
           SELECT $1, k.id, k.path, i, 'M-' || lpad(i::text, 5, '0'), 'Measure ' || i || ' — reduce recurring effort', '', 'COST_REDUCTION', o.id,
                  1 + i % 5, CASE WHEN i % 5 = 4 THEN 'CLOSED' WHEN i % 37 = 0 THEN 'CANCELLED' WHEN i % 41 = 0 THEN 'ON_HOLD' ELSE 'ACTIVE' END,
                  (1000 + i % 9000) * 12, now() - make_interval(days => i % 400), now() - make_interval(days => i % 30)
             FROM generate_series(1, $2) i
             JOIN pkgs k ON k.n = (i - 1) % $3
             JOIN owners o ON o.n = i % 200`, [orgId, measures, packages]);
  await q(`UPDATE organisation SET measure_seq = $2 WHERE id = $1`, [orgId, measures]);
  // 24 months x plan, forecast, actual (actuals for the past 12 months only).
  await q(`INSERT INTO measure_value (measure_id, kind, month, amount)
           SELECT m.id, k.kind, (date_trunc('month', now()) - make_interval(months => 12) + make_interval(months => g))::date,
                  (1000 + m.seq % 9000) * CASE k.kind WHEN 'PLAN' THEN 1.0 WHEN 'FORECAST' THEN 0.9 ELSE 0.85 END
             FROM measure m CROSS JOIN generate_series(0, 23) g
             CROSS JOIN (VALUES ('PLAN'), ('FORECAST'), ('ACTUAL')) AS k(kind)
            WHERE m.organisation_id = $1`, [orgId]);
  await q(`INSERT INTO milestone (measure_id, title, due_on, done_on)
           SELECT m.id, t.title, now() + make_interval(days => (m.seq % 120) - 60 + t.o), CASE WHEN m.doi >= 4 THEN now() END
             FROM measure m CROSS JOIN (VALUES ('Design', 0), ('Roll-out', 45)) AS t(title, o) WHERE m.organisation_id = $1`, [orgId]);
  await q(`WITH per_month AS (
             SELECT measure_id, month, max(amount) FILTER (WHERE kind = 'PLAN') AS plan, max(amount) FILTER (WHERE kind = 'FORECAST') AS forecast,
                    max(amount) FILTER (WHERE kind = 'ACTUAL') AS actual
               FROM measure_value v JOIN measure m ON m.id = v.measure_id WHERE m.organisation_id = $1 GROUP BY measure_id, month),
           totals AS (SELECT measure_id, sum(plan) AS plan, sum(coalesce(actual, forecast, plan)) AS latest, coalesce(sum(actual), 0) AS actual
                        FROM per_month GROUP BY measure_id)
           UPDATE measure m SET plan_total = t.plan, forecast_total = t.latest, actual_total = t.actual, annual_potential = t.plan / 2,
                  next_due_on = CASE WHEN m.state IN ('ACTIVE', 'ON_HOLD') THEN (SELECT min(due_on) FROM milestone s WHERE s.measure_id = m.id AND s.done_on IS NULL) END
             FROM totals t WHERE t.measure_id = m.id`, [orgId]);
  await q(`INSERT INTO measure_history (measure_id, organisation_id, path, at, doi, state, value, event)
           SELECT id, organisation_id, path, created_at, doi, state, annual_potential, 'CREATED' FROM measure WHERE organisation_id = $1`, [orgId]);
  await q(`INSERT INTO gate_request (organisation_id, measure_id, path, from_doi, to_doi, requested_by)
           SELECT organisation_id, id, path, doi, doi + 1, owner_id FROM measure
            WHERE organisation_id = $1 AND state = 'ACTIVE' AND doi BETWEEN 1 AND 3 AND seq % 50 = 0`, [orgId]);
  if (tickets > 0) {
    await q(`INSERT INTO ticket_group (organisation_id, signature, title, basis, category)
             SELECT $1, 's:category ' || (i % 40) || ' / subcategory ' || i || ' / - / -', 'Category ' || (i % 40) || ' / Subcategory ' || i, 'STRUCTURED', 'Category ' || (i % 40)
               FROM generate_series(0, $2 - 1) i`, [orgId, groups]);
    await q(`WITH g AS (SELECT id, row_number() OVER (ORDER BY signature) - 1 AS n FROM ticket_group WHERE organisation_id = $1)
             INSERT INTO ticket (organisation_id, source, external_id, summary, category, subcategory, priority, state, opened_at, resolved_at,
                                 revision, group_id, resolution_due_at)
             SELECT $1, 'SERVICENOW', 'INC' || lpad(i::text, 8, '0'), 'Recurring issue ' || (i % $3), 'Category ' || (i % $3 % 40),
                    'Subcategory ' || (i % $3), 'MODERATE', 'Closed', now() - make_interval(days => i % 365),
                    now() - make_interval(days => i % 365) + interval '2 days', 1, g.id, now() - make_interval(days => i % 365) + interval '3 days'
               FROM generate_series(1, $2) i JOIN g ON g.n = i % $3`, [orgId, tickets, groups]);
    await q(`INSERT INTO ticket_group_day (group_id, day, count)
             SELECT group_id, (opened_at AT TIME ZONE 'UTC')::date, count(*) FROM ticket WHERE organisation_id = $1 GROUP BY 1, 2`, [orgId]);
    await q(`UPDATE ticket_group g SET ticket_count = s.n, first_day = s.f, last_day = s.l, peak_window_count = s.n, recurring = s.n >= 5
               FROM (SELECT group_id, sum(count) AS n, min(day) AS f, max(day) AS l FROM ticket_group_day GROUP BY group_id) s WHERE g.id = s.group_id`);
  }
  await q(`ANALYZE`);
  const [{ n }] = await q(`SELECT count(*)::int AS n FROM measure WHERE organisation_id = $1`, [orgId]);
  return { measures: n, units, programs, packages };
}
