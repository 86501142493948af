// A person at the browser, for the real-client suite: headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) opens an authorize URL, logs the demo user in
// on the emulated org's login page, presses Allow when the approval page shows, and follows the
// redirect to the client's callback.
//
// Two uses:
//   - as the BROWSER of `sf org login web` (through the launcher ./browser next to this
//     file, which starts it in the background): the CLI's own loopback server receives the
//     callback;
//   - imported by a driver: authorizeInBrowser(url, {callbackPrefix}) answers the callback
//     itself (no port is bound) and returns the callback URL with the code.
// Errors go to stderr and to $CLIENTS_BROWSER_LOG when set (the sf driver reads it), redacted.
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadDesc, demoUser, DEMO_USER, redact, requireClient, withTimeout } from './lib.mjs';

const chromiumPath = process.env.CLIENTS_CHROMIUM || '/usr/bin/chromium';
// The flags this machine needs (no network but loopback; no background services).
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function launch() {
  const { chromium } = requireClient('playwright-core');
  // playwright-core starts Chromium with a fresh, temporary --user-data-dir of its own.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 60000 });
}

// logIn fills the emulated org's login form (sfemu/authorize.go: #username, #password,
// #Login) and presses Allow (#approve) when the approval page shows.
async function logIn(page, url, username, password, reachedCallback, waitMs) {
  await page.goto(url, { timeout: 30000 });
  await page.waitForSelector('#username', { timeout: 30000 });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#Login', { noWaitAfter: true });
  const deadline = Date.now() + waitMs;
  let approved = false;
  while (!reachedCallback() && Date.now() < deadline) {
    let said = '';
    try {
      if (!approved && await page.isVisible('#approve')) {
        approved = true; // once: the page stays on screen while the callback is slow to answer
        await page.click('#approve', { noWaitAfter: true });
        continue;
      }
      if (await page.isVisible('#error')) said = (await page.textContent('#error')).trim();
    } catch (e) {
      // The page navigated while it was being read: look again.
      if (/context was destroyed|navigat|detached/i.test(e.message)) continue;
      throw e;
    }
    if (said) throw new Error(`the org's page says: ${said}`);
    await page.waitForTimeout(100);
  }
  if (!reachedCallback()) throw new Error(`the browser never reached the callback; it is on ${page.url()}`);
}

// authorizeInBrowser opens url, logs the user in and returns the callback URL (with code
// and state) that the emulated org redirected to. The callback is answered here.
export async function authorizeInBrowser(url, { callbackPrefix, username = DEMO_USER, desc = loadDesc() }) {
  const u = demoUser(desc, username);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    let callback = '';
    await page.route((target) => target.href.startsWith(callbackPrefix), (route) => {
      callback = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>callback received</p>' });
    });
    await withTimeout(logIn(page, url, u.username, u.password, () => callback !== '', 60000), 90000, 'the browser login');
    return callback;
  } finally {
    await browser.close();
  }
}

// As BROWSER: log in, then wait until the CLI's own callback page has loaded.
async function main() {
  const url = process.argv[2];
  const desc = loadDesc();
  const log = (msg) => {
    const line = redact(msg, desc) + '\n';
    process.stderr.write(line);
    if (process.env.CLIENTS_BROWSER_LOG) appendFileSync(process.env.CLIENTS_BROWSER_LOG, line);
  };
  if (!url) {
    log('browser: usage: browser URL');
    process.exit(2);
  }
  const callbackPrefix = process.env.CLIENTS_CALLBACK_PREFIX || 'http://localhost:1717/';
  const u = demoUser(desc, process.env.CLIENTS_BROWSER_USER || DEMO_USER);
  let browser;
  try {
    browser = await launch();
    const page = await browser.newPage();
    let reached = false;
    page.on('response', (r) => {
      if (r.url().startsWith(callbackPrefix)) reached = true;
    });
    // The CLI answers its callback only after it has exchanged the code and read the user.
    await withTimeout(logIn(page, url, u.username, u.password, () => reached, 150000), 180000, 'the browser login');
    await page.waitForLoadState('load', { timeout: 30000 });
    log(`browser: reached the callback; the page says: ${(await page.textContent('body', { timeout: 5000 }) || '').trim().slice(0, 200)}`);
  } catch (e) {
    log(`browser: FAILED: ${e.message}`);
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  await main();
}
