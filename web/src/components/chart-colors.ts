/** A design token's value for chart.js, which draws on a canvas and cannot read CSS variables itself. */
export function cssVar(name: string, fallback: string): string {
  if (typeof window === 'undefined' || typeof getComputedStyle !== 'function') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function waterfallColors() {
  return {
    total: cssVar('--chart-total', '#3d4a63'),
    up: cssVar('--chart-up', '#2e9e6a'),
    down: cssVar('--chart-down', '#d0453b'),
    flat: cssVar('--chart-flat', '#b3bcc9'),
    plan: cssVar('--chart-unweighted', '#a9b6e8'),
    weighted: cssVar('--chart-weighted', '#2b4acb'),
  };
}

export function statusColors() {
  return { GREEN: cssVar('--chart-green', '#2e9e6a'), AMBER: cssVar('--chart-amber', '#e0a030'), RED: cssVar('--chart-red', '#d0453b') };
}

/** Tickets within SLA and breached, and the effect check's before and after. */
export function ticketColors() {
  return {
    within: cssVar('--chart-tickets', '#8fa3d9'),
    breached: cssVar('--chart-red', '#d0453b'),
    before: cssVar('--chart-effect-before', '#b3bcc9'),
    after: cssVar('--chart-effect-after', '#2e9e6a'),
  };
}
