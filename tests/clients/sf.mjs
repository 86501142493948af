// The Salesforce CLI (@salesforce/cli, pinned in js/package.json) against a fresh
// `connectedapplab emulate`: org login access-token, jwt and web (the browser is headless
// Chromium through ./browser), org display, org open --url-only (then the frontdoor URL it
// printed), data query, commands after the session expired, and org logout.
//
// The CLI runs with a private HOME (removed at the end), the generic Unix keychain, and no
// telemetry or update checks. Its --json output is parsed here and never printed: it holds
// tokens.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Runner, loadDesc, demoApp, demoUser, passwordToken, advanceClock, assert, request, redact,
  DEMO_USER, WEB_APP, INTEGRATION_APP,
} from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const desc = loadDesc();
// Each CLI command starts a Node process that loads the CLI: seconds on an idle machine,
// tens of seconds on a loaded one.
const r = new Runner('sf', desc, { timeoutMs: 600000 });
const user = demoUser(desc, DEMO_USER);
const integ = demoApp(desc, INTEGRATION_APP);
// One user per login: the CLI keeps one authorization per username, so three logins of one
// user would overwrite each other.
const SHORT_USER = 'shortsession@connectedapplab.example';
const ADMIN_USER = 'admin@connectedapplab.example';
demoUser(desc, SHORT_USER);
demoUser(desc, ADMIN_USER);
let apiVersion = '68.0'; // what org display reports replaces it
const soql = `SELECT Id, Username FROM User WHERE Username = '${DEMO_USER}'`;
const home = mkdtempSync(join(tmpdir(), 'clients-sf-'));
const browserLog = join(home, 'browser.log');
const sfRun = join(process.env.CLIENTS_NODE_MODULES || '', '@salesforce/cli/bin/run.js');
const maxOut = 4 << 20;

// sf runs one CLI command with --json and returns {code, json}; it never rejects on a
// non-zero exit (the caller checks), only on a timeout or unparsable output.
function sf(args, { env = {}, timeoutMs = 300000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sfRun, ...args, '--json'], {
      env: {
        ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'),
        PATH: `${join(process.env.CLIENTS_NODE_MODULES || '', '.bin')}:${process.env.PATH}`,
        SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true',
        SF_SKIP_NEW_VERSION_CHECK: 'true', SF_HIDE_RELEASE_NOTES: 'true', SF_NO_COLOR: 'true', ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sf ${args.slice(0, 3).join(' ')} took longer than ${timeoutMs / 1000}s; stderr: ${redact(err.slice(-400), desc)}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => { if (out.length < maxOut) out += d; });
    child.stderr.on('data', (d) => { if (err.length < maxOut) err += d; });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve({ code, json: JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) });
      } catch {
        reject(new Error(`sf ${args.slice(0, 3).join(' ')} exited ${code} without JSON: ${redact((out + err).slice(-400), desc)}`));
      }
    });
  });
}

// ok checks a successful CLI answer and returns its result.
function ok(res, what) {
  if (res.code !== 0 || res.json.status !== 0) {
    throw new Error(`${what} failed (exit ${res.code}): ${res.json.name || ''}: ${res.json.message || JSON.stringify(res.json).slice(0, 300)}`);
  }
  return res.json.result;
}

async function queryUser(alias) {
  const res = ok(await sf(['data', 'query', '--query', soql, '--target-org', alias]), `sf data query --target-org ${alias}`);
  assert(res.totalSize === 1 && res.records[0].Username === DEMO_USER, `data query returned ${JSON.stringify(res).slice(0, 200)}`);
  return res.records[0].Id;
}

