import { computed, inject, type ComputedRef, type InjectionKey, type Ref } from 'vue';
import { DOI_NAMES, isDoi, isMoney, type Money } from '@gatehouse/shared';

export interface Formatters {
  /** "€12,500.00": exact, in the organisation's currency; the decimal string goes to Intl as is. */
  money(value: Money | null | undefined): string;
  /** Compact for chart axes: "€12.5K". Display only. */
  moneyCompact(value: number): string;
  /** A portfolio-level amount at a glance: "€6.3M"; the exact amount goes beside it (see CompactMoney). */
  moneyShort(value: Money | null | undefined): string;
  /** A calendar date ("12 Mar 2026"), read in UTC because due dates are whole days. */
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
  /** "Mar 2026" for a "YYYY-MM" month. */
  month(value: string): string;
  /** "Mar 26", for narrow grid and chart labels. */
  monthShort(value: string): string;
  count(value: number): string;
}

export function createFormatters(locale: string | undefined, currency: string): Formatters {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const compact = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const monthShort = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const count = new Intl.NumberFormat(locale);
  const monthDate = (m: string) => new Date(`${m}-01T00:00:00Z`);
  return {
    // Intl formats a decimal string exactly (no float on the way); typed as number in older lib files.
    money: (v) => (v != null && isMoney(v) ? money.format(v as unknown as number) : '—'),
    moneyCompact: (v) => compact.format(v),
    moneyShort: (v) => (v != null && isMoney(v) ? compact.format(Number(v)) : '—'),
    date: (v) => (v ? date.format(new Date(v)) : '—'),
    dateTime: (v) => (v ? dateTime.format(new Date(v)) : '—'),
    month: (m) => month.format(monthDate(m)),
    monthShort: (m) => monthShort.format(monthDate(m)),
    count: (v) => count.format(v),
  };
}

/**
 * The currency amounts show in (ISO 4217). The app root provides the signed-in organisation's; shared UI reads it
 * here so it needs no feature (session) of its own.
 */
export const FORMAT_CURRENCY: InjectionKey<Readonly<Ref<string>>> = Symbol('format-currency');

/** Formatters in the provided currency and the browser's locale. */
export function useFormat(): ComputedRef<Formatters> {
  const currency = inject(FORMAT_CURRENCY, null);
  if (!currency) throw new Error('No format currency provided');
  return computed(() => createFormatters(browserLocale(), currency.value));
}

export function browserLocale(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

export function doiLabel(doi: number): string {
  return isDoi(doi) ? `DoI ${doi} · ${DOI_NAMES[doi]}` : `DoI ${doi}`;
}

export const STATE_LABELS: Record<string, string> = {
  ACTIVE: 'Active',
  ON_HOLD: 'On hold',
  CANCELLED: 'Cancelled',
  CLOSED: 'Closed',
};

export const STATUS_LABELS: Record<string, string> = { GREEN: 'Green', AMBER: 'Amber', RED: 'Red' };

export const LEVER_LABELS: Record<string, string> = {
  COST_REDUCTION: 'Cost reduction',
  REVENUE_INCREASE: 'Revenue increase',
  COST_AVOIDANCE: 'Cost avoidance',
  CAPEX_REDUCTION: 'Capex reduction',
  NON_FINANCIAL: 'Non-financial',
};

export const ROLE_LABELS: Record<string, string> = {
  ADMIN: 'Admin',
  STEERING_COMMITTEE: 'Steering committee',
  CONTROLLER: 'Controller',
  OWNER: 'Owner',
  VIEWER: 'Viewer',
};

export const SCOPE_KIND_LABELS: Record<string, string> = {
  ORGANISATION: 'Organisation',
  ORG_UNIT: 'Org unit',
  PROGRAM: 'Program',
  MEASURE_PACKAGE: 'Package',
};
