// From an empty database: a site administrator is created with the CLI and sets up; someone
// signs up an organisation; the site administrator approves it; the organisation's admin sets
// up from the e-mailed link and invites a caseworker, who joins from the invitation and signs
// in. All in Chromium, in English and in Arabic. Mail is read from the server's outbox folder.

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

/** The path of the newest link to `prefix` in mail to `to`, waiting for it to arrive. */
async function mailedLink(to, prefix) {
  const pattern = new RegExp(`${prefix}[A-Za-z0-9_-]{43}`);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const found = haven
      .outbox()
      .filter((m) => m.headers.includes(`To: ${to}`) && pattern.test(m.body))
      .pop();
    if (found) return `${haven.url}${found.body.match(pattern)[0]}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to} with a ${prefix} link`);
}

/** Fills and sends the set-up form on the current page; returns the TOTP secret. */
async function setUp(page) {
  const secret = await page.getAttribute('input[name="totp_secret"]', 'value');
  await page.fill('#password', PASSWORD);
  await page.fill('#password_again', PASSWORD);
  await page.fill('#code', totp(secret));
  await page.click('form[method="post"] button[type="submit"]');
  assert.equal(await page.locator('.codes li').count(), 10, 'recovery codes shown');
  return secret;
}

for (const language of ['en', 'ar']) {
  test(`an organisation signs up, is approved and invites a caseworker (${language})`, async () => {
    const locale = language === 'ar' ? 'ar' : 'en-GB';
    const dir = language === 'ar' ? 'rtl' : 'ltr';
    const adminEmail = `site-${language}@example.org`;
    const ownerEmail = `owner-${language}@example.org`;
    const caseworkerEmail = `caseworker-${language}@example.org`;
    const orgName = `Refugee Welcome ${language}`;

    // The site administrator, from the CLI.
    const printed = haven.cli('user', 'create', '--site-admin', adminEmail, '--public-url', haven.url);
    const adminLink = printed.trim().split('\n').pop();
    const admin = await (await browser.newContext({ locale })).newPage();
    await admin.goto(adminLink);
    const adminSecret = await setUp(admin);

    // Someone signs up an organisation.
    const owner = await (await browser.newContext({ locale })).newPage();
    await owner.goto(`${haven.url}/organisations/sign-up`);
    assert.equal(await owner.getAttribute('html', 'dir'), dir);
    await owner.fill('#name', orgName);
    await owner.fill('#email', ownerEmail);
    await screenshot(owner, `organisation-sign-up-${language}`);
    await owner.click('form[action="/organisations/sign-up"] button');
    assert.match(owner.url(), /\/organisations\/sign-up$/);
    assert.equal(await owner.locator('form').count(), 0, 'the thank-you page');
    await screenshot(owner, `organisation-sign-up-done-${language}`);

    // The site administrator approves it.
    await admin.goto(`${haven.url}/admin/organisations`);
    const application = admin.locator('li', { hasText: orgName });
    await screenshot(admin, `admin-organisations-${language}`);
    await application.locator('button[value="approve"]').click();
    assert.equal(await admin.locator('li', { hasText: orgName }).count(), 0, 'no longer pending');

    // The organisation's admin sets up from the e-mailed link.
    await owner.goto(await mailedLink(ownerEmail, '/account/set-up/'));
    await setUp(owner);
    await owner.click('a[href="/account"]');
    await owner.click(`a:has-text("${orgName}")`);
    assert.match(owner.url(), /\/organisations\/[0-9a-f-]{36}$/);
    await screenshot(owner, `organisation-overview-${language}`);
    await owner.click('a[href$="/members"]');
    await owner.fill('#email', caseworkerEmail);
    await owner.selectOption('#role', 'caseworker');
    await screenshot(owner, `organisation-members-${language}`);
    await owner.click('form[action$="/members"] button');
    assert.match(owner.url(), /\/members$/);

    // The caseworker joins from the invitation, then signs in.
    const caseworker = await (await browser.newContext({ locale })).newPage();
    await caseworker.goto(await mailedLink(caseworkerEmail, '/invitations/'));
    assert.equal(await caseworker.getAttribute('html', 'dir'), dir);
    await screenshot(caseworker, `invitation-${language}`);
    const secret = await setUp(caseworker);
    await caseworker.click('a[href="/account"]');
    await caseworker.click('form[action="/sign-out"] button');
    await caseworker.goto(`${haven.url}/sign-in`);
    await caseworker.fill('#email', caseworkerEmail);
    await caseworker.fill('#password', PASSWORD);
    await caseworker.click('form[action="/sign-in"] button');
    // A fresh code: the one used at set-up may not be used again.
    const nextStep = 30_000 - (Date.now() % 30_000) + 200;
    await new Promise((resolve) => setTimeout(resolve, nextStep));
    await caseworker.fill('#code', totp(secret));
    await caseworker.click('button[type="submit"]');
    assert.match(caseworker.url(), /\/account$/);
    await caseworker.click(`a:has-text("${orgName}")`);
    assert.match(caseworker.url(), /\/organisations\/[0-9a-f-]{36}$/);
    assert.equal(await caseworker.locator('a[href$="/members"]').count(), 0, 'not an admin');
    await screenshot(caseworker, `caseworker-organisation-${language}`);

    // The owner sees the caseworker among the members.
    await owner.reload();
    assert.match(await owner.textContent('#members'), new RegExp(caseworkerEmail));

    // The owner invites the site administrator's existing account, choosing the e-mail's
    // language; signed out, the administrator signs in from the invitation and comes back to
    // it to accept.
    await owner.fill('#email', adminEmail);
    await owner.selectOption('#role', 'viewer');
    await owner.selectOption('#language', language);
    await owner.click('form[action$="/members"] button');
    const invitationLink = await mailedLink(adminEmail, '/invitations/');
    const invitationMail = haven.outbox().filter((m) => m.headers.includes(`To: ${adminEmail}`)).pop();
    assert.match(invitationMail.body, language === 'ar' ? /دُعيت للانضمام/ : /You have been invited/);
    const returning = await (await browser.newContext({ locale })).newPage();
    await returning.goto(invitationLink);
    await screenshot(returning, `invitation-existing-account-${language}`);
    await returning.click('a[href^="/sign-in?next="]');
    await returning.fill('#email', adminEmail);
    await returning.fill('#password', PASSWORD);
    await returning.click('form[action="/sign-in"] button');
    assert.match(returning.url(), /\/sign-in\/code\?next=/);
    const freshStep = 30_000 - (Date.now() % 30_000) + 200;
    await new Promise((resolve) => setTimeout(resolve, freshStep));
    await returning.fill('#code', totp(adminSecret));
    await returning.click('button[type="submit"]');
    assert.equal(returning.url(), invitationLink, 'back on the invitation');
    await returning.click('form[action^="/invitations/"] button');
    assert.match(returning.url(), /\/organisations\/[0-9a-f-]{36}$/);
    for (const page of [admin, owner, caseworker, returning]) await page.context().close();
  });
}
