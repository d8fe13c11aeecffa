// End-to-end tests of the web app in a real browser against the real server. Each test builds
// on the previous one (one user's session), as a person would use the app. Figures (JavaScript
// before Monaco, time to an editable editor) are printed and written to e2e/artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser, outputText, register, setCode, waitForEditor, waitForStatus } from './browser.mjs';


import { startMockOidc } from './mock-oidc.mjs';
import { startServer } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const artifacts = path.join(here, 'artifacts');
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';
const suffix = Date.now().toString(36);
const figures = {};

let server;
let oidc;
const OIDC_CLIENT_ID = 'code-remote-e2e';
let browser;
let context;
let page;
let firstRunId;
/** Console errors that are not the expected failed requests (CSP violations, exceptions). */
const pageProblems = [];

function watchForProblems(target) {
  target.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  target.on('console', (message) => {
    if (message.type() !== 'error') return;
    // 401/404/429 answers are expected in these tests; the browser logs each one.
    if (/Failed to load resource/.test(message.text())) return;
    pageProblems.push(`console error: ${message.text()}`);
  });
}

before(async () => {
  oidc = await startMockOidc();
  server = await startServer({ args: ['--oidc-provider', `${oidc.issuer}=${OIDC_CLIENT_ID}`] });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  watchForProblems(page);
  page.setDefaultTimeout(30_000);
});

after(async () => {
  await browser?.close();
  const serverLog = server?.log() ?? '';
  await server?.stop();
  await oidc?.close();
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, 'server.log'), serverLog);
  writeFileSync(path.join(artifacts, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
  for (const [name, value] of Object.entries(figures)) console.log(`e2e figure: ${name} = ${value}`);
});

/** Runs the program in the editor (by button, or by Ctrl+Enter in the editor) and returns the run's id. */
async function run({ keyboard = false } = {}) {
  const before = page.url();
  if (keyboard) {
    await page.locator('[data-testid="code-editor"] .view-lines').click();
    await page.keyboard.press('Control+Enter');
  } else {
    await page.getByRole('button', { name: /^▶?\s*Run$/ }).click();
  }
  await page.waitForURL((url) => /\/runs\/[^/]+$/.test(url.pathname) && url.href !== before);
  return new URL(page.url()).pathname.split('/').pop();
}

