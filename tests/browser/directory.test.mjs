// The public directory in real Chromium: the acceptance searches, filters, a service page, and
// axe-core's WCAG 2.2 AA rules on every public page, in English and Arabic.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { launchChromium, screenshot, startHaven } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let haven;
let browser;

before(async () => {
  haven = await startHaven('demo');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

async function search(page, need, place) {
  await page.goto(`${haven.url}/`);
  await page.fill('#need', need);
  await page.fill('#place', place);
  await page.click('form.search button[type="submit"]');
  await page.waitForLoadState('load');
  return page.locator('.results .card h2').allTextContents();
}

test('english classes near PE1 finds Compas; Keighley, Keighly and BD21 list WYRJN first', async () => {
  const page = await browser.newPage();
  const english = await search(page, 'english classes', 'PE1');
  assert.ok(english.includes('English classes for Roma children'), english.join(' | '));
  await screenshot(page, 'search-pe1');
  for (const place of ['Keighley', 'Keighly', 'BD21']) {
    const names = await search(page, '', place);
    assert.equal(names[0], 'Hate crime and discrimination support', `${place}: ${names.join(' | ')}`);
    assert.match(await page.textContent('.results'), /West Yorkshire Racial Justice Network/);
  }
  await page.close();
});

test('filters narrow results without JavaScript and national services are marked', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${haven.url}/search?place=Keighley&radius=50`);
  const all = await page.locator('.results .card').count();
  assert.match(await page.textContent('.results'), /National service/);
  await page.check('#language-ar');
  await page.click('form.filters button[type="submit"]');
  await page.waitForLoadState('load');
  const arabic = await page.locator('.results .card').count();
  assert.ok(arabic > 0 && arabic < all, `arabic ${arabic} of ${all}`);
  await page.goto(`${haven.url}/search?place=Keighley&radius=50&eligibility=asylum-seeker`);
  const asylum = await page.locator('.results .card').count();
  assert.ok(asylum > 0 && asylum < all, `asylum-seeker ${asylum} of ${all}`);
  await context.close();
});

async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('every public page passes axe-core WCAG 2.2 AA in English and Arabic', async () => {
  for (const locale of ['en-GB', 'ar']) {
    // axe is injected as an inline script, which Haven's CSP rightly forbids: bypass it for the
    // audit only.
    const context = await browser.newContext({ locale, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${haven.url}/search?place=Coventry`);
    const service = await page.getAttribute('.results .card h2 a', 'href');
    const organisation = await page.getAttribute('.results .card .org a', 'href');
    const pages = ['/', '/search?place=Coventry', '/search?place=Nowhereville', '/search?radius=far', service, organisation,
      `${service}/report`, '/about', '/sign-in', '/no-such-page'];
    for (const path of pages) {
      await page.goto(`${haven.url}${path}`);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${locale} ${path}`);
    }
    await page.goto(`${haven.url}${service}`);
    await screenshot(page, `service-${locale}`);
    await context.close();
  }
});

test('"use my location" finds services near the browser\'s position', async () => {
  const context = await browser.newContext({
    geolocation: { latitude: 53.8679, longitude: -1.9064 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await page.goto(`${haven.url}/`);
  const button = page.locator('[data-locate]');
  await button.waitFor({ state: 'visible' });
  await Promise.all([page.waitForURL(/lat=53\.87/), button.click()]);
  const names = await page.locator('.results .card h2').allTextContents();
  assert.equal(names[0], 'Hate crime and discrimination support', names.join(' | '));
  await context.close();
});
