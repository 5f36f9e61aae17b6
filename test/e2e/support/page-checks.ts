import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build, injected into every page of a context before the app runs. */
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

export interface Viewport {
  name: string;
  width: number;
  height: number;
}

/** The widths the app is held to: a laptop, a tablet upright, a phone. */
export const VIEWPORTS: Viewport[] = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'phone', width: 390, height: 844 },
];

/**
 * Prepares a context for the checks: axe-core on every page, and a count of the app's requests in flight so a
 * check waits for the page's data rather than for a fixed time.
 */
export async function instrumentContext(context: BrowserContext): Promise<void> {
  await context.addInitScript({ path: AXE_SOURCE });
  await context.addInitScript(() => {
    let inflight = 0;
    const original = window.fetch.bind(window);
    window.fetch = (...args: Parameters<typeof fetch>) => {
      inflight++;
      return original(...args).finally(() => inflight--);
    };
    Object.defineProperty(window, '__inflight', { get: () => inflight });
  });
}

/**
 * Waits until the page has drawn its data: no request in flight, no loading state or busy region, and the
 * route's content in place, twice in a row 100 ms apart (a request answered can start the next one).
 */
export async function settled(page: Page, timeout = 20_000): Promise<void> {
  const quiet = () =>
    page.waitForFunction(
      () => {
        const w = window as unknown as { __inflight?: number };
        const main = document.querySelector('main');
        return (
          (w.__inflight ?? 0) === 0 &&
          !!main &&
          main.childElementCount > 0 &&
          !document.querySelector('.loading[role="status"], [aria-busy="true"]') &&
          document.fonts.status === 'loaded'
        );
      },
      undefined,
      { timeout, polling: 50 },
    );
  await quiet();
  await page.waitForTimeout(100);
  await quiet();
}

export interface Overflow {
  scrollWidth: number;
  innerWidth: number;
  /** The outermost elements that reach past the right edge, to say where to look. */
  culprits: string[];
}

/** `document.documentElement.scrollWidth <= window.innerWidth`, with the elements that break it when it fails. */
export function horizontalOverflow(page: Page): Promise<Overflow | null> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')} (${Math.round(el.getBoundingClientRect().right)}px)`;
    // What a clipping or scrolling box holds does not widen the page.
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el));
    // Only the outermost: a too-wide card says more than each of its children.
    const outermost = wide.filter((el) => !wide.some((other) => other !== el && other.contains(el)));
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: outermost.slice(0, 6).map(describe) };
  });
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 4).map((n: { target: string[] }) => n.target.join(' ')) }));
  });
}

export interface FocusStop {
  element: string;
  visible: boolean;
}

/**
 * Tabs through the page (at most `limit` stops) and reports, for each element that takes focus, whether the focus
 * is visible: an outline or a focus ring, on an element with a size on screen.
 */
export async function tabThrough(page: Page, limit: number): Promise<FocusStop[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const stops: FocusStop[] = [];
  let first: string | null = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const ring = style.boxShadow !== 'none';
      const path = (() => {
        const parts: string[] = [];
        for (let n: Element | null = el; n && parts.length < 3; n = n.parentElement) {
          parts.unshift(`${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${n.classList.length ? `.${[...n.classList].join('.')}` : ''}`);
        }
        return `${parts.join(' > ')} “${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}”`;
      })();
      return { element: path, visible: (outline || ring) && rect.width > 0 && rect.height > 0 };
    });
    if (!stop) break;
    if (stop.element === first) break;
    first ??= stop.element;
    stops.push(stop);
  }
  return stops;
}
