import fs from 'node:fs';

const HEADER =
  'number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at';

const pad = (n) => String(n).padStart(2, '0');
const stamp = (d) => `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

/**
 * Writes a ServiceNow audit-log export in the shape of the real one (same columns and conventions): `incidents`
 * incidents with `updates` rows each, spread over `groups` category/subcategory pairs and a year of dates.
 * Deterministic for a seed; streamed to disk in chunks, so a million rows need little memory.
 */
export function writeServiceNowFile(file, incidents, options = {}) {
  const updates = options.updates ?? 1;
  const groups = options.groups ?? Math.max(1, Math.floor(incidents / 50));
  let seed = options.seed ?? 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const fd = fs.openSync(file, 'w');
  let chunk = [HEADER];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < incidents; i++) {
    const number = `INC${String(i + 1).padStart(8, '0')}`;
    const group = Math.floor(random() * groups);
    const opened = new Date(start + Math.floor(random() * 365 * 86_400_000));
    const resolved = new Date(opened.getTime() + Math.floor(random() * 5 * 86_400_000));
    const priority = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low'][Math.floor(random() * 4)];
    for (let u = 0; u < updates; u++) {
      const state = u === updates - 1 ? 'Closed' : u === 0 ? 'New' : 'Active';
      const updated = new Date(opened.getTime() + u * 3_600_000);
      chunk.push(
        `${number},${state},${u < updates - 1 ? 'TRUE' : 'FALSE'},0,0,${u},TRUE,Caller ${i % 997},Opened by 1,${stamp(opened)},Created by 1,${stamp(opened)},Updated by 1,${stamp(updated)},Phone,Location ${i % 50},Category ${group % 40},Subcategory ${group},Symptom ${group % 90},?,2 - Medium,2 - Medium,${priority},Group ${i % 30},?,TRUE,FALSE,Do Not Notify,?,?,?,?,code 5,Resolved by 1,${stamp(resolved)},${stamp(resolved)}`,
      );
    }
    if (chunk.length >= 5000) {
      fs.writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  fs.closeSync(fd);
}
