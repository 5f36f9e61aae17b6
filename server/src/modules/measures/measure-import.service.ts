import {
  checkMeasurePeople,
  isAllowed,
  isMonth,
  Lever,
  MeasureState,
  moneyToCents,
  normaliseMoney,
  parseLocaleAmount,
  Role,
  ValueKind,
  type Action,
  type MeasureImportIssue,
  type MeasureImportReport,
  type MeasureImportRowPlan,
} from '@gatehouse/shared';
import { In, type DataSource } from 'typeorm';
import { DomainError } from '../../common/domain-error.js';
import { inTransaction, txActor, type Tx } from '../../common/transaction.js';
import type { Actor } from '../access/index.js';
import { MeasurePackage } from '../hierarchy/index.js';
import { Measure } from './measure.entity.js';
import { visibleMeasures } from './measure-list.query.js';
import { readMeasureSheet, valueColumnName, writeMeasureCsv, writeMeasureXlsx, MEASURE_COLUMNS, type MeasureSheet, type SheetRow } from './measure-sheet.js';
import type { MeasuresService } from './measures.service.js';
import type { MeasureValueInput, UpdateMeasureInput } from './measures.inputs.js';
import { Milestone } from './milestone.entity.js';

/** Measures written in one transaction: a failure rolls back this many at most, and progress moves after each. */
export const IMPORT_BATCH = 25;
/** A report lists at most this many row plans and bad rows; its counts are always complete. */
const REPORT_LIMIT = 2000;

export interface MeasureImportOptions {
  dryRun: boolean;
  batchSize?: number;
  /** After each batch: rows done of all rows. */
  onProgress?: (done: number, total: number) => void;
}

interface MilestoneCell {
  title: string;
  dueOn: Date;
  doneOn: Date | null;
}

/** A row as read, each cell checked on its own; undefined means the cell was empty (no change). */
interface RowInput {
  row: number;
  code?: string;
  packageRef?: string;
  title?: string;
  lever?: Lever;
  owner?: string;
  sponsor?: string;
  controller?: string;
  roughPotential?: string;
  businessCase?: string;
  description?: string;
  doi?: number;
  state?: MeasureState;
  milestones: MilestoneCell[];
  values: (MeasureValueInput & { column: string })[];
}

/** A good row and what writing it takes. */
interface RowWork {
  input: RowInput;
  plan: MeasureImportRowPlan;
  create?: { packageId: string; ownerId: string; sponsorId: string | null; controllerId: string | null };
  measure?: Measure;
  fields: UpdateMeasureInput;
  values: MeasureValueInput[];
  milestoneAdds: MilestoneCell[];
  milestoneUpdates: (MilestoneCell & { id: string })[];
}

const LEVERS = new Set<string>(Object.values(Lever));
const STATES = new Set<string>(Object.values(MeasureState));
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');

function parseDay(text: string): Date | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day(date) === text && Number(m[1]) >= 1900 && Number(m[1]) <= 2200 ? date : null;
}

class Issues {
  readonly list: MeasureImportIssue[] = [];
  readonly badRows = new Set<number>();
  add(row: number, column: string | null, code: MeasureImportIssue['code'], reason: string): void {
    this.badRows.add(row);
    this.list.push({ row, column, code, reason });
  }
}

/**
 * Bulk import and export of measures from a spreadsheet (measure-sheet.ts). The import is idempotent by the
 * measure's code (a row without a code matches the measure of the same title in its package, else creates one),
 * never changes what an empty cell leaves out, and writes through MeasuresService, so every rule of the API holds:
 * scope and roles (a row the importer may not write is a FORBIDDEN bad row), segregation of duties, values locked
 * on a closed measure, and the DoI and state moving only through gates. Everything the rows refer to is looked up
 * in a few statements for the whole file; a dry run stops there and reports what would be created and changed.
 */
