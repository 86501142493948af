// jsforce (the npm package, pinned in js/package.json) against a fresh `connectedapplab
// emulate`: username-password, web server with PKCE, refresh, JWT bearer, identity(), query(),
// SOAP login() and logout(), revoke, and calls after the session expired. jsforce uses its own
// default API version (50.0 in 3.x), as an integration that never sets one does.
import { createSign, randomBytes } from 'node:crypto';
import {
  Runner, loadDesc, demoApp, demoUser, requireClient, passwordToken, advanceClock, assert,
  DEMO_USER, WEB_APP, ECA_PKCE, INTEGRATION_APP,
} from './lib.mjs';
import { authorizeInBrowser } from './browser.mjs';

const jsforce = requireClient('jsforce');
const desc = loadDesc();
const r = new Runner('jsforce', desc);
const user = demoUser(desc, DEMO_USER);
const web = demoApp(desc, WEB_APP);
const eca = demoApp(desc, ECA_PKCE);
const integ = demoApp(desc, INTEGRATION_APP);
const callback = 'http://localhost:1717/OauthRedirect';
const soql = `SELECT Id, Username FROM User WHERE Username = '${DEMO_USER}'`;

// expectUser checks that a query of the demo user returns exactly that user.
async function expectUser(conn) {
  const res = await conn.query(soql);
  assert(res.totalSize === 1 && res.records.length === 1, `query returned ${res.totalSize} records, want 1`);
  assert(res.records[0].Username === DEMO_USER, `query returned Username ${res.records[0].Username}`);
  assert(/^005/.test(res.records[0].Id), `query returned Id ${res.records[0].Id}, want a 005 user Id`);
  return res.records[0].Id;
}

// b64url and jwtAssertion sign a JWT bearer assertion with the demo app's key (the app
// builds the assertion; jsforce sends it): exp is a number here, as jsforce's docs show.
const b64url = (b) => Buffer.from(b).toString('base64url');
function jwtAssertion(exp) {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: integ.client_id, sub: integ.jwt_username, aud: 'https://login.salesforce.com', exp }));
  const sig = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(integ.jwt_private_key);
  return `${header}.${claims}.${b64url(sig)}`;
}

await r.run('username-password (OAuth 2.0) login', async () => {
  const conn = new jsforce.Connection({ oauth2: { loginUrl: desc.base_url, clientId: web.client_id, clientSecret: web.client_secret } });
  const info = await conn.login(user.username, user.password + user.security_token);
  assert(/^00D/.test(info.organizationId) && /^005/.test(info.id), `login returned ${JSON.stringify(info)}`);
  assert(conn.instanceUrl === desc.my_domain_url, `instanceUrl ${conn.instanceUrl}, want the My Domain ${desc.my_domain_url}`);
  r.state.password = conn;
  r.state.userId = info.id;
  return `user ${info.id}, instance ${conn.instanceUrl}`;
});

await r.run('identity()', async () => {
  assert(r.state.password, 'needs the username-password login');
  const id = await r.state.password.identity();
  assert(id.username === DEMO_USER, `identity().username = ${id.username}`);
  assert(id.user_id === r.state.userId, `identity().user_id = ${id.user_id}, login said ${r.state.userId}`);
  return `${id.username}, ${id.display_name}`;
});

await r.run('query()', async () => {
  assert(r.state.password, 'needs the username-password login');
  const id = await expectUser(r.state.password);
  assert(id === r.state.userId, `query Id ${id}, login said ${r.state.userId}`);
  return `v${r.state.password.version}: 1 record`;
});

await r.run('web server flow with PKCE (External Client App)', async () => {
  const oauth2 = new jsforce.OAuth2({ loginUrl: desc.base_url, clientId: eca.client_id, redirectUri: callback, useVerifier: true });
  const state = randomBytes(12).toString('hex');
  const url = oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state });
  assert(new URL(url).searchParams.get('code_challenge'), 'jsforce sent no code_challenge');
  const back = new URL(await authorizeInBrowser(url, { callbackPrefix: callback, desc }));
  assert(back.searchParams.get('state') === state, 'the callback state differs from the one sent');
  const code = back.searchParams.get('code');
  assert(code, `the callback has no code: ${back.searchParams.get('error') || ''} ${back.searchParams.get('error_description') || ''}`);
  const conn = new jsforce.Connection({ oauth2 });
  const info = await conn.authorize(code);
  assert(conn.refreshToken, 'no refresh token came back (the app has the refresh_token scope)');
  await expectUser(conn);
  r.state.pkce = { oauth2, refreshToken: conn.refreshToken, userId: info.id };
  return `user ${info.id}, refresh token received`;
});

