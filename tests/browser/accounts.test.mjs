// A site administrator sets up their account from the link `haven user create` prints, signs
// out, and signs in again with password and authenticator code: in English and in Arabic.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, screenshot, startHaven } from './harness.mjs';
import { totp } from './totp.mjs';

let haven;
let browser;

before(async () => {
  haven = await startHaven('serve');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

const PASSWORD = 'blue kettle under the stairs';

for (const [language, texts] of [
  ['en', { setUp: 'Set up your account', codes: 'Save your recovery codes', signIn: 'Sign in', account: 'Your account' }],
  ['ar', { setUp: 'إعداد حسابك', codes: 'احفظ رموز الاسترداد', signIn: 'تسجيل الدخول', account: 'حسابك' }],
]) {
  test(`set up, sign out and sign in again (${language})`, async () => {
    const email = `admin-${language}@example.org`;
    const printed = haven.cli('user', 'create', '--site-admin', email, '--public-url', haven.url);
    const link = printed.trim().split('\n').pop();
    assert.match(link, /\/account\/set-up\/[A-Za-z0-9_-]{43}$/);

    const context = await browser.newContext({ locale: language === 'ar' ? 'ar' : 'en-GB' });
    const page = await context.newPage();
    await page.goto(link);
    assert.equal(await page.textContent('h1'), texts.setUp);
    assert.equal(await page.getAttribute('html', 'dir'), language === 'ar' ? 'rtl' : 'ltr');
    const secret = await page.getAttribute('input[name="totp_secret"]', 'value');
    await page.fill('#password', PASSWORD);
    await page.fill('#password_again', PASSWORD);
    await page.fill('#code', totp(secret));
    await screenshot(page, `set-up-${language}`);
    await page.click('button[type="submit"]');
    assert.equal(await page.textContent('h1'), texts.codes);
    assert.equal(await page.locator('.codes li').count(), 10);
    await screenshot(page, `recovery-codes-${language}`);

    await page.click('a[href="/account"]');
    assert.equal(await page.textContent('h1'), texts.account);
    await page.click('form[action="/sign-out"] button');
    await page.goto(`${haven.url}/account`);
    assert.equal(await page.textContent('h1'), texts.signIn, 'signed out: /account asks to sign in');

    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type="submit"]');
    // A fresh code: the one used at set-up may not be used again, so wait for the next step.
    const nextStep = 30_000 - (Date.now() % 30_000) + 200;
    await new Promise((resolve) => setTimeout(resolve, nextStep));
    await page.fill('#code', totp(secret));
    await page.click('button[type="submit"]');
    assert.equal(await page.textContent('h1'), texts.account);
    assert.match(await page.textContent('main'), new RegExp(email));
    await screenshot(page, `account-${language}`);
    await context.close();
  });
}
