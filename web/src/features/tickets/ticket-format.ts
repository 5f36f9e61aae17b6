import type { TicketPriority } from '../../graphql/generated';

/** The priorities an SLA policy is set for, in order; UNKNOWN (a desk's word the import did not know) has none. */
export const PRIORITY_ORDER: readonly TicketPriority[] = ['CRITICAL', 'HIGH', 'MODERATE', 'LOW', 'PLANNING'];
export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  CRITICAL: '1 · Critical',
  HIGH: '2 · High',
  MODERATE: '3 · Moderate',
  LOW: '4 · Low',
  PLANNING: '5 · Planning',
  UNKNOWN: 'Unknown',
};

export const BASIS_LABELS: Record<string, string> = {
  STRUCTURED: 'Grouped by category, subcategory, service and symptom',
  TEXT: 'Grouped by the summary’s wording',
};

const MINUTES = { d: 1440, h: 60, m: 1 } as const;

/** "15 min", "4 h", "3 d", "1 d 4 h" — SLA targets as people read them. */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return '—';
  const d = Math.floor(minutes / MINUTES.d);
  const h = Math.floor((minutes % MINUTES.d) / MINUTES.h);
  const m = minutes % MINUTES.h;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean);
  return parts.join(' ');
}

/**
 * Reads a target typed as "30" (minutes), "30m", "4h", "1.5h", "3d" or "1d 4h"; null when it is not one.
 * Answers whole minutes.
 */
export function parseDuration(text: string): number | null {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/\b(minutes?|mins?)\b/g, 'm')
    .replace(/\b(hours?|hrs?)\b/g, 'h')
    .replace(/\b(days?)\b/g, 'd')
    .replace(/(\d)\s+(?=[dhm]\b)/g, '$1')
    .replace(/\s+/g, ' ');
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const parts = value.split(' ');
  let total = 0;
  const seen = new Set<string>();
  for (const part of parts) {
    const m = /^(\d+(?:[.,]\d+)?)([dhm])$/.exec(part);
    if (!m || seen.has(m[2])) return null;
    seen.add(m[2]);
    total += Number(m[1].replace(',', '.')) * MINUTES[m[2] as keyof typeof MINUTES];
  }
  return Math.round(total);
}

/** "113.6" tickets a year, one decimal, the way the API rounds it. */
export function formatRate(rate: number | null | undefined, locale?: string): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: rate % 1 === 0 ? 0 : 1 }).format(rate);
}

/** Share of a count, for "28 breached (100 %)". */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 100) : null;
}
