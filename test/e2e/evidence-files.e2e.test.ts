import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, gql, login } from './support/app.js';
import { SCREENSHOT_DIR, screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';
import { tinyPdf } from './support/files.js';

const run = demoServerForFile('evidence');

/** A 1x1 PNG, written byte by byte. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);

/** An active measure of the demo owner. */
async function measureOfTheOwner(): Promise<{ id: string; title: string }> {
  const token = await login(run.server.url, DEMO.owner);
  const me = await gql<{ me: { id: string } }>(run.server.url, '{ me { id } }', {}, token);
  const res = await gql<{ measures: { edges: { node: { id: string; title: string } }[] } }>(
    run.server.url,
    `query($owner: ID) { measures(filter: { state: ACTIVE, ownerId: $owner }, first: 5) { edges { node { id title } } } }`,
    { owner: me.data!.me.id },
    token,
  );
  return res.data!.measures.edges[0].node;
}

/** Where a screenshot of one card goes, beside the full-page ones. */
function shot(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

async function evidenceCardReady(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('evidence').isVisible(), { timeout: 20_000 }).toBe(true);
}

describe('evidence files in the dashboard', () => {
  it('attaches a PDF with a progress bar, lists it and downloads the same bytes', async () => {
    run.keepEvidenceOnFailure('evidence-files');
    const measure = await measureOfTheOwner();
    const owner = await run.signedIn(DEMO.owner);
    const { page } = owner;
    await page.goto(`${run.server.url}/measures/${measure.id}`);
    await evidenceCardReady(page);
    const card = page.getByTestId('evidence');

    // A PDF of about 1.5 MB over a throttled upload, so the progress bar is seen moving.
    const pdf = tinyPdf('Go-live report: printers consolidated', 1_500_000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 500 * 1024 });
    await card.getByTestId('evidence-source-file').check();
    await card.getByLabel('File', { exact: true }).setInputFiles({ name: 'go-live report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await card.getByLabel('Kind').selectOption('IMPLEMENTATION');
    await card.getByRole('button', { name: 'Attach file' }).click();
    await expect.poll(() => card.getByTestId('evidence-progress').isVisible()).toBe(true);
    await expect.poll(async () => Number(await card.getByTestId('evidence-progress').getAttribute('aria-valuenow').catch(() => '100')), { timeout: 20_000 }).toBeGreaterThan(10);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: shot('evidence-01-uploading') });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // Listed with its name, sniffed type and size, by whom and when
    const item = card.locator('li', { hasText: 'go-live report.pdf' });
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    expect((await item.getByTestId('evidence-file').textContent())?.replace(/\s+/g, ' ').trim()).toBe(`go-live report.pdf · PDF · ${(pdf.length / (1024 * 1024)).toFixed(1)} MB`);
    expect(await item.textContent()).toContain('Olivia Owner');
    expect(await card.getByTestId('evidence-progress').count()).toBe(0);
    await screenshot(page, 'evidence-02-listed');

    // Downloaded: the same bytes, under its name
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByTestId('evidence-download').click()]);
    expect(download.suggestedFilename()).toBe('go-live report.pdf');
    const saved = await download.path();
    expect(fs.readFileSync(saved).equals(pdf)).toBe(true);

    // A CSV attached by mistake, removed after a confirmation
    await card.getByLabel('File', { exact: true }).setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('month,amount\n2026-01,1\n') });
    await card.getByRole('button', { name: 'Attach file' }).click();
    const wrong = card.locator('li', { hasText: 'wrong.csv' });
    await expect.poll(() => wrong.count()).toBe(1);
    expect((await wrong.getByTestId('evidence-file').textContent())?.replace(/\s+/g, ' ').trim()).toBe('wrong.csv · CSV · 23 B');
    await wrong.getByRole('button', { name: 'Remove: wrong.csv' }).click();
    await wrong.getByRole('group', { name: 'Remove “wrong.csv”?' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => wrong.count()).toBe(0);

    // A file of a refused type: the server's reason is shown, nothing is listed
    const before = await card.locator('li').count();
    await card.getByLabel('File', { exact: true }).setInputFiles({ name: 'tool.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200)]) });
    await card.getByRole('button', { name: 'Attach file' }).click();
    await expect.poll(() => card.getByRole('alert').textContent()).toMatch(/not taken as evidence/);
    expect(await card.locator('li').count()).toBe(before);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: shot('evidence-03-refused-type') });
    // Over 25 MB: refused in the page before anything is sent
    await card.getByLabel('File', { exact: true }).setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.alloc(25 * 1024 * 1024 + 1, 0x61) });
    await expect.poll(() => card.locator('.field-error').textContent()).toMatch(/larger than 25 MB/);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: shot('evidence-04-too-large') });
    expect(owner.problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
  });

  it('shows and downloads the file at phone width for a viewer, who is offered no upload; the owner uploads at phone width', async () => {
    run.keepEvidenceOnFailure('evidence-files-phone');
    const measure = await measureOfTheOwner();
    const viewer = await run.signedIn(DEMO.viewer, { width: 390, height: 844 });
    const { page } = viewer;
    await page.goto(`${run.server.url}/measures/${measure.id}`);
    await evidenceCardReady(page);
    const card = page.getByTestId('evidence');
    const item = card.locator('li', { hasText: 'go-live report.pdf' });
    await expect.poll(() => item.count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Attach file' }).count()).toBe(0);
    // Nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByTestId('evidence-download').click()]);
    expect(fs.readFileSync(await download.path()).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: shot('evidence-05-phone') });
    expect(viewer.problems).toEqual([]);

    // The owner's upload form fits the phone too, and a small file goes through it
    const owner = await run.signedIn(DEMO.owner, { width: 390, height: 844 });
    await owner.page.goto(`${run.server.url}/measures/${measure.id}`);
    await evidenceCardReady(owner.page);
    const form = owner.page.getByTestId('evidence');
    await form.getByTestId('evidence-source-file').check();
    await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'site photo.png', mimeType: 'image/png', buffer: PNG });
    await form.getByLabel('Kind').selectOption('VALUE');
    await form.getByRole('button', { name: 'Attach file' }).click();
    const photo = form.locator('li', { hasText: 'site photo.png' });
    await expect.poll(() => photo.count()).toBe(1);
    expect((await photo.getByTestId('evidence-file').textContent())?.replace(/\s+/g, ' ').trim()).toBe(`site photo.png · PNG image · ${PNG.length} B`);
    expect(await owner.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await form.scrollIntoViewIfNeeded();
    await form.screenshot({ path: shot('evidence-06-phone-owner') });
    expect(owner.problems).toEqual([]);
  });
});
