// The home page in real Chromium: English first, then Arabic through the language switcher.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, screenshot, startHaven } from './harness.mjs';

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

test('home page switches to Arabic, right to left', async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  const thirdParty = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(haven.url)) thirdParty.push(request.url());
  });

  await page.goto(`${haven.url}/`);
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await page.textContent('h1'), 'What do you need help with?');
  assert.match(await page.textContent('.demo'), /demo data/);
  await screenshot(page, 'home-en');

  await page.click('a[hreflang="ar"]');
  await page.waitForLoadState('load');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await page.textContent('h1'), 'ما الذي تحتاج المساعدة فيه؟');
  // The choice is remembered: a fresh visit to another page stays in Arabic.
  await page.goto(`${haven.url}/no-such-page`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.textContent('h1'), 'الصفحة غير موجودة');

  await page.goto(`${haven.url}/`);
  const path = await screenshot(page, 'home-ar');
  assert.ok(path.endsWith('home-ar.png'));
  assert.deepEqual(thirdParty, [], 'no request leaves the site');
  await page.close();
});

test('the stylesheet loads under the content security policy', async () => {
  const page = await browser.newPage();
  const blocked = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  await page.goto(`${haven.url}/`);
  const background = await page.$eval('.masthead', (el) => getComputedStyle(el).backgroundColor);
  assert.equal(background, 'rgb(11, 83, 148)', 'haven.css applied');
  assert.deepEqual(blocked, []);
  await page.close();
});