export class MeasureImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly measures: MeasuresService,
  ) {}

  async importFile(actor: Actor, bytes: Buffer, options: MeasureImportOptions): Promise<MeasureImportReport> {
    return this.importSheet(actor, await readMeasureSheet(bytes), options);
  }

  async importSheet(actor: Actor, sheet: MeasureSheet, options: MeasureImportOptions): Promise<MeasureImportReport> {
    const issues = new Issues();
    const inputs = sheet.rows.map((r) => readRow(r, issues));
    const work = await this.plan(actor, inputs, issues);
    const report: MeasureImportReport = { dryRun: options.dryRun, rows: sheet.rows.length, created: 0, updated: 0, unchanged: 0, rejected: 0, plans: [], issues: [] };
    const good = work.filter((w) => !issues.badRows.has(w.input.row));
    if (!options.dryRun) {
      const pending = good.filter((w) => w.plan.action !== 'unchanged');
      const size = options.batchSize ?? IMPORT_BATCH;
      options.onProgress?.(0, pending.length);
      for (let i = 0; i < pending.length; i += size) {
        const batch = pending.slice(i, i + size);
        try {
          await inTransaction(this.dataSource, txActor(actor), async (tx) => {
            for (const w of batch) await this.write(tx, actor, w);
          });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          // One row of the batch was refused (someone changed a measure meanwhile): write them one by one.
          for (const w of batch) {
            try {
              await inTransaction(this.dataSource, txActor(actor), (tx) => this.write(tx, actor, w));
            } catch (rowError) {
              if (!(rowError instanceof DomainError)) throw rowError;
              issues.add(w.input.row, null, issueCode(rowError.code), rowError.message);
            }
          }
        }
        options.onProgress?.(Math.min(i + size, pending.length), pending.length);
      }
    } else options.onProgress?.(good.length, good.length);
    for (const w of good) {
      if (issues.badRows.has(w.input.row)) continue;
      if (w.plan.action === 'create') report.created++;
      else if (w.plan.action === 'update') report.updated++;
      else report.unchanged++;
      if (w.plan.action !== 'unchanged' && report.plans.length < REPORT_LIMIT) report.plans.push(w.plan);
    }
    report.rejected = issues.badRows.size;
    report.issues = issues.list.sort((a, b) => a.row - b.row).slice(0, REPORT_LIMIT);
    return report;
  }

  /** Resolves every row against the database in a few statements and decides what it does. */
  private async plan(actor: Actor, inputs: RowInput[], issues: Issues): Promise<RowWork[]> {
    const orgId = actor.organisation.id;
    const manager = this.dataSource.manager;
    const codes = [...new Set(inputs.flatMap((i) => (i.code ? [i.code] : [])))];
    const packages = await manager.getRepository(MeasurePackage).findBy({ organisationId: orgId });
    const byCode = new Map((codes.length ? await manager.getRepository(Measure).findBy({ organisationId: orgId, code: In(codes) }) : []).map((m) => [m.code, m]));
    // A row names its package by id or by name (names may repeat across programs): both looked up in maps, not scans.
    const packagesByKey = new Map<string, MeasurePackage[]>();
    for (const p of packages) {
      for (const key of new Set([p.id, p.name.trim().toLowerCase()])) packagesByKey.set(key, [...(packagesByKey.get(key) ?? []), p]);
    }
    const packageOf = (ref: string): MeasurePackage[] => [...new Set([...(packagesByKey.get(ref) ?? []), ...(packagesByKey.get(ref.toLowerCase()) ?? [])])];
    const titled = inputs.filter((i) => !i.code && i.title && i.packageRef);
    const sameTitle = titled.length
      ? await manager.getRepository(Measure).findBy({
          organisationId: orgId,
          packageId: In([...new Set(titled.flatMap((i) => packageOf(i.packageRef!).map((p) => p.id)))]),
          title: In([...new Set(titled.map((i) => i.title!))]),
        })
      : [];
    const emails = [...new Set(inputs.flatMap((i) => [i.owner, i.sponsor, i.controller].filter((e): e is string => !!e)))];
    const users: { id: string; email: string }[] = emails.length
      ? await manager.query(`SELECT id, lower(email) AS email FROM app_user WHERE organisation_id = $1 AND active AND lower(email) = ANY($2)`, [orgId, emails])
      : [];
    const userByEmail = new Map(users.map((u) => [u.email, u.id]));
    const emailById = new Map(users.map((u) => [u.id, u.email]));
    const matched = [...byCode.values(), ...sameTitle];
    const ids = [...new Set(matched.map((m) => m.id))];
    const values: { measure_id: string; kind: ValueKind; month: string; amount: string }[] = ids.length
      ? await manager.query(`SELECT measure_id, kind, to_char(month, 'YYYY-MM') AS month, amount FROM measure_value WHERE measure_id = ANY($1)`, [ids])
      : [];
    const valueOf = new Map(values.map((v) => [`${v.measure_id}:${v.kind}:${v.month}`, normaliseMoney(v.amount)]));
    const milestones = ids.length ? await manager.getRepository(Milestone).find({ where: { measureId: In(ids) }, order: { dueOn: 'ASC', id: 'ASC' } }) : [];
    const milestonesOf = groupBy(milestones, (m) => m.measureId);
    const titledIn = groupBy(sameTitle, (m) => `${m.packageId}:${m.title}`);
    const people = [...new Set([...userByEmail.values(), ...matched.flatMap((m) => [m.sponsorId, m.controllerId].filter((id): id is string => !!id))])];
    const grants: { user_id: string; role: Role; scope_id: string }[] = people.length
      ? await manager.query(`SELECT g.user_id, g.role, g.scope_id FROM role_grant g JOIN app_user u ON u.id = g.user_id AND u.active WHERE g.user_id = ANY($1)`, [people])
      : [];
    const grantsOf = groupBy(grants, (g) => g.user_id);
    const rolesOn = (userId: string | null, path: readonly string[]) =>
      new Set(userId ? (grantsOf.get(userId) ?? []).filter((g) => path.includes(g.scope_id)).map((g) => g.role) : []);
    const may = (action: Action, target: Parameters<typeof isAllowed>[2]) => isAllowed(action, actor, target);

    const claimed = new Map<string, number>();
    const out: RowWork[] = [];
    for (const input of inputs) {
      const row = input.row;
      const bad = (column: string | null, code: MeasureImportIssue['code'], reason: string) => issues.add(row, column, code, reason);
      const person = (email: string | undefined, column: string): string | null | undefined => {
        if (!email) return undefined;
        const id = userByEmail.get(email);
        if (!id) bad(column, 'NOT_FOUND', `no active user has the e-mail address ${email}`);
        return id ?? null;
      };
      const ownerId = person(input.owner, 'owner');
      const sponsorId = person(input.sponsor, 'sponsor');
      const controllerId = person(input.controller, 'controller');
      let pkg: MeasurePackage | undefined;
      if (input.packageRef) {
        const found = packageOf(input.packageRef);
        if (found.length === 0) bad('package', 'NOT_FOUND', `no measure package is named "${input.packageRef}"`);
        else if (found.length > 1) bad('package', 'BAD_USER_INPUT', `several packages are named "${input.packageRef}": give the package's id instead`);
        else pkg = found[0];
      }
      let measure: Measure | undefined;
      if (input.code) {
        measure = byCode.get(input.code);
        if (!measure) bad('code', 'NOT_FOUND', `there is no measure ${input.code}; leave the code empty to create a measure`);
      } else if (pkg && input.title) {
        const same = titledIn.get(`${pkg.id}:${input.title}`) ?? [];
        if (same.length > 1) bad('title', 'CONFLICT', `several measures in ${pkg.name} are titled "${input.title}": give the code of the one to change`);
        else measure = same[0];
      }
      if (measure) {
        const earlier = claimed.get(measure.id);
        if (earlier !== undefined) bad('code', 'CONFLICT', `${measure.code} is already changed by row ${earlier}`);
        else claimed.set(measure.id, row);
      }
      const plan: MeasureImportRowPlan = { row, code: measure?.code ?? null, title: input.title ?? measure?.title ?? '', action: 'unchanged', changes: [] };
      const work: RowWork = { input, plan, fields: {}, values: [], milestoneAdds: [], milestoneUpdates: [] };
      out.push(work);
      if (issues.badRows.has(row)) continue;

      if (!measure) {
        // A new measure.
        if (!pkg) {
          bad('package', 'BAD_USER_INPUT', 'a new measure needs its package');
          continue;
        }
        if (!may('measure.create', { path: pkg.path })) bad('package', 'FORBIDDEN', `you may not create measures in ${pkg.name}: that needs the OWNER, STEERING_COMMITTEE or ADMIN role there`);
        if (!input.title) bad('title', 'BAD_USER_INPUT', 'a new measure needs a title');
        if (!input.lever) bad('lever', 'BAD_USER_INPUT', `a new measure needs its lever (${[...LEVERS].join(', ')})`);
        const owner = ownerId ?? actor.userId;
        if (owner !== actor.userId && !may('measure.assignOwner', { path: pkg.path })) bad('owner', 'FORBIDDEN', 'only an admin or steering committee member may make someone else the owner');
        if (input.doi !== undefined && input.doi !== 1) bad('doi', 'BAD_USER_INPUT', 'a new measure starts at DoI 1; later DoIs are reached through gate decisions');
        if (input.state !== undefined && input.state !== MeasureState.ACTIVE) bad('state', 'BAD_USER_INPUT', 'a new measure starts ACTIVE; its state changes through gate decisions');
        const verdict = checkMeasurePeople({
          ownerId: owner,
          sponsorId: sponsorId ?? null,
          controllerId: controllerId ?? null,
          sponsorRoles: rolesOn(sponsorId ?? null, pkg.path),
          controllerRoles: rolesOn(controllerId ?? null, pkg.path),
        });
        if (!verdict.allowed) bad((verdict.field ?? 'owner').replace(/Id$/, ''), 'BAD_USER_INPUT', verdict.reason);
        work.create = { packageId: pkg.id, ownerId: owner, sponsorId: sponsorId ?? null, controllerId: controllerId ?? null };
        work.values = input.values.map(({ month, kind, amount }) => ({ month, kind, amount }));
        work.milestoneAdds = input.milestones;
        plan.action = 'create';
        plan.changes = [`new measure in ${pkg.name}`, ...input.values.map((v) => `${v.column}: ${v.amount}`), ...input.milestones.map((m) => `milestone "${m.title}" due ${day(m.dueOn)}`)];
        continue;
      }

      // An existing measure: what differs.
      if (!this.measures.mayRead(actor, measure)) {
        bad('code', 'FORBIDDEN', `${measure.code} is outside your roles`);
        continue;
      }
      if (pkg && pkg.id !== measure.packageId) bad('package', 'BAD_USER_INPUT', `${measure.code} belongs to another package; the import does not move measures`);
      if (input.doi !== undefined && input.doi !== measure.doi) bad('doi', 'BAD_USER_INPUT', `${measure.code} is at DoI ${measure.doi}; the DoI changes only through gate decisions`);
      if (input.state !== undefined && input.state !== measure.state) bad('state', 'BAD_USER_INPUT', `${measure.code} is ${measure.state}; the state changes only through gate decisions`);
      const changes: string[] = [];
      const fields: UpdateMeasureInput = {};
      const text = (field: 'title' | 'businessCase' | 'description', column: string) => {
        const v = input[field];
        if (v !== undefined && v !== measure![field]) {
          fields[field] = v;
          changes.push(`${column}: ${short(measure![field])} → ${short(v)}`);
        }
      };
      text('title', 'title');
      text('businessCase', 'business_case');
      text('description', 'description');
      if (input.lever && input.lever !== measure.lever) {
        fields.lever = input.lever;
        changes.push(`lever: ${measure.lever} → ${input.lever}`);
      }
      if (input.roughPotential !== undefined && (measure.roughPotential === null || moneyToCents(measure.roughPotential) !== moneyToCents(input.roughPotential))) {
        fields.roughPotential = input.roughPotential;
        changes.push(`rough_potential: ${measure.roughPotential ?? '—'} → ${input.roughPotential}`);
      }
      const emailOf = (id: string | null) => (id ? (emailById.get(id) ?? 'someone else') : '—');
      if (ownerId && ownerId !== measure.ownerId) {
        fields.ownerId = ownerId;
        changes.push(`owner → ${input.owner}`);
        if (!may('measure.assignOwner', { path: measure.path })) bad('owner', 'FORBIDDEN', 'only an admin or steering committee member may change the owner');
      }
      if (sponsorId && sponsorId !== measure.sponsorId) {
        fields.sponsorId = sponsorId;
        changes.push(`sponsor: ${emailOf(measure.sponsorId)} → ${input.sponsor}`);
      }
      if (controllerId && controllerId !== measure.controllerId) {
        fields.controllerId = controllerId;
        changes.push(`controller: ${emailOf(measure.controllerId)} → ${input.controller}`);
      }
      if (fields.ownerId || fields.sponsorId || fields.controllerId) {
        const sponsor = fields.sponsorId ?? measure.sponsorId;
        const controller = fields.controllerId ?? measure.controllerId;
        const verdict = checkMeasurePeople({
          ownerId: fields.ownerId ?? measure.ownerId,
          sponsorId: sponsor,
          controllerId: controller,
          sponsorRoles: rolesOn(sponsor, measure.path),
          controllerRoles: rolesOn(controller, measure.path),
        });
        if (!verdict.allowed) bad((verdict.field ?? 'owner').replace(/Id$/, ''), 'BAD_USER_INPUT', verdict.reason);
      }
      for (const v of input.values) {
        const before = valueOf.get(`${measure.id}:${v.kind}:${v.month}`);
        if (before !== v.amount) {
          work.values.push({ month: v.month, kind: v.kind, amount: v.amount });
          changes.push(`${v.column}: ${before ?? '—'} → ${v.amount}`);
        }
      }
      const own = milestonesOf.get(measure.id) ?? [];
      const used = new Set<string>();
      for (const m of input.milestones) {
        const match = own.find((o) => !used.has(o.id) && o.title === m.title);
        if (!match) {
          work.milestoneAdds.push(m);
          changes.push(`milestone "${m.title}" added, due ${day(m.dueOn)}`);
          continue;
        }
        used.add(match.id);
        // Days are compared, not times: a milestone done in the app at 14:05 exports as its day.
        const dueOn = day(match.dueOn) === day(m.dueOn) ? match.dueOn : m.dueOn;
        const doneOn = day(match.doneOn) === day(m.doneOn) ? match.doneOn : m.doneOn;
        if (dueOn !== match.dueOn || doneOn !== match.doneOn) {
          work.milestoneUpdates.push({ id: match.id, title: m.title, dueOn, doneOn });
          if (dueOn !== match.dueOn) changes.push(`milestone "${m.title}" due ${day(match.dueOn)} → ${day(m.dueOn)}`);
          if (doneOn !== match.doneOn) changes.push(`milestone "${m.title}" done ${day(match.doneOn) || '—'} → ${day(m.doneOn) || 'not done'}`);
        }
      }
      work.fields = fields;
      work.measure = measure;
      plan.changes = changes;
      if (changes.length === 0) continue;
      plan.action = 'update';
      const target = { path: measure.path, measureOwnerId: measure.ownerId };
      if (measure.state === MeasureState.CLOSED) bad(null, 'CONFLICT', `${measure.code} is closed and its signed-off values are locked; a controller must reopen it first`);
      else if (Object.keys(fields).length && !may('measure.update', target)) bad(null, 'FORBIDDEN', `only the owner of ${measure.code} or an admin in scope may change it`);
      else if (work.values.length && !may('measure.setValues', target)) bad(null, 'FORBIDDEN', `only the owner of ${measure.code} or an admin in scope may change its values`);
      else if ((work.milestoneAdds.length || work.milestoneUpdates.length) && !may('milestone.update', target)) bad(null, 'FORBIDDEN', `only the owner of ${measure.code} or an admin in scope may change its milestones`);
    }
    return out;
  }

  /** One good row written through the measure services, in the batch's transaction. */
  private async write(tx: Tx, actor: Actor, w: RowWork): Promise<void> {
    const measure = await this.writeRow(tx, actor, w);
    w.plan.code = measure.code;
  }

  private async writeRow(tx: Tx, actor: Actor, w: RowWork): Promise<Measure> {
    let measure: Measure;
    if (w.create) {
      measure = await this.measures.createIn(tx, actor, {
        packageId: w.create.packageId,
        title: w.input.title!,
        lever: w.input.lever!,
        ownerId: w.create.ownerId,
        sponsorId: w.create.sponsorId,
        controllerId: w.create.controllerId,
        description: w.input.description,
        businessCase: w.input.businessCase,
        roughPotential: w.input.roughPotential ?? null,
      });
    } else {
      measure = w.measure!;
      // The version read when the file was planned: a measure changed since is refused as CONFLICT.
      if (Object.keys(w.fields).length) measure = await this.measures.updateIn(tx, actor, measure.id, measure.version, w.fields);
    }
    for (let i = 0; i < w.values.length; i += 1000) {
      measure = await this.measures.setValuesIn(tx, actor, measure.id, measure.version, w.values.slice(i, i + 1000));
    }
    if (w.milestoneAdds.length || w.milestoneUpdates.length) measure = await this.measures.importMilestonesIn(tx, actor, measure.id, w.milestoneAdds, w.milestoneUpdates);
    return measure;
  }

  /**
   * Every measure the caller may read (below `scopeId` when given), in the import's shape, as .xlsx or CSV.
   * People are written by e-mail for admins; others see only their own address (e-mail addresses are an admin's
   * to read), and an empty people cell leaves the person unchanged on import.
   */
  async exportFile(actor: Actor, format: 'xlsx' | 'csv', scopeId?: string | null): Promise<Buffer> {
    const manager = this.dataSource.manager;
    // The list's own narrowing in SQL (not every measure of the organisation); the shared read rule decides.
    const narrowed = visibleMeasures(this.dataSource, actor).orderBy('m.seq', 'ASC');
    if (scopeId) narrowed.andWhere(':scope = ANY(m.path)', { scope: scopeId });
    const measures = (await narrowed.getMany()).filter((m) => this.measures.mayRead(actor, m));
    const ids = measures.map((m) => m.id);
    const packages = new Map((await manager.getRepository(MeasurePackage).findBy({ organisationId: actor.organisation.id })).map((p) => [p.id, p]));
    const values: { measure_id: string; kind: ValueKind; month: string; amount: string }[] = ids.length
      ? await manager.query(`SELECT measure_id, kind, to_char(month, 'YYYY-MM') AS month, amount FROM measure_value WHERE measure_id = ANY($1)`, [ids])
      : [];
    const milestones = ids.length ? await manager.getRepository(Milestone).find({ where: { measureId: In(ids) }, order: { dueOn: 'ASC', id: 'ASC' } }) : [];
    const contacts = isAllowed('user.readContact', actor, { path: [actor.organisation.id] });
    const people: { id: string; email: string }[] = await manager.query(`SELECT id, email FROM app_user WHERE organisation_id = $1`, [actor.organisation.id]);
    const emails = new Map(people.map((p) => [p.id, p.email]));
    const email = (id: string | null) => (!id ? '' : contacts || id === actor.userId ? (emails.get(id) ?? '') : '');
    const kinds = [ValueKind.PLAN, ValueKind.FORECAST, ValueKind.ACTUAL, ValueKind.ONE_OFF_COST];
    const months = [...new Set(values.map((v) => v.month))].sort();
    const valueColumns = kinds.flatMap((kind) => (values.some((v) => v.kind === kind) ? months.map((month) => ({ kind, month })) : []));
    const byMeasure = groupBy(milestones, (m) => m.measureId);
    const most = Math.max(0, ...[...byMeasure.values()].map((l) => l.length));
    const amount = new Map(values.map((v) => [`${v.measure_id}:${v.kind}:${v.month}`, normaliseMoney(v.amount)]));
    const header = [
      ...MEASURE_COLUMNS,
      ...Array.from({ length: most }, (_, i) => [`milestone_${i + 1}_title`, `milestone_${i + 1}_due`, `milestone_${i + 1}_done`]).flat(),
      ...valueColumns.map((c) => valueColumnName(c.kind, c.month)),
    ];
    const rows = measures.map((m) => {
      const own = byMeasure.get(m.id) ?? [];
      return [
        m.code,
        packages.get(m.packageId)?.name ?? m.packageId,
        m.title,
        m.lever,
        email(m.ownerId),
        email(m.sponsorId),
        email(m.controllerId),
        m.roughPotential === null ? null : normaliseMoney(m.roughPotential),
        m.businessCase,
        m.description,
        m.doi,
        m.state,
        ...Array.from({ length: most }, (_, i) => (own[i] ? [own[i].title, day(own[i].dueOn), day(own[i].doneOn)] : [null, null, null])).flat(),
        ...valueColumns.map((c) => amount.get(`${m.id}:${c.kind}:${c.month}`) ?? null),
      ];
    });
    return format === 'xlsx' ? writeMeasureXlsx({ header, rows }) : writeMeasureCsv({ header, rows });
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `"${t.slice(0, 39)}…"` : `"${t}"`;
}

