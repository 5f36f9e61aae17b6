import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RouteRecordRaw } from 'vue-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../web/src/router.js';
import { gql, login, startServer, type ServerProcess } from '../support/server-process.js';
import { signIn } from './support/app.js';
import { launchChromium, SCREENSHOT_DIR, watchConsole } from './support/browser.js';
import { horizontalOverflow, instrumentContext, seriousA11yViolations, settled, tabThrough, VIEWPORTS } from './support/page-checks.js';

/**
 * Every route, as every demo role, at a laptop's, a tablet's and a phone's width: no sideways scrolling, no console
 * error, no serious or critical axe-core violation; and on the desktop every focus stop is visible. The routes come
 * from the router and from the navigation and links each role is shown, so a new page is swept without a change
 * here; each route with a parameter is opened through the first link to it that the sweep meets. Screenshots of
 * every route at 1440 and 390 px go to test/e2e/screenshots/sweep/.
 */

const ROLES = {
  admin: 'admin@northwind.example',
  owner: 'owner@northwind.example',
  steering: 'steering@northwind.example',
  controller: 'controller@northwind.example',
  viewer: 'viewer@northwind.example',
} as const;
type Role = keyof typeof ROLES;

const SWEEP_DIR = path.join(SCREENSHOT_DIR, 'sweep');
/** Tab stops checked per page; the measure page's value grid alone has a hundred cells. */
const TAB_LIMIT = 250;

interface RoutePattern {
  name: string;
  pattern: RegExp;
}

/** The router's routes flattened to full paths: those without parameters to open, the others as patterns. */
function routeTable(records: RouteRecordRaw[], parent = ''): { open: string[]; patterns: RoutePattern[]; publicPaths: string[] } {
  const open: string[] = [];
  const patterns: RoutePattern[] = [];
  const publicPaths: string[] = [];
  for (const r of records) {
    const full = r.path.startsWith('/') ? r.path : `${parent.replace(/\/$/, '')}/${r.path}`.replace(/\/$/, '') || '/';
    if (r.children) {
      const sub = routeTable(r.children, full);
      open.push(...sub.open);
      patterns.push(...sub.patterns);
      publicPaths.push(...sub.publicPaths);
    } else if (full.includes(':pathMatch')) {
      open.push('/no-such-page');
    } else if (full.includes(':')) {
      patterns.push({ name: String(r.name), pattern: new RegExp(`^${full.replace(/:[^/]+/g, '[^/?#]+')}$`) });
    } else if (r.meta?.public) {
      publicPaths.push(full);
    } else {
      open.push(full);
    }
  }
  return { open, patterns, publicPaths };
}

const ROUTES = routeTable(routes);

/**
 * Makes sure a recurring ticket group exists, linked to a measure, so the ticket group page and a measure's ticket
 * card have something to show; a demo that already ships ticket history is left as it is.
 */
async function ensureTicketGroup(): Promise<void> {
  const token = await login(server.url, ROLES.admin);
  const groups = await gql<{ ticketGroups: { totalCount: number } }>(server.url, '{ ticketGroups(first: 1) { totalCount } }', {}, token);
  if (groups.data!.ticketGroups.totalCount > 0) return;
  const day = 86_400_000;
  const tickets = Array.from({ length: 8 }, (_, i) => ({
    externalId: `SWEEP-${i + 1}`,
    summary: 'VPN connection drops after sleep',
    category: 'Network',
    subcategory: 'VPN',
    service: 'Remote access',
    priority: i % 3 === 0 ? 'HIGH' : 'MODERATE',
    openedAt: new Date(Date.now() - (i * 9 + 2) * day).toISOString(),
    resolvedAt: new Date(Date.now() - (i * 9 + 1) * day).toISOString(),
  }));
  const imported = await gql(server.url, 'mutation($t: [TicketInput!]!) { importTickets(source: CSV, tickets: $t) { inserted } }', { t: tickets }, token);
  if (imported.errors) throw new Error(JSON.stringify(imported.errors));
  const found = await gql<{ ticketGroups: { edges: { node: { id: string } }[] }; measures: { edges: { node: { id: string } }[] } }>(
    server.url,
    '{ ticketGroups(first: 1) { edges { node { id } } } measures(filter: { doi: 4 }, first: 1) { edges { node { id } } } }',
    {},
    token,
  );
  const linked = await gql(server.url, 'mutation($g: ID!, $m: ID!) { linkTicketGroup(groupId: $g, measureId: $m) { id } }', {
    g: found.data!.ticketGroups.edges[0].node.id,
    m: found.data!.measures.edges[0].node.id,
  }, token);
  if (linked.errors) throw new Error(JSON.stringify(linked.errors));
}

let server: ServerProcess;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-e2e-sweep-'));
  server = await startServer({ DATA_DIR: dataDir });
  browser = await launchChromium();
  await ensureTicketGroup();
  fs.rmSync(SWEEP_DIR, { recursive: true, force: true });
  fs.mkdirSync(SWEEP_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Where a page leads: the header's and in-page navigation (tabs), and every link in the content. */
async function linksOn(page: Page): Promise<{ navigation: string[]; content: string[] }> {
  return page.evaluate(() => {
    const local = (a: HTMLAnchorElement) => {
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin) return null;
      url.searchParams.delete('scope');
      return `${url.pathname}${url.search}`;
    };
    const all = (selector: string) => [...document.querySelectorAll<HTMLAnchorElement>(selector)].map(local).filter((u): u is string => !!u);
    return { navigation: all('header nav a[href], main nav:not([aria-label="Breadcrumb"]) a[href]'), content: all('main a[href]') };
  });
}

