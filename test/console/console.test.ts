// End to end through Debian's Chromium: sign in from the keyboard, import a Compute image from a
// local source, copy it to a desktop image, watch the operations end, find it in the table and
// its labels in the detail view, update it, make a desktop group and a desktop from it (stop,
// start, restart, delete), look an operation up, delete the image; a failing import shows
// its error. At 390×844 nothing scrolls sideways and every input has an accessible name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { openBrowser, signIn, unnamedInputs, waitForText, type ConsoleBrowser } from './browser.js';

const FOLDER = 'f-console';
let server: RunningServer;
let source: ImageSource;
let browser: ConsoleBrowser;
let origin: string;

before(async () => {
  [server, source, browser] = await Promise.all([startServer(), startImageSource(), openBrowser()]);
  origin = `http://${server.address}`;
});
after(async () => {
  await browser?.close();
  await source?.close();
  await server?.cleanup();
});

test('import, copy, watch, find, inspect, update and delete a desktop image; a group and a desktop from it', async () => {
  const page = await browser.page(origin);
  await signIn(page, server.token, FOLDER);
  assert.equal(new URL(page.url()).pathname, '/console/');
  // The token is kept in this tab only: sessionStorage, never localStorage or a cookie.
  const stored = await page.evaluate<{ local: number; cookie: string; session: string }>(
    "({ local: localStorage.length, cookie: document.cookie, session: sessionStorage.getItem('clouddesk.console.session') ?? '' })",
  );
  assert.equal(stored.local, 0);
  assert.equal(stored.cookie, '');
  assert.ok(stored.session.includes(server.token));

  await page.getByRole('button', { name: 'Compute images' }).click();
  await page.getByLabel('Image name', { exact: true }).fill('e2e-source');
  await page.getByLabel('Image URL', { exact: true }).fill(source.url('/qcow2?virtual=1073741824'));
  await page.getByRole('button', { name: 'Import' }).click();
  const importRow = page.locator('.recent tr', { hasText: 'Import Compute image e2e-source' });
  await waitForText(importRow.locator('.badge'), /^done$/);
  await waitForText(page.getByLabel('Source Compute image', { exact: true }), /e2e-source/);

  await page.getByLabel('Desktop image name', { exact: true }).fill('e2e-desktop');
  await page.getByLabel('Desktop image labels', { exact: true }).fill('env=e2e\nteam=qa');
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  const copyRow = page.locator('.recent tr', { hasText: 'to desktop image e2e-desktop' });
  await waitForText(copyRow.locator('.badge'), /^done$/);
  const copyOpId = (await copyRow.locator('code').textContent()) ?? '';
  assert.match(copyOpId, /\S/);
  await browser.shot(page, 'wide-compute-copied');

  // A failing import ends with its error shown, beside the row and in the form.
  await page.getByLabel('Image name', { exact: true }).fill('e2e-broken');
  await page.getByLabel('Image URL', { exact: true }).fill(source.url('/short?size=1048576'));
  await page.getByRole('button', { name: 'Import' }).click();
  const failedRow = page.locator('.recent tr', { hasText: 'Import Compute image e2e-broken' });
  await waitForText(failedRow.locator('.badge'), /^failed$/);
  const failure = await failedRow.locator('td').last().textContent();
  assert.match(failure ?? '', /\(code \d+\)/);
  await waitForText(page.getByRole('alert'), /\S/);

  // The operations view: this session's operations, and a lookup by id.
  await page.getByRole('button', { name: 'Operations', exact: true }).click();
  await page.getByLabel('Operation ID', { exact: true }).fill(copyOpId);
  await page.keyboard.press('Enter');
  await waitForText(page.getByLabel('Operation JSON', { exact: true }), /"done": true/);
  assert.equal(await page.locator('main tr', { hasText: 'e2e-broken' }).count(), 1);

  // The table: filtered by name, sorted, with the new image ACTIVE.
  await page.getByRole('button', { name: 'Desktop images' }).click();
  await page.getByLabel('Filter by name', { exact: true }).fill('e2e-desktop');
  await page.getByLabel('Sort by', { exact: true }).selectOption('name');
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.locator('main tbody tr', { hasText: 'e2e-desktop' });
  await waitForText(row.locator('td[data-label="Status"]'), /^ACTIVE$/);
  await browser.shot(page, 'wide-images');

  await row.getByRole('button', { name: 'e2e-desktop' }).click();
  const labels = page.locator('table.labels');
  await waitForText(labels, /env\s*e2e/);
  assert.match((await labels.textContent()) ?? '', /team\s*qa/);
  const imageId = (await page.locator('dl.details code').textContent()) ?? '';
  await browser.shot(page, 'wide-image-detail');

  // Update: description and labels, followed to the end, then shown.
  await page.getByLabel('Description', { exact: true }).fill('made by the console test');
  await page.getByLabel('Labels', { exact: true }).fill('env=e2e\nteam=ops');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await waitForText(page.locator('.recent tr', { hasText: `Update desktop image ${imageId}` }).locator('.badge'), /^done$/);
  await waitForText(labels, /team\s*ops/);
  assert.match((await page.locator('dl.details').textContent()) ?? '', /made by the console test/);

  // Desktops: a group from the image, a desktop in it, stopped and started, then both deleted.
  await page.getByRole('button', { name: 'Desktops and groups' }).click();
  await page.getByLabel('Group name', { exact: true }).fill('e2e-group');
  await waitForText(page.getByLabel('Desktop image', { exact: true }), /e2e-desktop/);
  await page.getByRole('button', { name: 'Create group' }).click();
  await waitForText(page.locator('.recent tr', { hasText: 'Create desktop group e2e-group' }).locator('.badge'), /^done$/);
  await waitForText(page.getByLabel('Desktop group', { exact: true }), /e2e-group/);
  await page.getByLabel('Desktop name', { exact: true }).fill('e2e-desk');
  await page.getByLabel('User subject ID', { exact: true }).fill('user-e2e');
  await page.getByRole('button', { name: 'Create desktop' }).click();
  await waitForText(page.locator('.recent tr', { hasText: 'Create desktop e2e-desk' }).locator('.badge'), /^done$/);
  const desk = page.locator('main tbody tr', { hasText: 'e2e-desk' });
  await desk.waitFor();
  const deskId = (await desk.locator('code').textContent()) ?? '';
  for (const verb of ['Stop', 'Start', 'Restart']) {
    await desk.getByRole('button', { name: `${verb} desktop e2e-desk`, exact: true }).click();
    await waitForText(page.locator('.recent tr', { hasText: `${verb} desktop ${deskId}` }).locator('.badge'), /^done$/);
  }
  await browser.shot(page, 'wide-desktops');
  await desk.getByRole('button', { name: 'Delete desktop e2e-desk' }).click();
  await waitForText(page.locator('.recent tr', { hasText: `Delete desktop ${deskId}` }).locator('.badge'), /^done$/);
  await page.getByRole('button', { name: 'Delete group e2e-group' }).click();
  await waitForText(page.locator('.recent tr', { hasText: 'Delete desktop group' }).locator('.badge'), /^done$/);

  await page.getByRole('button', { name: 'Desktop images' }).click();
  await page.getByLabel('Filter by name', { exact: true }).fill('e2e-desktop');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('main tbody tr', { hasText: 'e2e-desktop' }).getByRole('button', { name: 'e2e-desktop' }).click();

  await page.getByRole('button', { name: 'Delete image' }).click();
  await page.getByRole('button', { name: 'Confirm delete' }).click();
  await waitForText(page.locator('.recent tr', { hasText: `Delete desktop image ${imageId}` }).locator('.badge'), /^done$/);
  await page.getByRole('heading', { name: 'Desktop images' }).waitFor();
  await page.getByLabel('Filter by name', { exact: true }).fill('e2e-desktop');
  await page.getByRole('button', { name: 'Apply' }).click();
  await waitForText(page.locator('main tbody tr'), /No desktop images named "e2e-desktop"/);
  const gone = await fetch(`${origin}/cloud-desktop/v1/images/${imageId}`, { headers: { authorization: `Bearer ${server.token}` } });
  assert.equal(gone.status, 404);

  assert.deepEqual(browser.foreignRequests(origin), []);
  assert.deepEqual(browser.problems, []);
});

