import { isMoney, moneyToCents, normaliseMoney } from '@gatehouse/shared';
import type { TicketPriority, TicketSettingsInput } from '../../graphql/generated';
import { parseDuration } from './ticket-format';
import type { SlaPolicyDraft } from './use-tickets';

/** The recurring threshold N, the window W and the cost per ticket as typed; checked like the server checks them. */
export interface SettingsDraft {
  threshold: string;
  windowDays: string;
  costPerTicket: string;
}

export function settingsDraft(org: { recurringThreshold: number; recurringWindowDays: number; costPerTicket: string }): SettingsDraft {
  return { threshold: String(org.recurringThreshold), windowDays: String(org.recurringWindowDays), costPerTicket: org.costPerTicket };
}

const whole = (text: string): number | null => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);

export function settingsProblems(draft: SettingsDraft): Partial<Record<keyof SettingsDraft, string>> {
  const problems: Partial<Record<keyof SettingsDraft, string>> = {};
  const n = whole(draft.threshold);
  if (n === null || n < 2 || n > 100_000) problems.threshold = 'A whole number of tickets from 2 to 100,000.';
  const w = whole(draft.windowDays);
  if (w === null || w < 1 || w > 3650) problems.windowDays = 'A whole number of days from 1 to 3,650.';
  const cost = draft.costPerTicket.trim();
  if (!isMoney(cost) || moneyToCents(cost) < 0n) problems.costPerTicket = 'An amount such as 25 or 25.50, at most two decimals.';
  return problems;
}

/** Only what changed, so a concurrent change of another setting is not overwritten. */
export function toSettingsInput(draft: SettingsDraft, current: SettingsDraft): TicketSettingsInput {
  const input: TicketSettingsInput = {};
  if (draft.threshold.trim() !== current.threshold) input.recurringThreshold = Number(draft.threshold.trim());
  if (draft.windowDays.trim() !== current.windowDays) input.recurringWindowDays = Number(draft.windowDays.trim());
  const cost = draft.costPerTicket.trim();
  if (isMoney(cost) && (!isMoney(current.costPerTicket) || normaliseMoney(cost) !== normaliseMoney(current.costPerTicket))) input.costPerTicket = normaliseMoney(cost);
  return input;
}

export function settingsChanged(draft: SettingsDraft, current: SettingsDraft): boolean {
  return Object.keys(toSettingsInput(draft, current)).length > 0;
}

/** An SLA policy as typed: targets like "30m", "4h", "3d". */
export interface SlaDraft {
  priority: TicketPriority;
  category: string;
  response: string;
  resolution: string;
}

const MAX_MINUTES = 525_600;

export function slaProblems(draft: SlaDraft): Partial<Record<'response' | 'resolution' | 'category', string>> {
  const problems: Partial<Record<'response' | 'resolution' | 'category', string>> = {};
  const response = parseDuration(draft.response);
  const resolution = parseDuration(draft.resolution);
  const range = 'A time such as 30m, 4h or 3d (at most a year).';
  if (response === null || response < 1 || response > MAX_MINUTES) problems.response = range;
  if (resolution === null || resolution < 1 || resolution > MAX_MINUTES) problems.resolution = range;
  else if (response !== null && resolution < response) problems.resolution = 'Resolution cannot be due before the first response.';
  if (draft.category.trim().length > 200) problems.category = 'At most 200 characters.';
  return problems;
}

export function toSlaPolicy(draft: SlaDraft): SlaPolicyDraft | null {
  if (Object.keys(slaProblems(draft)).length) return null;
  return { priority: draft.priority, category: draft.category.trim(), responseMinutes: parseDuration(draft.response)!, resolutionMinutes: parseDuration(draft.resolution)! };
}