await r.run('refresh token grant', async () => {
  assert(r.state.pkce, 'needs the web server flow');
  const res = await r.state.pkce.oauth2.refreshToken(r.state.pkce.refreshToken);
  assert(res.access_token, 'the refresh grant returned no access token');
  const conn = new jsforce.Connection({ instanceUrl: res.instance_url, accessToken: res.access_token });
  await expectUser(conn);
  // The ECA rotates refresh tokens: the response carries the next one.
  if (res.refresh_token) r.state.pkce.refreshToken = res.refresh_token;
  return res.refresh_token ? 'new access token works; rotated refresh token received' : 'new access token works';
});

await r.run('JWT bearer', async () => {
  const conn = new jsforce.Connection({ oauth2: { loginUrl: desc.base_url } });
  const info = await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwtAssertion(Math.floor(Date.now() / 1000) + 180) });
  const id = await conn.identity();
  assert(id.username === integ.jwt_username, `identity().username = ${id.username}, want ${integ.jwt_username}`);
  await expectUser(conn);
  return `user ${info.id}`;
});

await r.run('SOAP login() and logout()', async () => {
  const conn = new jsforce.Connection({ loginUrl: desc.base_url });
  const info = await conn.login(user.username, user.password + user.security_token); // no client id: SOAP
  assert(/^00D/.test(info.organizationId) && info.id === r.state.userId, `SOAP login returned ${JSON.stringify(info)}`);
  await expectUser(conn); // the session id works as a REST bearer token
  const sid = conn.accessToken;
  await conn.logout(); // SOAP logout()
  const after = new jsforce.Connection({ instanceUrl: desc.my_domain_url, accessToken: sid });
  const err = await after.query(soql).then(() => null, (e) => e);
  assert(err && err.errorCode === 'INVALID_SESSION_ID', `after logout() the session still works (${err ? err.errorCode || err.message : 'query succeeded'})`);
  return 'session works, then INVALID_SESSION_ID after logout()';
});

await r.run('calls after the session expired', async () => {
  assert(r.state.password && r.state.pkce, 'needs the username-password login and the web server flow');
  const tok = await passwordToken(desc, WEB_APP, DEMO_USER);
  const bare = new jsforce.Connection({ instanceUrl: tok.instance_url, accessToken: tok.access_token });
  const first = await r.state.pkce.oauth2.refreshToken(r.state.pkce.refreshToken);
  if (first.refresh_token) r.state.pkce.refreshToken = first.refresh_token; // rotated
  const withRefresh = new jsforce.Connection({
    oauth2: r.state.pkce.oauth2, instanceUrl: first.instance_url,
    accessToken: first.access_token, refreshToken: r.state.pkce.refreshToken,
  });
  let refreshed = false;
  withRefresh.on('refresh', (_token, res) => {
    refreshed = true;
    if (res && res.refresh_token) r.state.pkce.refreshToken = res.refresh_token; // rotated again
  });
  await advanceClock(desc, '3h'); // past the demo user's 2-hour idle timeout
  const err = await bare.query(soql).then(() => null, (e) => e);
  assert(err && err.errorCode === 'INVALID_SESSION_ID', `a bare access token still works after 3 hours (${err ? err.errorCode || err.message : 'query succeeded'})`);
  await expectUser(withRefresh); // jsforce refreshes on 401 and retries
  assert(refreshed, 'jsforce did not refresh the session');
  await expectUser(r.state.password); // logs in again with the username and password
  return 'bare token: INVALID_SESSION_ID; refresh token: refreshed and retried; password login: logged in again';
});

await r.run('revoke', async () => {
  assert(r.state.pkce, 'needs the web server flow');
  const { oauth2, refreshToken } = r.state.pkce;
  const res = await oauth2.refreshToken(refreshToken);
  const conn = new jsforce.Connection({ oauth2, instanceUrl: res.instance_url, accessToken: res.access_token, refreshToken: res.refresh_token || refreshToken });
  await expectUser(conn);
  const rt = conn.refreshToken;
  await conn.logout(true); // revokes the refresh token, and with it its access tokens
  const err = await oauth2.refreshToken(rt).then(() => null, (e) => e);
  assert(err && err.name === 'invalid_grant', `the revoked refresh token still refreshes (${err ? err.name + ': ' + err.message : 'it did'})`);
  const after = new jsforce.Connection({ instanceUrl: res.instance_url, accessToken: res.access_token });
  const qerr = await after.query(soql).then(() => null, (e) => e);
  assert(qerr && qerr.errorCode === 'INVALID_SESSION_ID', `the access token outlived its revoked refresh token (${qerr ? qerr.errorCode || qerr.message : 'query succeeded'})`);
  return `refresh: ${err.name} (${err.message}); access token: INVALID_SESSION_ID`;
});

r.finish();
