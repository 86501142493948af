// Shared by the Node drivers of the real-client suite (scripts/test-clients): the emulated
// org's description, scenario bookkeeping, redaction, and HTTP with a timeout and a size cap.
//
// Every driver prints one line per scenario,
//   RESULT<TAB>PASS|FAIL<TAB>client<TAB>scenario<TAB>milliseconds<TAB>detail
// and scripts/test-clients turns those lines into the table. Nothing here prints a secret:
// details and errors go through redact() first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const maxBody = 1 << 20; // every body read is capped at 1 MiB

// requireClient loads a client package from the tools folder that scripts/test-clients
// installed (CLIENTS_NODE_MODULES), never from the repository.
export function requireClient(name) {
  const dir = process.env.CLIENTS_NODE_MODULES;
  if (!dir) throw new Error('CLIENTS_NODE_MODULES is not set: run this through scripts/test-clients');
  return createRequire(join(dir, 'index.js'))(name);
}

// desc is the JSON line `connectedapplab emulate --json` printed, from the file that
// scripts/test-clients names in CLIENTS_EMU.
export function loadDesc() {
  const f = process.env.CLIENTS_EMU;
  if (!f) throw new Error('CLIENTS_EMU is not set: run this through scripts/test-clients');
  const text = readFileSync(f, 'utf8');
  if (text.length > maxBody) throw new Error(`${f} is larger than 1 MiB`);
  return JSON.parse(text.split('\n')[0]);
}

export function demoUser(desc, username) {
  const u = desc.users.find((x) => x.username === username);
  if (!u) throw new Error(`the emulated org has no user ${username}`);
  return u;
}

export function demoApp(desc, apiName) {
  const a = desc.apps.find((x) => x.api_name === apiName);
  if (!a) throw new Error(`the emulated org has no app ${apiName}`);
  return a;
}

// The demo org's standard user and its apps (sfemu/demo.go).
export const DEMO_USER = 'demo@connectedapplab.example';
export const WEB_APP = 'Web_App';
export const ECA_PKCE = 'ECA_PKCE';
export const INTEGRATION_APP = 'Integration_App';

// redact masks every demo secret of desc and anything shaped like a Salesforce access or
// refresh token, a session id or an authorization code.
export function redact(s, desc) {
  let out = String(s);
  const secrets = [];
  if (desc) {
    for (const u of desc.users) secrets.push(u.password + u.security_token, u.password, u.security_token);
    for (const a of desc.apps) secrets.push(a.client_secret);
  }
  for (const x of secrets.filter((v) => v && v.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(x).join('[REDACTED]');
  }
  return out
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED KEY]')
    .replace(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-]{20,}/g, '[REDACTED TOKEN]')
    .replace(/5Aep861[A-Za-z0-9._\-]{20,}/g, '[REDACTED TOKEN]')
    .replace(/aPrx[A-Za-z0-9+/=%]{20,}/g, '[REDACTED CODE]')
    .replace(/eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}/g, '[REDACTED JWT]');
}

// withTimeout rejects when p has not settled after ms.
export function withTimeout(p, ms, what) {
  let t;
  const timeout = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000}s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

// request is fetch with a 20 s timeout and a 1 MiB cap on the body it reads; redirects are
// not followed unless asked.
export async function request(url, { method = 'GET', headers = {}, body, redirect = 'manual', timeoutMs = 20000 } = {}) {
  const res = await fetch(url, { method, headers, body, redirect, signal: AbortSignal.timeout(timeoutMs) });
  const reader = res.body ? res.body.getReader() : null;
  const chunks = [];
  let n = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > maxBody) {
        await reader.cancel();
        throw new Error(`${method} ${url}: body larger than 1 MiB`);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

// passwordToken runs the username-password flow with plain HTTP (the shortest way to hold a
// real access token for a client's "log in with an access token" scenario).
export async function passwordToken(desc, appApiName, username) {
  const a = demoApp(desc, appApiName);
  const u = demoUser(desc, username);
  const body = new URLSearchParams({
    grant_type: 'password', client_id: a.client_id, client_secret: a.client_secret,
    username: u.username, password: u.password + u.security_token,
  });
  const r = await request(desc.base_url + '/services/oauth2/token', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body,
  });
  if (r.status !== 200) throw new Error(`password grant: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r.json();
}

// advanceClock moves the emulated org's clock (sfemu/control.go), so idle sessions expire.
export async function advanceClock(desc, by) {
  const r = await request(`${desc.base_url}/_sfemu/clock/advance?by=${encodeURIComponent(by)}`, { method: 'POST' });
  if (r.status !== 200) throw new Error(`clock advance: HTTP ${r.status} ${r.text.slice(0, 200)}`);
}

// restCall makes one REST call with a bearer token and returns {status, text, json}.
export async function restCall(instanceUrl, path, token) {
  return request(instanceUrl + path, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// Runner runs scenarios one after another and prints a RESULT line for each.
export class Runner {
  constructor(client, desc, { timeoutMs = 120000 } = {}) {
    this.client = client;
    this.timeoutMs = timeoutMs;
    this.desc = desc;
    this.failed = 0;
    this.passed = 0;
    this.state = {}; // what one scenario leaves for the next (an alias, a token)
  }

  async run(name, fn, { timeoutMs = this.timeoutMs } = {}) {
    const start = Date.now();
    let status = 'PASS';
    let detail = '';
    try {
      const d = await withTimeout(Promise.resolve().then(fn), timeoutMs, name);
      detail = d ? String(d) : '';
    } catch (e) {
      status = 'FAIL';
      detail = e && e.stack && process.env.CLIENTS_VERBOSE ? e.stack : (e && e.message) || String(e);
    }
    if (status === 'PASS') this.passed++;
    else this.failed++;
    const line = redact(detail, this.desc).replace(/[\t\r\n]+/g, ' ').slice(0, 600);
    process.stdout.write(`RESULT\t${status}\t${this.client}\t${name}\t${Date.now() - start}\t${line}\n`);
    return status === 'PASS';
  }

  finish() {
    process.exitCode = this.failed ? 1 : 0;
  }
}
