// Launches Debian's chromium through playwright-core (never a downloaded browser) and holds the
// page helpers the tests share.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no browser at ${executablePath}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** Waits until Monaco has been created in the page. */
export async function waitForEditor(page) {
  await page.locator('[data-testid="code-editor"][data-ready="true"]').waitFor({ timeout: 30_000 });
}

/**
 * Replaces the whole program in the editor by pasting it, as a person would (typing it would
 * let the editor's auto-indentation change the code).
 */
export async function setCode(page, code) {
  await waitForEditor(page);
  await page.locator('[data-testid="code-editor"] .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.evaluate((text) => {
    const target = document.activeElement;
    const data = new DataTransfer();
    data.setData('text/plain', text);
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
}

export async function outputText(page) {
  return page.getByTestId('output-log').innerText();
}

/** Waits for the output panel to show one of the given statuses. */
export async function waitForStatus(page, statuses, timeout = 60_000) {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  const selector = wanted.map((s) => `.output-panel .badge[data-status="${s}"]`).join(', ');
  await page.locator(selector).first().waitFor({ timeout });
}

/** Registers a new account through the page and waits for the editor. */
export async function register(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/register`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await waitForEditor(page);
}