test('a wrong token is refused with the server\'s message and nothing is shown', async () => {
  const page = await browser.page(origin);
  await page.goto('/console/');
  await page.getByLabel('Token', { exact: true }).fill('cdt1.not-a-real-token');
  await page.getByLabel('Folder ID', { exact: true }).fill(FOLDER);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForText(page.getByRole('alert'), /\S/);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
});

test('at 390×844 no view scrolls sideways and every input has an accessible name', async () => {
  // Rows with long names and ids in every table, so the narrow layout is tried with data.
  const image = await made('/compute/v1/images', { folderId: FOLDER, name: 'narrow-source-with-a-long-name', uri: source.url('/qcow2?virtual=1073741824') });
  const desktopImage = await made('/cloud-desktop/v1/images:copy', { folderId: FOLDER, imageId: image, name: 'narrow-desktop-image-with-a-rather-long-name', labels: { env: 'narrow' } });
  const group = await made('/cloud-desktop/v1/desktopGroups', { folderId: FOLDER, desktopImageId: desktopImage, name: 'narrow-group-with-a-long-name' });
  await made('/cloud-desktop/v1/desktops', { desktopGroupId: group, name: 'narrow-desktop-with-a-long-name', users: [{ subjectId: 'user-narrow', subjectType: 'userAccount' }] });

  const page = await browser.page(origin, { width: 390, height: 844 });
  await page.goto('/console/');
  assert.deepEqual(await unnamedInputs(page), []);
  await signIn(page, server.token, FOLDER);
  for (const view of ['Desktop images', 'Compute images', 'Desktops and groups', 'Operations']) {
    await page.getByRole('button', { name: view, exact: true }).click();
    await page.getByRole('main', { name: view }).waitFor();
    await page.waitForLoadState('networkidle');
    const widths = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
    assert.ok(widths.scroll <= widths.client, `${view}: ${widths.scroll} > ${widths.client}`);
    assert.deepEqual(await unnamedInputs(page), [], view);
    await browser.shot(page, `narrow-${view.toLowerCase().replace(/\W+/g, '-')}`);
  }
  // Keyboard: Tab reaches the navigation's buttons, and the focused one shows an outline.
  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Shift+Tab');
  const focused = await page.evaluate<{ tag: string; outline: string }>(
    '({ tag: document.activeElement.tagName, outline: getComputedStyle(document.activeElement).outlineStyle })',
  );
  assert.equal(focused.tag, 'BUTTON');
  assert.notEqual(focused.outline, 'none');
  assert.deepEqual(browser.problems, []);
});

/** POSTs over REST as the admin and waits for the operation; returns the id of what it made. */
async function made(path: string, body: unknown): Promise<string> {
  const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  const started = await fetch(`${origin}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  let op = (await started.json()) as { id: string; done?: boolean; error?: unknown; response?: { id: string } };
  assert.equal(started.status, 200, JSON.stringify(op));
  for (let i = 0; i < 300 && !op.done; i++) {
    await new Promise((r) => setTimeout(r, 100));
    op = (await (await fetch(`${origin}/operations/${op.id}`, { headers })).json()) as typeof op;
  }
  assert.ok(op.done && !op.error && op.response, JSON.stringify(op));
  return op.response.id;
}
