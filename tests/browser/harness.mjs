// Starts the real `haven` binary on a free port with a temporary database, and real Chromium
// (Debian's package) through playwright-core. No mock DOM anywhere.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const screenshots = join(repo, 'target', 'screenshots');

const binary = process.env.HAVEN_BIN ?? join(repo, 'target', 'debug', 'haven');

/** Starts `haven <command>` on port 0 and resolves once it answers /readyz. */
export async function startHaven(command = 'demo') {
  const dir = mkdtempSync(join(tmpdir(), 'haven-browser-'));
  const database = `sqlite://${join(dir, 'haven.db')}`;
  const child = spawn(binary, [command, '--listen', '127.0.0.1:0', '--database', database], {
    cwd: dir,
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`haven exited with ${code} before listening`)));
  });
  const match = firstLine.match(/http:\/\/\S+/);
  if (!match) throw new Error(`no address in: ${firstLine}`);
  const url = match[0].replace(/\/$/, '');
  const ready = await fetch(`${url}/readyz`);
  if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}`);
  return {
    url,
    /** The server's working directory (a temporary folder). */
    dir,
    /** Every message in the outbox folder (`haven-outbox` in the working directory), oldest first, decoded. */
    outbox() {
      const folder = join(dir, 'haven-outbox');
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .filter((name) => name.endsWith('.eml'))
        .map((name) => join(folder, name))
        .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
        .map((path) => decodeEml(readFileSync(path, 'utf8')));
    },
    /** Runs another `haven` command against the same database; returns its standard output. */
    cli(...args) {
      return execFileSync(binary, [...args, '--database', database], {
        cwd: dir,
        env: { ...process.env, RUST_LOG: 'warn' },
        encoding: 'utf8',
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with the flags this closed network needs. */
export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a screenshot under target/screenshots for people to look at. */
export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Headers and plain-text body of an .eml file (base64 or quoted-printable bodies decoded). */
export function decodeEml(eml) {
  const split = eml.indexOf('\r\n\r\n');
  const headers = eml.slice(0, split);
  let body = eml.slice(split + 4);
  if (/Content-Transfer-Encoding:\s*base64/i.test(headers)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers, body };
}