function issueCode(code: string): MeasureImportIssue['code'] {
  return code === 'FORBIDDEN' || code === 'NOT_FOUND' || code === 'CONFLICT' ? code : 'BAD_USER_INPUT';
}

/** A row's cells checked one by one: a bad cell is reported with its column and the row is not written. */
function readRow(sheetRow: SheetRow, issues: Issues): RowInput {
  const { row, cells } = sheetRow;
  const bad = (column: string, reason: string) => issues.add(row, column, 'BAD_USER_INPUT', reason);
  const input: RowInput = { row, milestones: [], values: [] };
  const text = (column: string, max: number): string | undefined => {
    const v = cells.get(column);
    if (v === undefined) return undefined;
    if (v.length > max) bad(column, `at most ${max} characters`);
    return v;
  };
  const code = cells.get('code');
  if (code !== undefined) {
    if (!/^M-\d{4,}$/i.test(code)) bad('code', `"${code}" is not a measure code like M-0001`);
    else input.code = code.toUpperCase();
  }
  input.packageRef = text('package', 300);
  input.title = text('title', 200);
  input.businessCase = text('business_case', 10_000);
  input.description = text('description', 10_000);
  const lever = cells.get('lever');
  if (lever !== undefined) {
    const l = lever.toUpperCase().replace(/[\s-]+/g, '_');
    if (!LEVERS.has(l)) bad('lever', `"${lever}" is not a lever: use ${[...LEVERS].join(', ')}`);
    else input.lever = l as Lever;
  }
  for (const column of ['owner', 'sponsor', 'controller'] as const) {
    const v = cells.get(column);
    if (v === undefined) continue;
    if (!EMAIL.test(v) || v.length > 320) bad(column, `"${v}" is not an e-mail address`);
    else input[column] = v.toLowerCase();
  }
  const rough = cells.get('rough_potential');
  if (rough !== undefined) {
    const parsed = parseLocaleAmount(rough, '.');
    if (!parsed.ok) bad('rough_potential', parsed.reason);
    else input.roughPotential = parsed.amount ?? undefined;
  }
  const doi = cells.get('doi');
  if (doi !== undefined) {
    if (!/^[1-5]$/.test(doi)) bad('doi', `"${doi}" is not a DoI (1 to 5)`);
    else input.doi = Number(doi);
  }
  const state = cells.get('state');
  if (state !== undefined) {
    if (!STATES.has(state.toUpperCase())) bad('state', `"${state}" is not a state: use ${[...STATES].join(', ')}`);
    else input.state = state.toUpperCase() as MeasureState;
  }
  const milestoneParts = new Map<number, { title?: string; due?: string; done?: string }>();
  for (const [column, value] of cells) {
    const m = /^milestone_(\d+)_(title|due|done)$/.exec(column);
    if (m) {
      const entry = milestoneParts.get(Number(m[1])) ?? {};
      entry[m[2] as 'title' | 'due' | 'done'] = value;
      milestoneParts.set(Number(m[1]), entry);
      continue;
    }
    const v = /^(plan|forecast|actual|one_off_cost) (\d{4}-\d{2})$/.exec(column);
    if (!v) continue;
    const kind = { plan: ValueKind.PLAN, forecast: ValueKind.FORECAST, actual: ValueKind.ACTUAL, one_off_cost: ValueKind.ONE_OFF_COST }[v[1] as 'plan'];
    if (!isMonth(v[2])) {
      bad(column, `${v[2]} is not a month`);
      continue;
    }
    const parsed = parseLocaleAmount(value, '.');
    if (!parsed.ok) bad(column, parsed.reason);
    else if (parsed.amount !== null) {
      if (kind === ValueKind.PLAN && parsed.amount.startsWith('-')) bad(column, 'a plan value cannot be negative');
      else input.values.push({ kind, month: v[2], amount: parsed.amount, column });
    }
  }
  for (const [n, parts] of [...milestoneParts].sort((a, b) => a[0] - b[0])) {
    const prefix = `milestone_${n}`;
    if (!parts.title) {
      bad(`${prefix}_title`, 'a milestone needs its title');
      continue;
    }
    if (parts.title.length > 200) bad(`${prefix}_title`, 'at most 200 characters');
    const dueOn = parts.due ? parseDay(parts.due) : null;
    if (!dueOn) {
      bad(`${prefix}_due`, parts.due ? `"${parts.due}" is not a date like 2026-03-31` : 'a milestone needs its due date');
      continue;
    }
    let doneOn: Date | null = null;
    if (parts.done) {
      doneOn = parseDay(parts.done);
      if (!doneOn) {
        bad(`${prefix}_done`, `"${parts.done}" is not a date like 2026-03-31`);
        continue;
      }
      if (doneOn.getTime() > Date.now() + 86_400_000) bad(`${prefix}_done`, 'a milestone cannot be done in the future');
    }
    input.milestones.push({ title: parts.title, dueOn, doneOn });
  }
  return input;
}