describe('Code Remote in the browser', () => {
  test('a new user registers and lands on the editor', async () => {
    await page.goto(`${server.url}/register`);
    // Validation errors appear beside their field before anything is sent.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#username-error').waitFor();
    // The server's own validation error is shown beside the field it names.
    await page.getByLabel('Username').fill('-no');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#username-error', { hasText: /username (must|may)/i }).waitFor();
    await register(page, server.url, `ada_${suffix}`, PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/');
    await page.getByText(`ada_${suffix}`).first().waitFor();
  });

  test('the first page ships little JavaScript and the editor becomes editable quickly', async () => {
    const scripts = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push({ url: request.url(), at: Date.now() });
    });
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await waitForEditor(page);
    const editable = Date.now() - started;
    const markMs = await page.evaluate(() => performance.getEntriesByName('code-remote:editor-ready')[0]?.startTime ?? null);
    // Type a character to prove the editor takes input.
    await page.locator('[data-testid="code-editor"] .view-lines').click();
    await page.keyboard.press('End');
    await page.keyboard.insertText('#');
    await page.locator('[data-testid="code-editor"] .view-lines', { hasText: '#' }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Backspace');

    const before = scripts.filter((s) => !/MonacoEditor|editor\.worker|python-/.test(s.url));
    let gzipped = 0;
    let raw = 0;
    for (const script of before) {
      const body = Buffer.from(await (await fetch(script.url)).arrayBuffer());
      raw += body.length;
      gzipped += gzipSync(body, { level: 9 }).length;
    }
    assert.ok(before.length > 0, 'the page loads its entry script');
    figures.javascript_before_monaco_gzip_kb = (gzipped / 1024).toFixed(1);
    figures.javascript_before_monaco_raw_kb = (raw / 1024).toFixed(1);
    figures.navigation_to_editable_editor_ms = editable;
    figures.navigation_to_editor_created_ms_in_page = markMs === null ? 'n/a' : Math.round(markMs);
  });

  test('a program runs and its output streams in order, stderr set apart', async () => {
    await setCode(
      page,
      [
        'import sys, time',
        'for i in range(5):',
        '    print(f"line {i}", flush=True)',
        '    time.sleep(0.3)',
        'print("oops", file=sys.stderr, flush=True)',
        'print("done")',
        '',
      ].join('\n'),
    );
    firstRunId = await run();
    await page.getByTestId('output-log').getByText('line 0').waitFor();
    // Seen while the program is still running: the output is streamed, not delivered at the end.
    const early = await page.locator('.output-panel .badge').getAttribute('data-status');
    assert.ok(['queued', 'running'].includes(early), `status while line 0 is shown: ${early}`);
    await waitForStatus(page, 'succeeded');
    const text = await outputText(page);
    const positions = ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'done'].map((s) => text.indexOf(s));
    assert.ok(positions.every((p) => p >= 0), text);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, `out of order:\n${text}`);
    assert.match(await page.locator('[data-stream="stderr"]').first().innerText(), /oops/);
    assert.equal(await page.getByTestId('exit-code').innerText(), 'exit code 0');
    await page.getByText('Wall time').waitFor();
    await page.getByText('Peak memory').waitFor();
  });

  test('Ctrl+Enter runs, and the program reads a line typed while it runs', async () => {
    await setCode(page, 'name = input("Your name? ")\nprint("Hello, " + name + "!")\n');
    await run({ keyboard: true });
    await page.getByTestId('output-log').getByText('Your name?').waitFor();
    await page.getByLabel("Send a line to the program's input").fill('Ada');
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'succeeded');
    assert.match(await outputText(page), /Hello, Ada!/);
  });

  test('an endless loop is stopped by the time limit with a message', async () => {
    await setCode(page, 'while True:\n    pass\n');
    // A limit above the server's maximum is refused, and the reason is shown beside the field.
    await page.getByLabel('Time limit (s)').fill('100000');
    await page.getByRole('button', { name: /^▶?\s*Run$/ }).click();
    await page.locator('#time-limit-error', { hasText: /at most/ }).waitFor();
    await page.getByLabel('Time limit (s)').fill('2');
    await run();
    await waitForStatus(page, 'timed_out', 60_000);
    const message = await page.getByTestId('run-message').innerText();
    assert.match(message, /time limit|timed out|took longer/i, message);
    await page.getByLabel('Time limit (s)').fill('');
  });

  test('Stop ends a running program', async () => {
    await setCode(page, 'import time\nwhile True:\n    print("tick", flush=True)\n    time.sleep(0.2)\n');
    await run();
    await page.getByTestId('output-log').getByText('tick').first().waitFor();
    await page.getByRole('button', { name: /Stop/ }).click();
    await waitForStatus(page, 'cancelled');
    await page.getByText('Stopped', { exact: true }).first().waitFor();
  });

  test('long output is capped on the page and the server’s truncation is shown', async () => {
    await setCode(page, 'for i in range(200000):\n    print("line number", i)\n');
    await run();
    await waitForStatus(page, ['output_exceeded', 'succeeded']);
    await page.getByTestId('output-tail-notice').waitFor();
    await page.getByTestId('truncated').waitFor();
    const shown = (await outputText(page)).length;
    assert.ok(shown <= 110_000, `only the tail is rendered (${shown} characters)`);
  });

  test('a dropped live connection reconnects, resubscribes and loses or repeats no output', async () => {
    const watched = await context.newPage();
    watchForProblems(watched);
    const sockets = [];
    await watched.routeWebSocket(/\/api\/v1\/ws/, (socket) => {
      socket.connectToServer();
      sockets.push(socket);
    });
    try {
      await watched.goto(`${server.url}/`);
      await setCode(watched, 'import time\nfor i in range(12):\n    print(f"tick {i}", flush=True)\n    time.sleep(0.25)\n');
      await watched.getByRole('button', { name: /^▶?\s*Run$/ }).click();
      await watched.getByTestId('output-log').getByText('tick 2').waitFor();
      await sockets.at(-1).close({ code: 1012, reason: 'test drops the connection' });
      await watched.getByTestId('connection-banner').waitFor();
      await waitForStatus(watched, 'succeeded');
      assert.ok(sockets.length >= 2, 'the page opened a new connection');
      const lines = (await watched.getByTestId('output-log').innerText()).trim().split('\n');
      assert.deepEqual(lines, Array.from({ length: 12 }, (_, i) => `tick ${i}`));
    } finally {
      await watched.close();
    }
  });

  test('analyzing nested loops shows O(n^2) and highlights the loop lines', async () => {
    const program = [
      'def count_pairs(items):',
      '    count = 0',
      '    for a in items:',
      '        for b in items:',
      '            if a < b:',
      '                count += 1',
      '    return count',
      '',
      '',
      'data = list(range(200))',
      'print("pairs:", count_pairs(data))',
      '',
    ].join('\n');
    await setCode(page, program);
    await run();
    await waitForStatus(page, 'succeeded');
    await page.getByRole('button', { name: 'Analyze' }).click();
    const time = page.getByTestId('time-complexity');
    await time.waitFor();
    assert.equal(await time.innerText(), 'O(n^2)');

    // Monaco draws whole-line decorations as overlays at the line's vertical offset.
    const highlightedTops = await page.$$eval('[data-testid="code-editor"] .view-overlays .hotspot-line', (nodes) =>
      nodes.map((node) => node.parentElement.style.top),
    );
    const loopTops = await page.$$eval('[data-testid="code-editor"] .view-lines .view-line', (lines) =>
      lines.filter((line) => /for [ab] in items/.test(line.textContent.replace(/\u00a0/g, ' '))).map((line) => line.style.top),
    );
    assert.equal(loopTops.length, 2, 'both loop lines are visible');
    for (const top of loopTops) assert.ok(highlightedTops.includes(top), `loop line at ${top} is highlighted (${highlightedTops})`);

    // Hovering a highlighted line explains it.
    const inner = page.locator('[data-testid="code-editor"] .view-line', { hasText: 'for b in items' });
    await inner.hover({ position: { x: 60, y: 5 } });
    await page.locator('.monaco-hover').filter({ hasText: /\S/ }).first().waitFor({ timeout: 10_000 });

    await page.mouse.move(0, 0);
    mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshot.png') });
  });

  test('measured mode times the function in the sandbox and draws the fitted curve', async () => {
    // The nested-loop program of the test above is still in the editor.
    await page.getByLabel('Analysis method').selectOption({ label: 'Measured' });
    await page.getByRole('button', { name: 'Analyze' }).click();
    const chart = page.getByRole('img', { name: /^Measured time of count_pairs against input size, fitted as O\(/ });
    await chart.waitFor({ timeout: 60_000 });
    assert.equal(await page.getByText(/Analysis failed/).count(), 0, 'the page understood the answer');
    const points = await page.locator('figure.chart circle.point').count();
    assert.ok(points >= 3, `measured points are drawn (${points})`);
    assert.equal(await page.locator('figure.chart polyline.fit').count(), 1, 'the fitted curve is drawn');
    // The static answer stays beside the measurement.
    assert.equal(await page.getByTestId('time-complexity').innerText(), 'O(n^2)');
    await page.screenshot({ path: path.join(artifacts, 'measured-analysis.png') });
    await page.getByLabel('Analysis method').selectOption({ label: 'Static' });
  });

  test('a grid program is analysed in two sizes, and the page says what each letter is', async () => {
    const program = [
      'def count_land(grid):',
      '    land = 0',
      '    for r in range(len(grid)):',
      '        for c in range(len(grid[0])):',
      '            if grid[r][c] == 1:',
      '                land += 1',
      '    return land',
      '',
      '',
      'print(count_land([[1, 0, 1], [0, 1, 1]]))',
      '',
    ].join('\n');
    await setCode(page, program);
    await page.getByRole('button', { name: 'Analyze' }).click();
    const time = page.getByTestId('time-complexity');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="time-complexity"]')?.textContent === 'O(n*m)',
      null,
      { timeout: 30_000 },
    );
    assert.equal(await time.innerText(), 'O(n*m)');
    const sizes = page.getByTestId('complexity-variables');
    const label = await sizes.getAttribute('aria-label');
    assert.match(label, /n = len\(grid\)/);
    assert.match(label, /m = len\(grid\[0\]\)/);
    assert.match(await sizes.innerText(), /auxiliary space/);
    await page.screenshot({ path: path.join(artifacts, 'grid-analysis.png') });
  });

  test('a matplotlib plot made in the editor is shown inline, other files as downloads', async () => {
    // A fresh page: no analysis of the previous program is left on this one.
    await page.goto(`${server.url}/`);
    await waitForEditor(page);
    // The Environment panel lists the packages programs can import.
    const environment = page.getByTestId('environment');
    await environment.locator('summary').click();
    await environment.getByText('numpy', { exact: true }).waitFor();
    await environment.locator('summary').click();

    const program = [
      'import numpy as np',
      'import matplotlib.pyplot as plt',
      '',
      'x = np.linspace(0, 4 * np.pi, 400)',
      'plt.plot(x, np.sin(x), label="sin x")',
      'plt.plot(x, np.exp(-x / 4) * np.cos(x), label="damped cos x")',
      'plt.title("Plotted in the sandbox")',
      'plt.legend()',
      'plt.show()',
      'np.savetxt("/box/out/samples.csv", np.c_[x, np.sin(x)], delimiter=",")',
      'print("done")',
      '',
    ].join('\n');
    await setCode(page, program);
    await run();
    await waitForStatus(page, 'succeeded', 60_000);
    const figure = page.getByTestId('artifact-image').filter({ has: page.locator('img') });
    await figure.waitFor();
    const size = await figure.locator('img').evaluate(async (img) => {
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight, src: img.src };
    });
    assert.deepEqual([size.width, size.height], [640, 480], 'the PNG the program made, decoded by the browser');
    assert.match(size.src, /^blob:/, 'fetched with the session token, not linked by URL');
    const download = page.getByTestId('artifact-download');
    assert.equal(await download.innerText(), 'samples.csv');
    const [saved] = await Promise.all([page.waitForEvent('download'), download.click()]);
    assert.equal(saved.suggestedFilename(), 'samples.csv');

    await page.mouse.move(0, 0);
    await figure.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(repoRoot, 'docs', 'plot.png') });
  });

  test('after a reload the run is in the history and opening it restores code and result', async () => {
    await page.reload();
    await waitForEditor(page);
    const item = page.locator(`[data-testid="history-item"][data-run-id="${firstRunId}"]`);
    await item.waitFor();
    const items = await page.getByTestId('history-item').all();
    assert.ok(items.length >= 7, `history lists every run (${items.length})`);
    assert.equal(await items.at(-1).getAttribute('data-run-id'), firstRunId, 'newest first, so the first run is last');
    await item.click();
    await page.waitForURL(`**/runs/${firstRunId}`);
    await waitForStatus(page, 'succeeded');
    // Monaco draws the restored code on its next frame.
    await page.locator('[data-testid="code-editor"] .view-lines', { hasText: 'for i in range(5)' }).waitFor({ timeout: 5_000 });
    assert.match(await outputText(page), /line 4/);

    // The run's own URL works on a fresh load.
    await page.goto(`${server.url}/runs/${firstRunId}`);
    await waitForStatus(page, 'succeeded');
    assert.match(await outputText(page), /line 0/);
  });

  test('the Tests panel runs every test and shows ✓, ✗ and a diff; the tests stay with the run', async () => {
    await setCode(page, 'print(int(input()) * 2)\n');
    const panel = page.locator('.tests-panel');
    await panel.getByRole('button', { name: 'Add test' }).click();
    await panel.getByRole('button', { name: 'Add test' }).click();
    await panel.getByLabel('Name of test 1').fill('doubles one');
    await panel.getByLabel('Input of doubles one').fill('1');
    await panel.getByLabel('Expected output of doubles one').fill('2');
    await panel.getByLabel('Input of Test 2').fill('2');
    await panel.getByLabel('Expected output of Test 2').fill('5');
    const before = page.url();
    await panel.getByRole('button', { name: 'Run all tests' }).click();
    await page.waitForURL((url) => /\/runs\/[^/]+$/.test(url.pathname) && url.href !== before);
    const runId = new URL(page.url()).pathname.split('/').pop();
    const summary = panel.getByTestId('tests-summary');
    await summary.waitFor({ timeout: 60_000 });
    assert.equal(await summary.getAttribute('data-verdict'), 'wrong_answer');
    assert.match(await summary.innerText(), /1\/2 passed/);
    const cases = panel.getByTestId('test-case');
    assert.equal(await cases.nth(0).getAttribute('data-verdict'), 'accepted');
    assert.equal(await cases.nth(0).getByTestId('test-mark').innerText(), '✓');
    assert.equal(await cases.nth(1).getAttribute('data-verdict'), 'wrong_answer');
    assert.equal(await cases.nth(1).getByTestId('test-mark').innerText(), '✗');
    const diff = cases.nth(1).getByTestId('test-diff');
    assert.equal(await diff.locator('[data-kind="expected"]').innerText(), '− 5\n');
    assert.equal(await diff.locator('[data-kind="actual"]').innerText(), '+ 4\n');
    assert.equal(await cases.nth(0).getByTestId('test-diff').count(), 0, 'no diff for a passing test');
    mkdirSync(artifacts, { recursive: true });
    await panel.screenshot({ path: path.join(artifacts, 'tests-panel.png') });

    // The tests are kept with the run: with this browser's drafts gone, opening it restores them.
    await page.evaluate(() => localStorage.removeItem('code-remote-tests'));
    await page.goto(`${server.url}/runs/${runId}`);
    await waitForEditor(page);
    await panel.getByTestId('tests-summary').waitFor();
    assert.equal(await panel.getByLabel('Name of test 1').inputValue(), 'doubles one');
    assert.equal(await panel.getByLabel('Expected output of Test 2').inputValue(), '5');
    await page.locator('[data-testid="code-editor"] .view-lines', { hasText: 'int(input()) * 2' }).waitFor();
    const item = page.locator(`[data-testid="history-item"][data-run-id="${runId}"]`);
    assert.equal(await item.getByTestId('history-tests').innerText(), '1/2 tests passed');
    // Cleared again so the later tests' runs are ordinary ones.
    await panel.getByRole('button', { name: 'Remove doubles one' }).click();
    await panel.getByRole('button', { name: 'Remove Test 1' }).click();
    assert.equal(await panel.getByTestId('test-case').count(), 0);
  });

  test('a webhook signing secret is created in the settings and shown once', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    const state = page.getByTestId('webhook-secret-state');
    await state.getByText(/No signing secret yet/).waitFor();
    await page.getByRole('button', { name: 'Create secret' }).click();
    const secret = (await page.getByTestId('webhook-secret').innerText()).trim();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await state.getByText(/A signing secret exists/).waitFor();
    await page.getByRole('button', { name: 'I have stored it' }).first().click();
    await page.getByTestId('webhook-secret').waitFor({ state: 'detached' });
    assert.equal((await page.locator('main').innerText()).includes(secret), false, 'not shown again');
    await page.getByRole('link', { name: 'Code Remote' }).click();
    await waitForEditor(page);
  });

  test('the theme can be switched to dark and the layout fits a phone', async () => {
    const toggle = page.getByRole('button', { name: /Theme:/ });
    for (let i = 0; i < 3; i++) {
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark') break;
      await toggle.click();
    }
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at phone width (overflow ${overflow}px)`);
    await page.getByRole('button', { name: /Run$/ }).waitFor();
    await page.setViewportSize({ width: 1440, height: 900 });
    while ((await page.evaluate(() => document.documentElement.dataset.theme)) !== 'light') await toggle.click();
  });

  test('a second user sees none of the first user’s runs', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const otherPage = await other.newPage();
    watchForProblems(otherPage);
    try {
      await register(otherPage, server.url, `grace_${suffix}`, PASSWORD);
      await otherPage.getByText('No runs yet').waitFor();
      assert.equal(await otherPage.getByTestId('history-item').count(), 0);
      await otherPage.goto(`${server.url}/runs/${firstRunId}`);
      await otherPage.getByRole('alert').filter({ hasText: /not found|could not load/i }).first().waitFor();
      assert.equal(await otherPage.getByTestId('output-log').count(), 0);
    } finally {
      await other.close();
    }
  });

  test('signing out ends the session and signing in restores the history', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto(`${server.url}/`);
    await page.waitForURL('**/signin');
    await page.getByLabel('Username').fill(`ada_${suffix}`);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForEditor(page);
    await page.locator(`[data-testid="history-item"][data-run-id="${firstRunId}"]`).waitFor();
  });

  test('an API key is shown once, works as a bearer token, and stops working when revoked', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    await page.getByLabel('Name').fill('nightly script');
    await page.getByLabel('Expires after (days, optional)').fill('30');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key-secret').innerText()).trim();
    const useKey = () => fetch(`${server.url}/api/v1/executions?limit=1`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal((await useKey()).status, 200, 'the key signs API calls');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    // The secret is not shown again.
    await page.getByTestId('new-key-secret').waitFor({ state: 'detached' });
    const row = page.getByTestId('key-row').filter({ hasText: 'nightly script' });
    await row.waitFor();
    assert.equal((await row.innerText()).includes(secret), false, 'the list never shows the secret');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke nightly script' }).click();
    await row.getByText(/Revoked/).waitFor();
    assert.equal((await useKey()).status, 401, 'a revoked key is refused');
    await page.getByRole('link', { name: 'Code Remote' }).click();
    await waitForEditor(page);
  });

  test('changing the password: a wrong current one is explained and does not sign out', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#current-password-error').waitFor();
    assert.equal(new URL(page.url()).pathname, '/settings', 'still signed in');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    // The new tokens work: the history still loads after a reload.
    await page.goto(`${server.url}/runs/${firstRunId}`);
    await waitForStatus(page, 'succeeded');
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: `ada_${suffix}`, password: NEW_PASSWORD }),
    });
    assert.equal(login.status, 200, 'the new password signs in');
  });

  test('an administrator disables an account and its tokens stop working at once', async () => {
    const register = await fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: `eve_${suffix}`, password: PASSWORD }),
    });
    const victim = await register.json();
    const asVictim = () =>
      fetch(`${server.url}/api/v1/executions?limit=1`, { headers: { Authorization: `Bearer ${victim.access_token}` } });
    assert.equal((await asVictim()).status, 200);
    const created = await fetch(`${server.url}/api/v1/executions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${victim.access_token}` },
      body: JSON.stringify({ code: 'print("eve was here")' }),
    });
    const victimRun = await created.json();

    // An administrator can list everyone's runs; other people's runs are not mixed in by default.
    await page.goto(`${server.url}/`);
    await page.getByTestId('history-item').first().waitFor();
    assert.equal(await page.locator(`[data-run-id="${victimRun.id}"]`).count(), 0);
    await page.getByLabel('Everyone’s runs').check();
    await page.locator(`[data-run-id="${victimRun.id}"]`).waitFor();
    await page.getByLabel('Everyone’s runs').uncheck();

    // The first account of a fresh server is its administrator.
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL('**/admin');
    const row = page.locator(`[data-testid="user-row"][data-username="eve_${suffix}"]`);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: `Disable eve_${suffix}` }).click();
    await row.getByText('Disabled').waitFor();
    assert.equal((await asVictim()).status, 401, 'a disabled account’s token is refused');
    await page.reload();
    await page.getByTestId('audit-table').getByText('user.disabled_changed').first().waitFor();
  });

  test('a person signs in through an OpenID Connect provider (code flow with PKCE)', async (t) => {
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    const connect = /connect-src([^;]*)/.exec(csp)?.[1] ?? '';
    if (csp && !connect.includes(oidc.issuer) && !/\s(\*|http:)(\s|$)/.test(connect)) {
      t.skip(`SKIPPED LOUDLY: the server's Content-Security-Policy connect-src (${connect.trim()}) does not allow the provider ${oidc.issuer}, so the browser may not finish the code exchange`);
      return;
    }
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const oidcPage = await other.newPage();
    watchForProblems(oidcPage);
    try {
      await oidcPage.goto(`${server.url}/signin`);
      await oidcPage.getByRole('button', { name: `Sign in with ${new URL(oidc.issuer).host}` }).click();
      await waitForEditor(oidcPage);
      assert.equal(new URL(oidcPage.url()).pathname, '/');
      await oidcPage.getByText('No runs yet').waitFor();
    } finally {
      await other.close();
    }
  });

  test('too many failed sign-ins are refused with the time to wait', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.getByLabel('Username').fill(`mallory_${suffix}`);
    await page.getByLabel('Password').fill('not the password');
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 429; attempt++) {
      const answer = page.waitForResponse((response) => response.url().endsWith('/auth/login'));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      status = (await answer).status();
    }
    assert.equal(status, 429, 'the server limits login attempts');
    const alert = page.getByRole('alert').filter({ hasText: 'Too many requests' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /try again in \d+ s|try again now/);
  });

  test('the page logged no errors and broke no Content-Security-Policy rule', () => {
    assert.deepEqual(pageProblems, []);
  });
});
