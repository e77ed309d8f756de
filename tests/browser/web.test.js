// SPDX-License-Identifier: MIT
// The web pages in real headless Chromium (run by run.sh, which starts the
// server): a tenant files a complaint from the QR URL on a phone-sized
// screen (axe-core: no WCAG 2.2 AA violations, nothing wider than the screen
// at 200% zoom); a manager signs in, finds it, responds, closes it and
// exports CSV; a caretaker posts a notice (run.sh then reads it off the
// kiosk's screenshot) and cannot open complaints; a manager adds today's
// hours exception, sees an out-of-hours door opening (published with
// mosquitto_pub) appear on the breaches list without reloading it,
// acknowledges it with a note, finds the breach and the permitted hours on
// the noise day view's SVG and the kiosk on the kiosks page: axe-clean and
// screenshotted at 1280 and 390 px, nothing wider than a phone screen.
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = process.env.BASE;
const QR_URL = process.env.QR_URL;
const SHOTS = process.env.SHOTS;
const PROFILE = process.env.PROFILE;
const MQTT_PORT = process.env.MQTT_PORT;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

function log(msg) { console.log(`--- browser: ${msg}`); }

// Run axe-core on the page; fail with the violations listed.
async function expectNoViolations(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  const bad = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  log(`axe on ${what}: ${result.passes.length} rules passed, ${result.violations.length} violations, ${result.incomplete.length} to review`);
  assert.deepEqual(bad, [], `axe violations on ${what}`);
}

// The page is not wider than its screen (so nothing needs sideways scrolling).
async function expectNoSidewaysScroll(page, what) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(w[0] <= w[1], `${what}: ${w[0]} px wide in a ${w[1]} px screen`);
}

async function newContext(profile, viewport) {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: ARGS, viewport, acceptDownloads: true,
  });
}

async function tenant() {
  const ctx = await newContext(`${PROFILE}-tenant`, { width: 390, height: 844 });
  const page = ctx.pages()[0] || await ctx.newPage();
  log(`tenant opens ${QR_URL} at 390x844`);
  const resp = await page.goto(QR_URL);
  assert.equal(resp.status(), 200);
  await expectNoViolations(page, 'the complaint form');
  await expectNoSidewaysScroll(page, 'the complaint form');
  await page.screenshot({ path: path.join(SHOTS, 'tenant-form.png'), fullPage: true });
  // every text field, button and choice (its whole label row) is at least 44 px high
  const small = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]):not([type=radio]):not(#website), textarea, select, button, label.choice')]
    .filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.id || e.textContent));
  assert.deepEqual(small, [], 'touch targets smaller than 44 px');

  log('an empty form comes back with a clear message');
  await page.getByRole('button', { name: 'Send complaint' }).click();
  await page.getByText('There is a problem').waitFor();
  await expectNoViolations(page, 'the form with an error');

  log('the tenant fills it in and gets a reference');
  await page.getByLabel('Noise').check();
  await page.getByLabel('What happened?').fill('Radio playing loudly on the scaffold at 7am');
  await page.getByLabel('Your name').fill('Jo Bloggs');
  await page.getByLabel('Flat number').fill('12');
  await page.getByLabel('Phone number').fill('0117 496 0001');
  await page.getByLabel('Phone', { exact: true }).check();
  await page.getByRole('button', { name: 'Send complaint' }).click();
  const ref = (await page.locator('#reference').textContent()).trim();
  assert.match(ref, /^WC-\d{4}-\d{4}$/);
  await page.getByText('What happens next').waitFor();
  await expectNoViolations(page, 'the confirmation');
  await page.screenshot({ path: path.join(SHOTS, 'tenant-sent.png'), fullPage: true });

  log('at 200% zoom (195 CSS px wide) the form still fits');
  await page.setViewportSize({ width: 195, height: 422 });
  await page.goto(QR_URL);
  await expectNoSidewaysScroll(page, 'the form at 200%');
  await page.screenshot({ path: path.join(SHOTS, 'tenant-form-200.png'), fullPage: true });
  await ctx.close();
  return ref;
}

