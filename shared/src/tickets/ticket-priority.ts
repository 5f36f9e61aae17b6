import { Priority } from './ticket-record.js';
import { foldWords } from './ticket-state.js';

const BY_NUMBER: readonly Priority[] = [Priority.CRITICAL, Priority.HIGH, Priority.MODERATE, Priority.LOW, Priority.PLANNING];

const levels = (priority: Priority, names: string): [string, Priority][] => names.split('|').map((n) => [foldWords(n), priority]);

/**
 * ServiceNow's, Jira's (its default and its older scheme), GLPI's, Zendesk's and plain ITIL words for the five
 * levels, in English, German, French, Spanish and Portuguese, compared with accents and case folded. GLPI has
 * six levels, whose top one, Major, the GLPI format reads itself (here "major" is Jira's old second level).
 */
const BY_WORD = new Map<string, Priority>([
  ...levels(
    Priority.CRITICAL,
    'critical|highest|blocker|urgent|very high|emergency|' + 'kritisch|hochste|dringend|sehr hoch|' + 'critique|urgente|tres haute|la plus haute|' + 'critica|critico|maxima|mas alta|muy alta|' + 'muito alta|mais alta',
  ),
  ...levels(Priority.HIGH, 'high|major|' + 'hoch|' + 'haute|elevee|majeure|' + 'alta|mayor|' + 'maior'),
  ...levels(Priority.MODERATE, 'medium|moderate|normal|' + 'mittel|' + 'moyenne|normale|' + 'media|' + 'media|moderada'),
  ...levels(Priority.LOW, 'low|minor|' + 'niedrig|gering|' + 'basse|mineure|' + 'baja|menor|' + 'baixa'),
  ...levels(Priority.PLANNING, 'lowest|trivial|planning|very low|' + 'niedrigste|sehr niedrig|' + 'tres basse|la plus basse|' + 'mas baja|muy baja|minima|' + 'muito baixa|mais baixa'),
]);

/** "3 - Moderate", "3-Moderate", "P3", "3" or "Moderate". */
const NUMBERED = /^p?([1-5])(?:\s*-\s*(\S.*))?$/;

/**
 * Maps a desk's priority to ours, case-insensitively. Empty text and `?` give undefined (the caller decides the
 * default); anything unknown throws a RangeError. When a number and a word are both given ("2 - High"), the
 * number decides: desks rename the levels, but the scale stays 1 to 5.
 */
export function parsePriority(text: string | undefined): Priority | undefined {
  const value = text?.trim().toLowerCase().replace(/\s+/g, ' ') ?? '';
  if (value === '' || value === '?') return undefined;
  const numbered = NUMBERED.exec(value);
  if (numbered) return BY_NUMBER[Number(numbered[1]) - 1];
  const byWord = BY_WORD.get(foldWords(value));
  if (byWord !== undefined) return byWord;
  throw new RangeError(`unknown priority "${text?.trim()}"`);
}

/**
 * An export's priority, never refused: a known word or number gives its level, anything else UNKNOWN (the
 * caller keeps the text and warns). Empty text and `?` give undefined.
 */
export function readPriority(text: string | undefined): { priority: Priority; known: boolean } | undefined {
  try {
    const priority = parsePriority(text);
    return priority === undefined ? undefined : { priority, known: true };
  } catch (e) {
    if (e instanceof RangeError) return { priority: Priority.UNKNOWN, known: false };
    throw e;
  }
}

/**
 * ServiceNow's default priority lookup from impact and urgency (each 1 high .. 3 low): the sum 2 is critical,
 * 3 high, 4 moderate, 5 low, 6 planning. Used when an export has impact and urgency but no priority.
 */
export function priorityFromImpactAndUrgency(impact: string | undefined, urgency: string | undefined): Priority | undefined {
  const level = (text: string | undefined) => {
    const m = /^\s*([1-3])\b/.exec(text ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const i = level(impact);
  const u = level(urgency);
  if (i === undefined || u === undefined) return undefined;
  return BY_NUMBER[i + u - 2];
}
