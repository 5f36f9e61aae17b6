import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { gql, login } from '../../support/server-process.js';
import { watchConsole } from './browser.js';

export const DEMO = {
  owner: 'owner@northwind.example',
  admin: 'admin@northwind.example',
  viewer: 'viewer@northwind.example',
  controller: 'controller@northwind.example',
} as const;

export interface AppPage {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** A fresh browser context (its own cookies) at 1280x800 in en-US, watching the console. */
export async function openApp(browser: Browser, width = 1280, height = 800): Promise<AppPage> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const problems = watchConsole(page);
  return { page, problems, close: () => context.close() };
}

export async function signIn(page: Page, email: string, password = 'demo-password'): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByTestId('user-name').isVisible()).toBe(true);
}

/** Waits until the measures table shows rows and is not refreshing. */
export async function tableSettled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('table.measures tbody tr').count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('.results[aria-busy="true"]').count()).toBe(0);
}

/**
 * Spreads a yearly amount evenly over twelve months with the values grid's tool (not saved yet); returns the first
 * month it filled.
 */
export async function spreadYearly(page: Page, amount: string, kind: 'PLAN' | 'FORECAST' = 'PLAN'): Promise<string> {
  const tools = page.getByTestId('values-tools');
  await expect.poll(() => tools.isVisible()).toBe(true);
  await tools.getByLabel('Yearly amount').fill(amount);
  await tools.getByLabel('Into').selectOption(kind);
  const start = await tools.getByLabel('Twelve months from').inputValue();
  await tools.getByRole('button', { name: 'Spread' }).click();
  await expect.poll(() => page.getByTestId('values-tool-message').textContent()).toMatch(new RegExp(`^Spread .*${amount.replace(/[.]/g, '\\.')}`));
  return start;
}

/** "Nov 2026" as the grid labels months in en-US. */
export function monthLabel(month: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

export interface ApiMeasure {
  id: string;
  version: number;
  title: string;
  description: string;
  values: { month: string; kind: string; amount: string }[];
  milestones: { title: string; done: boolean }[];
}

/** Reads a measure through the API as another session would. */
export async function apiMeasure(url: string, token: string, id: string): Promise<ApiMeasure> {
  const res = await gql<{ measure: ApiMeasure }>(
    url,
    `query($id: ID!) { measure(id: $id) { id version title description values { month kind amount } milestones { title done } } }`,
    { id },
    token,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.measure;
}

export async function apiUpdateMeasure(url: string, token: string, id: string, version: number, input: Record<string, unknown>): Promise<void> {
  const res = await gql(url, `mutation($id: ID!, $v: Int!, $input: UpdateMeasureInput!) { updateMeasure(id: $id, version: $v, input: $input) { version } }`, { id, v: version, input }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

export { gql, login };