async function signIn(page, name, password) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}/staff/`);
}

async function manager(ref) {
  const ctx = await newContext(`${PROFILE}-manager`, { width: 1280, height: 900 });
  const page = ctx.pages()[0] || await ctx.newPage();
  log('manager signs in and finds the complaint');
  await expectNoViolations(await (async () => { await page.goto(`${BASE}/login`); return page; })(), 'sign-in');
  await signIn(page, 'anna', 'manager password 1');
  await page.getByRole('link', { name: 'Complaints', exact: true }).click();
  await page.getByRole('link', { name: ref }).click();
  await page.getByText('Jo Bloggs').waitFor();
  await page.getByText('0117 496 0001').waitFor();
  await expectNoViolations(page, 'the complaint page');

  log('responds, closes it');
  await page.getByLabel('How you responded').selectOption('phone');
  await page.getByLabel('What was said or done').fill('Phoned Jo: radio removed, crew reminded');
  await page.getByRole('button', { name: 'Add response' }).click();
  await page.getByText('Phoned Jo: radio removed, crew reminded').waitFor();
  await page.getByLabel('Status').selectOption('closed');
  await page.getByRole('button', { name: 'Change status' }).click();
  await page.locator('dd', { hasText: 'Closed' }).first().waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'manager-complaint.png'), fullPage: true });

  log('exports CSV');
  await page.getByRole('link', { name: 'Export' }).click();
  await expectNoViolations(page, 'export');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(download.suggestedFilename(), /^complaints-.*\.csv$/);
  assert.ok(csv.startsWith('reference,received_at,'), csv);
  assert.ok(csv.includes(`"${ref}"`), csv);
  assert.ok(csv.includes('anna (phone): Phoned Jo: radio removed'), csv);
  assert.ok(!csv.includes('Jo Bloggs') && !csv.includes('0117 496 0001'), 'contact details exported unasked');
  await ctx.close();
}

async function caretaker() {
  const ctx = await newContext(`${PROFILE}-caretaker`, { width: 390, height: 844 });
  const page = ctx.pages()[0] || await ctx.newPage();
  log('caretaker signs in on a phone and posts a notice');
  await signIn(page, 'bob', 'caretaker password 1');
  await page.getByRole('link', { name: 'Tower A' }).click();
  await expectNoViolations(page, "the caretaker's block page");
  const form = page.locator('form', { has: page.locator('#new-notice-title') });
  await form.getByLabel('Title').fill('Water off Thursday');
  await form.getByLabel('Text (optional)').fill('Taps off from 9 until 12');
  await form.getByLabel('Priority').selectOption('urgent');
  await form.getByRole('button', { name: 'Add' }).click();
  await page.getByRole('cell', { name: 'Water off Thursday' }).waitFor();
  const img = page.locator('img.preview');
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => { const i = document.querySelector('img.preview'); return i && i.complete && i.naturalWidth === 1080; });
  await expectNoSidewaysScroll(page, "the caretaker's block page");
  await page.screenshot({ path: path.join(SHOTS, 'caretaker-block.png'), fullPage: true });

  log('caretaker cannot open complaints');
  const resp = await page.goto(`${BASE}/staff/complaints`);
  assert.equal(resp.status(), 403);
  await page.getByRole('heading', { name: 'Not for your role' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Complaints' }).count(), 0);
  await ctx.close();
}

function mqttPublish(topic, payload, retain) {
  const args = ['-h', '127.0.0.1', '-p', MQTT_PORT, '-q', '1', '-t', topic, '-m', payload];
  if (retain) args.push('-r');
  execFileSync('mosquitto_pub', args);
}

const iso = (ms) => new Date(ms).toISOString();
const pad = (n) => String(n).padStart(2, '0');
const localDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

// Screenshots of the page at 1280 px (as it is) and at 390 px, axe-clean at both.
async function shoot(page, name, what) {
  await expectNoViolations(page, what);
  await page.screenshot({ path: path.join(SHOTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page, `${what} at 390 px`);
  await expectNoViolations(page, `${what} at 390 px`);
  await page.screenshot({ path: path.join(SHOTS, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function managerSite() {
  const ctx = await newContext(`${PROFILE}-site`, { width: 1280, height: 900 });
  const page = ctx.pages()[0] || await ctx.newPage();
  const now = new Date();
  const today = localDate(now);
  // a window today that does not include now, so the door opened below is out of hours
  const win = now.getHours() >= 2 ? ['00:00', '01:00'] : ['22:00', '23:00'];
  await signIn(page, 'anna', 'manager password 1');

  log("manager adds today's hours exception, with who agreed it and why");
  await page.getByRole('link', { name: 'Hours', exact: true }).click();
  await page.getByLabel('Date').fill(today);
  await page.getByLabel('Work allowed from').fill(win[0]);
  await page.getByLabel('Until').fill(win[1]);
  await page.getByLabel('Why').fill('Concrete pour');
  await page.getByLabel('Agreed by').fill('Resident panel, 1 Dec meeting');
  await page.getByRole('button', { name: 'Add exception' }).click();
  await page.getByRole('cell', { name: 'Resident panel, 1 Dec meeting' }).waitFor();
  await shoot(page, 'manager-hours', 'the hours page');

  log('the breaches list is open; a door opens out of hours; the list updates by itself');
  await page.getByRole('link', { name: 'Breaches', exact: true }).click();
  await page.getByText('0 open or acknowledged breaches.').waitFor();
  await page.getByRole('button', { name: 'Pause automatic updates' }).waitFor();
  await expectNoViolations(page, 'the empty breaches list');
  const t0 = Date.now();
  for (let i = 1; i <= 5; i++) {
    mqttPublish('siteboard/barton-hill/tower-a/sensor/mic/noise',
      JSON.stringify({ seq: i, ts: iso(t0 - (7 - i) * 60000), period_s: 60, laeq: 50 + 3 * i, lafmax: 70 + 2 * i, la90: 40 }));
  }
  mqttPublish('siteboard/barton-hill/tower-a/sensor/gate/door', JSON.stringify({ seq: 1, ts: iso(t0), state: 'open' }));
  const row = page.getByRole('row', { name: /Site door opened out of hours/ });
  await row.waitFor({ timeout: 40000 });
  assert.match(await page.locator('#live-status').textContent(), /open or acknowledged/);
  assert.match(await row.textContent(), /Open/);
  await shoot(page, 'manager-breaches', 'the breaches list');

  log('acknowledges it with a note');
  await row.getByRole('link').click();
  await expectNoViolations(page, 'the breach page');
  await page.getByLabel('Note').fill('Guard checked: delivery driver, gate shut at once');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('ol.trail li', { hasText: 'Guard checked: delivery driver, gate shut at once' }).waitFor();
  assert.match(await page.locator('ol.trail li').last().textContent(), /Acknowledged, by anna/);
  await page.locator('dd', { hasText: 'Acknowledged' }).waitFor();
  await shoot(page, 'manager-breach', 'the acknowledged breach');
  await page.getByRole('link', { name: 'Breaches', exact: true }).click();
  assert.match(await page.getByRole('row', { name: /Site door opened out of hours/ }).textContent(), /Acknowledged/);

  log('the day view: permitted hours shaded, the breach marked, a table below');
  await page.getByRole('link', { name: 'Noise', exact: true }).click();
  const svg = page.locator('svg.noisechart').first();
  await svg.waitFor();
  assert.ok(await svg.locator('rect.permitted').count() >= 1, 'no permitted-hours shading');
  assert.ok(await svg.locator('g.breach').count() >= 1, 'no breach marker');
  assert.ok(await svg.locator('path.laeq').count() === 1, 'no LAeq line');
  assert.match(await svg.locator('title').first().textContent(), /Noise at Tower A, sensor mic/);
  await page.getByRole('table', { name: 'Noise levels by hour, sensor mic' }).waitFor();
  await shoot(page, 'manager-day', 'the noise day view');

  log('a kiosk reports; the kiosks and sensors page lists it with the sensors');
  mqttPublish('siteboard/barton-hill/tower-a/kiosk/lobby-9/status',
    JSON.stringify({ state: 'online', version: '0.1.0', board_version: 1, shown_at: iso(Date.now()) }), true);
  await page.waitForTimeout(500);
  await page.getByRole('link', { name: 'Kiosks and sensors' }).click();
  await page.getByRole('cell', { name: 'lobby-9' }).waitFor();
  await page.getByRole('cell', { name: 'Main gate' }).waitFor();
  await shoot(page, 'manager-kiosks', 'the kiosks and sensors page');

  log('exports the breaches as CSV');
  await page.getByRole('link', { name: 'Export' }).click();
  await page.getByLabel('Breaches, with acknowledgements and notes').check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(download.suggestedFilename(), /^breaches-.*\.csv$/);
  assert.ok(csv.startsWith('id,rule,block,sensor,'), csv);
  assert.ok(csv.includes('"out_of_hours_access"') && csv.includes('Guard checked'), csv);
  await ctx.close();
}

(async () => {
  const ref = await tenant();
  await manager(ref);
  await caretaker();
  await managerSite();
  log('all passed');
})().catch((e) => { console.error(e); process.exit(1); });
