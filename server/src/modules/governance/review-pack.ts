import { readableRequests } from './readable-requests.js';
import { csvField, deriveImplementationStatus, derivePotentialStatus, DOI_NAMES, type Doi } from '@gatehouse/shared';
import type { Services } from '../context.js';
import type { Actor } from '../access/index.js';

export interface ReviewPackRow {
  code: string;
  title: string;
  owner: string;
  fromDoi: number;
  toDoi: number;
  status: string;
  implementationStatus: string;
  potentialStatus: string;
  plan: string;
  forecast: string;
  actual: string;
  annualPotential: string;
  criteria: { label: string; passed: boolean; detail: string }[];
  requestNote: string;
  decision: string;
  rationale: string;
}

export interface ReviewPack {
  title: string;
  heldOn: Date;
  scope: string;
  currency: string;
  participants: string[];
  rows: ReviewPackRow[];
}

/** The agenda of a gate review with each measure's values, statuses and criteria, as the caller may see it. */
export async function buildReviewPack(
  services: Pick<Services, 'gateReviews' | 'hierarchy' | 'measures' | 'gates' | 'loaders'>,
  actor: Actor,
  reviewId: string,
): Promise<ReviewPack> {
  const review = await services.gateReviews.get(actor, reviewId);
  const loaders = services.loaders();
  const agenda = await readableRequests(actor, await loaders.agendaByReview.load(review.id), loaders);
  const participants = (await loaders.user.loadMany(await loaders.participantsByReview.load(review.id))).map((u) => (u && 'name' in u ? u.name : ''));
  const scope = await services.hierarchy.scope(actor, review.scopeId);
  const rows: ReviewPackRow[] = [];
  for (const request of agenda) {
    const measure = await services.measures.get(actor, request.measureId);
    if (!measure) continue;
    const owner = await loaders.user.load(measure.ownerId);
    const criteria = await services.gates.requestCriteria(actor, request);
    rows.push({
      code: measure.code,
      title: measure.title,
      owner: owner?.name ?? '',
      fromDoi: request.fromDoi,
      toDoi: request.toDoi,
      status: request.status,
      implementationStatus: deriveImplementationStatus(
        measure.nextDueOn,
        new Date(),
        measure.implementationStatusOverride ? { status: measure.implementationStatusOverride, reason: measure.implementationStatusOverrideReason ?? '' } : null,
      ).status,
      potentialStatus: derivePotentialStatus(
        measure.planTotal,
        measure.forecastTotal,
        actor.organisation,
        measure.potentialStatusOverride ? { status: measure.potentialStatusOverride, reason: measure.potentialStatusOverrideReason ?? '' } : null,
      ).status,
      plan: measure.planTotal,
      forecast: measure.forecastTotal,
      actual: measure.actualTotal,
      annualPotential: measure.annualPotential,
      criteria: criteria.map(({ label, passed, detail }) => ({ label, passed, detail })),
      requestNote: request.note ?? '',
      decision: request.decision ?? '',
      rationale: request.rationale ?? '',
    });
  }
  return { title: review.title, heldOn: review.heldOn, scope: scope.name, currency: actor.organisation.currency, participants, rows };
}