/** A readable file name: a detail page is named after its route, not its id. */
function fileName(role: string, url: string, viewport: string): string {
  const detail = ROUTES.patterns.find((p) => p.pattern.test(url.split('?')[0]));
  const slug = detail ? detail.name : url.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '') || 'portfolio';
  return path.join(SWEEP_DIR, `${role}-${slug}-${viewport}.png`);
}

/** Opens one URL and checks it at every viewport; returns what is wrong, one line each. */
async function checkRoute(page: Page, problems: string[], role: string, url: string, keyboard: boolean): Promise<string[]> {
  const found: string[] = [];
  const seenProblems = problems.length;
  await page.setViewportSize({ width: VIEWPORTS[0].width, height: VIEWPORTS[0].height });
  await page.goto(`${server.url}${url}`);
  await settled(page);
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await settled(page);
    const overflow = await horizontalOverflow(page);
    if (overflow) found.push(`${role} ${url} @${vp.width}: page is ${overflow.scrollWidth}px wide: ${overflow.culprits.join(', ')}`);
    for (const v of await seriousA11yViolations(page)) found.push(`${role} ${url} @${vp.width}: axe ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(' | ')}`);
    if (vp.width === 1440 || vp.width === 390) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: fileName(role, url, String(vp.width)), fullPage: true });
    }
    if (keyboard && vp.width === 1440) {
      for (const stop of (await tabThrough(page, TAB_LIMIT)).filter((s) => !s.visible)) found.push(`${role} ${url}: focus not visible on ${stop.element}`);
    }
  }
  for (const p of problems.slice(seenProblems)) found.push(`${role} ${url}: ${p}`);
  return found;
}

async function sweep(role: Role, keyboard: boolean): Promise<{ visited: string[]; found: string[] }> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  try {
    await instrumentContext(context);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, ROLES[role]);

    const queue = [...ROUTES.open];
    const visited: string[] = [];
    const found: string[] = [];
    const detailsOpened = new Set<string>();
    while (queue.length) {
      const url = queue.shift()!;
      if (visited.includes(url)) continue;
      visited.push(url);
      found.push(...(await checkRoute(page, problems, role, url, keyboard)));
      const links = await linksOn(page);
      for (const link of links.navigation) if (!visited.includes(link) && !queue.includes(link)) queue.push(link);
      // The first link to each route with a parameter opens it: a measure, a gate review, a ticket group.
      for (const { name, pattern } of ROUTES.patterns) {
        if (detailsOpened.has(name)) continue;
        const link = links.content.find((l) => pattern.test(l.split('?')[0]));
        if (link) {
          detailsOpened.add(name);
          queue.push(link.split('?')[0]);
        }
      }
    }
    for (const { name } of ROUTES.patterns) if (!detailsOpened.has(name)) found.push(`${role}: no link to a ${name} page was found to open`);
    return { visited, found };
  } finally {
    await context.close();
  }
}

describe('every route at every width, as every role', () => {
  it('the sign-in page fits, has no console error and no serious accessibility violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    await instrumentContext(context);
    const page = await context.newPage();
    const problems = watchConsole(page);
    const found: string[] = [];
    for (const url of ROUTES.publicPaths) found.push(...(await checkRoute(page, problems, 'anonymous', url, true)));
    await context.close();
    expect(found).toEqual([]);
  });

  it('folds the navigation into a menu on a phone, which opens and closes by keyboard and leads to each page', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, ROLES.owner);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByRole('button', { name: 'Menu' });

    // Setup: folded, the links are not on screen and not in the tab order.
    await expect.poll(() => nav.getByRole('link', { name: 'Measures' }).isVisible()).toBe(false);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    // Action: open it from the keyboard, then close it with Escape.
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => nav.getByRole('link', { name: 'Measures' }).isVisible()).toBe(true);
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: path.join(SWEEP_DIR, 'owner-menu-open-390.png') });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await expect.poll(() => nav.getByRole('link', { name: 'Measures' }).isVisible()).toBe(false);
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);

    // Assert: a link in the menu opens its page and folds the menu again.
    await menu.click();
    await nav.getByRole('link', { name: 'Gate reviews' }).click();
    await expect.poll(() => page.url()).toContain('/gates');
    await expect.poll(() => nav.getByRole('link', { name: 'Measures' }).isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const role of Object.keys(ROLES) as Role[]) {
    it(`as ${role}: no sideways scrolling, console error or serious accessibility violation on any route`, async () => {
      // The keyboard walk runs for the admin, who is shown every control (import, settings, every form).
      const { visited, found } = await sweep(role, role === 'admin');
      expect(visited.length).toBeGreaterThanOrEqual(ROUTES.open.length + ROUTES.patterns.length);
      expect(found).toEqual([]);
    });
  }
});