try {
  await r.run('org login access-token', async () => {
    const tok = await passwordToken(desc, WEB_APP, SHORT_USER);
    const res = ok(await sf(['org', 'login', 'access-token', '--instance-url', desc.my_domain_url, '--alias', 'emu-at', '--no-prompt'],
      { env: { SF_ACCESS_TOKEN: tok.access_token } }), 'sf org login access-token');
    assert(res.username === SHORT_USER, `logged in as ${res.username}, want ${SHORT_USER}`);
    return `${res.username} in org ${res.orgId}`;
  });

  await r.run('org login jwt', async () => {
    const key = join(home, 'jwt.key');
    writeFileSync(key, integ.jwt_private_key + '\n', { mode: 0o600 });
    const res = ok(await sf(['org', 'login', 'jwt', '--client-id', integ.client_id, '--jwt-key-file', key,
      '--username', ADMIN_USER, '--instance-url', desc.base_url, '--alias', 'emu-jwt']), 'sf org login jwt');
    assert(res.username === ADMIN_USER, `logged in as ${res.username}`);
    assert(res.instanceUrl === desc.my_domain_url, `instance URL ${res.instanceUrl}, want ${desc.my_domain_url}`);
    return `${res.username}, instance ${res.instanceUrl}`;
  });

  await r.run('org login web (headless Chromium as BROWSER)', async () => {
    // No --client-id: the CLI's own app (PlatformCLI), as on every Salesforce org.
    const res = await sf(['org', 'login', 'web', '--instance-url', desc.base_url, '--alias', 'emu-web'], {
      env: { BROWSER: join(here, 'browser'), CLIENTS_BROWSER_LOG: browserLog, DISPLAY: '' },
    });
    if (res.code !== 0) {
      const log = existsSync(browserLog) ? readFileSync(browserLog, 'utf8').slice(-400) : '(the browser wrote nothing)';
      throw new Error(`sf org login web failed (exit ${res.code}): ${res.json.name}: ${res.json.message}; browser: ${log}`);
    }
    const result = ok(res, 'sf org login web');
    assert(result.username === DEMO_USER, `logged in as ${result.username}`);
    assert(result.clientId === 'PlatformCLI', `client id ${result.clientId}`);
    return `${result.username} through ${result.clientId}`;
  });

  await r.run('org display', async () => {
    const res = ok(await sf(['org', 'display', '--target-org', 'emu-web']), 'sf org display');
    assert(res.username === DEMO_USER, `username ${res.username}`);
    assert(res.instanceUrl === desc.my_domain_url, `instanceUrl ${res.instanceUrl}`);
    assert(res.connectedStatus === 'Connected', `connectedStatus ${res.connectedStatus}`);
    assert(/^00D/.test(res.id), `org id ${res.id}`);
    apiVersion = res.apiVersion;
    return `${res.connectedStatus}, API ${res.apiVersion}`;
  });

  await r.run('org open --url-only, then the frontdoor URL', async () => {
    const res = ok(await sf(['org', 'open', '--target-org', 'emu-web', '--url-only']), 'sf org open --url-only');
    const u = new URL(res.url);
    assert(u.origin === desc.my_domain_url && u.pathname === '/secur/frontdoor.jsp', `org open printed ${u.origin}${u.pathname}`);
    const land = await request(res.url);
    assert(land.status >= 200 && land.status < 400, `the frontdoor URL answered HTTP ${land.status}`);
    assert(/(^|,\s*)sid=/.test(land.headers.get('set-cookie') || ''), 'the frontdoor URL set no sid session cookie');
    return `frontdoor HTTP ${land.status} with a session cookie`;
  });

  await r.run('data query (each login)', async () => {
    for (const alias of ['emu-at', 'emu-jwt', 'emu-web']) await queryUser(alias);
    return '3 logins, 1 record each';
  });

  await r.run('commands after the session expired', async () => {
    await advanceClock(desc, '3h'); // past every demo user's idle timeout (2 hours at most)
    // `sf api request rest` refreshes the session first when it can (org.refreshAuth).
    const limits = (alias) => sf(['api', 'request', 'rest', `services/data/v${apiVersion}/limits`, '--target-org', alias]);
    const at = await limits('emu-at');
    assert(at.code !== 0, 'an access-token login still calls the API 3 hours later');
    const why = `${at.json.name}: ${at.json.message}`;
    assert(/INVALID_SESSION_ID|expired|invalid/i.test(why), `the expired access-token login failed with ${why}`);
    const web = ok(await limits('emu-web'), 'sf api request rest --target-org emu-web after expiry'); // refreshed
    assert(web.statusCode === 200 && web.body && web.body.DailyApiRequests, `limits after the refresh: HTTP ${web.statusCode} ${JSON.stringify(web.body).slice(0, 200)}`);
    return `access token: ${redact(why, desc).slice(0, 120)}; web login: refreshed and called`;
  });

  await r.run('org logout', async () => {
    ok(await sf(['org', 'logout', '--target-org', 'emu-web', '--no-prompt']), 'sf org logout');
    const gone = await sf(['org', 'display', '--target-org', 'emu-web']);
    assert(gone.code !== 0, 'the org is still there after logout');
    const list = ok(await sf(['org', 'list', '--all']), 'sf org list');
    const all = JSON.stringify(list);
    assert(!all.includes('"emu-web"'), 'org list still shows emu-web');
    return `org display after logout: ${gone.json.name}`;
  });
} finally {
  rmSync(home, { recursive: true, force: true });
}

r.finish();