export function reviewPackCsv(pack: ReviewPack): string {
  const header = ['Code', 'Measure', 'Owner', 'Gate', 'Request status', 'Implementation status', 'Potential status', `Plan (${pack.currency})`,
    `Forecast (${pack.currency})`, `Actual (${pack.currency})`, `Annual potential (${pack.currency})`, 'Criteria met', 'Unmet criteria', 'Request note', 'Decision', 'Rationale'];
  const text = (v: string) => csvField(v, 'text');
  const lines = pack.rows.map((r) =>
    [
      text(r.code),
      text(r.title),
      text(r.owner),
      text(`DoI ${r.fromDoi} -> ${r.toDoi}`),
      text(r.status),
      text(r.implementationStatus),
      text(r.potentialStatus),
      // Money as exact decimal strings, never altered ("-1250.00" stays a number).
      csvField(r.plan),
      csvField(r.forecast),
      csvField(r.actual),
      csvField(r.annualPotential),
      text(`${r.criteria.filter((c) => c.passed).length}/${r.criteria.length}`),
      text(r.criteria.filter((c) => !c.passed).map((c) => `${c.label}: ${c.detail}`).join('; ')),
      text(r.requestNote),
      text(r.decision),
      text(r.rationale),
    ].join(','),
  );
  return [header.map(text).join(','), ...lines].join('\r\n') + '\r\n';
}

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A self-contained, printable page (no scripts); every value is escaped. */
export function reviewPackHtml(pack: ReviewPack): string {
  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: pack.currency });
  const fmt = (v: string) => escapeHtml(money.format(Number(v)));
  const sections = pack.rows
    .map(
      (r) => `
  <section class="item">
    <h2>${escapeHtml(r.code)} — ${escapeHtml(r.title)}</h2>
    <p class="meta">Owner ${escapeHtml(r.owner)} · Gate DoI ${r.fromDoi} (${escapeHtml(DOI_NAMES[r.fromDoi as Doi] ?? '')}) → ${r.toDoi} (${escapeHtml(DOI_NAMES[r.toDoi as Doi] ?? '')}) · ${escapeHtml(r.status)}</p>
    <table class="values"><tr><th>Plan</th><th>Forecast</th><th>Actual</th><th>Annual potential</th><th>Implementation</th><th>Potential</th></tr>
      <tr><td>${fmt(r.plan)}</td><td>${fmt(r.forecast)}</td><td>${fmt(r.actual)}</td><td>${fmt(r.annualPotential)}</td>
      <td class="status ${escapeHtml(r.implementationStatus)}">${escapeHtml(r.implementationStatus)}</td><td class="status ${escapeHtml(r.potentialStatus)}">${escapeHtml(r.potentialStatus)}</td></tr></table>
    <ul class="criteria">${r.criteria.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}">${c.passed ? '✔' : '✘'} ${escapeHtml(c.label)} <span>${escapeHtml(c.detail)}</span></li>`).join('')}</ul>
    ${r.requestNote ? `<p><strong>Owner’s note:</strong> ${escapeHtml(r.requestNote)}</p>` : ''}
    ${r.decision ? `<p><strong>Decision:</strong> ${escapeHtml(r.decision)} — ${escapeHtml(r.rationale)}</p>` : '<p class="decide">Decision: ____________________ Rationale: ________________________________</p>'}
  </section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(pack.title)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 2rem; }
  h1 { margin: 0 0 .25rem; } h2 { font-size: 1.05rem; margin: 0 0 .25rem; }
  .meta { color: #555; margin: 0 0 .5rem; }
  .item { border-top: 1px solid #ccd; padding: .75rem 0; break-inside: avoid; }
  table { border-collapse: collapse; margin: .25rem 0; } th, td { padding: .2rem .6rem; border: 1px solid #dde; text-align: right; }
  th { background: #f3f4f7; } .status { text-align: center; font-weight: 600; }
  .GREEN { color: #1b7f3b; } .AMBER { color: #a66300; } .RED { color: #b3261e; }
  .criteria { list-style: none; padding: 0; margin: .25rem 0; } .pass { color: #1b7f3b; } .fail { color: #b3261e; } .criteria span { color: #555; }
  @media print { body { margin: 1cm; } }
</style></head>
<body>
  <h1>${escapeHtml(pack.title)}</h1>
  <p class="meta">${escapeHtml(pack.scope)} · ${escapeHtml(pack.heldOn.toISOString().slice(0, 10))} · Participants: ${escapeHtml(pack.participants.join(', ') || '—')}</p>
  <p class="meta">${pack.rows.length} gate requests on the agenda</p>
  ${sections || '<p>The agenda is empty.</p>'}
</body></html>`;
}
