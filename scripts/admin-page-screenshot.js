// The admin guide's picture of the admin page, from fixed data: starts the built service in trial
// mode with the demo courses in a temporary folder (127.0.0.1, a free port), adds two
// submissions, a feedback and one failed request, and photographs <prefix>admin with the
// system's Chromium (playwright-core, a test dependency). Stops the service and removes the
// folder again.
//   usage: node scripts/admin-page-screenshot.js <output.png>   (npm run screenshots runs it)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.NGSHARE_E2E_CHROMIUM ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, proc) {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) {
      throw new Error(`the service stopped (exit ${proc.exitCode})`);
    }
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url}`);
}

async function call(base, method, route, user, form) {
  const url = `${base}${route}?user=${encodeURIComponent(user)}`;
  const res = await fetch(url, {
    method,
    headers: form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : undefined,
    body: form ? new URLSearchParams(form).toString() : undefined
  });
  return res.json();
}

const files = entries =>
  JSON.stringify(
    entries.map(([p, text]) => ({ path: p, content: Buffer.from(text).toString('base64') }))
  );

async function main() {
  const out = path.resolve(process.argv[2] ?? 'admin-page.png');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-admin-shot-'));
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      path.join(ROOT, 'service/lib/cli.js'),
      '--vngshare',
      '--demo',
      '--admins',
      'admin',
      '--port',
      String(port),
      '--database',
      `sqlite:///${path.join(dir, 'ngshare.db')}`,
      '--storage',
      path.join(dir, 'files'),
      '--log-level',
      'warn'
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
  let browser;
  try {
    const base = `http://127.0.0.1:${port}/api/`;
    await waitUntilUp(`${base}healthz`, proc);
    const alice = await call(base, 'POST', 'submission/demo101/ps1', 'alice', {
      files: files([['ps1.ipynb', '{"cells": [], "metadata": {}, "nbformat": 4}']])
    });
    await call(base, 'POST', 'submission/demo101/ps1', 'bob', {
      files: files([['ps1.ipynb', '{"cells": [1], "metadata": {}, "nbformat": 4}']])
    });
    await call(base, 'POST', 'feedback/demo101/ps1/alice', 'teacher', {
      timestamp: alice.timestamp,
      files: files([['ps1.html', '<p>Well done.</p>']])
    });
    await call(base, 'GET', 'assignments/demo303', 'alice'); // a recent error: 404
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${base}admin?user=admin`);
    await page.locator('details#course-demo101 summary').click();
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await browser?.close();
    proc.kill('SIGTERM');
    await new Promise(resolve => (proc.exitCode !== null ? resolve() : proc.once('exit', resolve)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
