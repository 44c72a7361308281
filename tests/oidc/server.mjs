// A real, OpenID Certified authorization server (oidc-provider) laid out like Keycloak, for zorgtui's tests.
//
// Started by tests/it/support/oidc.rs. It binds 127.0.0.1 on an ephemeral port and prints the issuer
// (`http://127.0.0.1:PORT/realms/REALM`) as the first line on stdout; everything else goes to stderr.
// It exits when its stdin closes, so no node process outlives the test that started it.
//
// Settings (environment):
//   REALM                  realm name in the paths (default `zorgapis`)
//   ACCESS_TOKEN_TTL       access token lifetime in seconds (default 5)
//   REFRESH_TOKEN_TTL      refresh token lifetime in seconds (default 14 days, oidc-provider's own)
//   DEVICE_POLL_INTERVAL   if set, added as `interval` to device authorization responses (Keycloak sends 5;
//                          oidc-provider sends none, so a client must fall back to RFC 8628's 5 seconds)
//   CLIENT_SECRET          the secret of the confidential clients (default: a random one, then useless to tests)
//   CLIENT_KEY_FILE        if set, the private key (PKCS#8 PEM, mode 0600) of the private_key_jwt client is
//                          written there; its public half is registered with that client
//   METADATA               how the server describes itself. `openid` (default): oidc-provider's OpenID Connect
//                          discovery document, as Keycloak serves it. `rfc8414`: no OpenID document at all, only
//                          RFC 8414 metadata at the path-inserted address
//                          `/.well-known/oauth-authorization-server/realms/REALM` (oidc-provider's own document,
//                          served there, and not at the appended address oidc-provider also serves it at), as a
//                          plain OAuth 2 server publishes it. `split`: the OpenID document without revocation,
//                          device and introspection endpoints, which only the RFC 8414 document (again path-inserted
//                          only) lists. Every other request goes to oidc-provider unchanged.
//
// Clients: `zorgtui` (public, native, loopback, PKCE), `zorgtui.consent` (the same with a consent page),
// `zorgapis.postman` (public, Postman's https redirects only), `zorgtui.ps256` / `zorgtui.es256` (public, ID tokens
// signed PS256 / ES256), `zorgtui.basic` / `zorgtui.post` (confidential: client_secret_basic / client_secret_post),
// `zorgtui.jwt` (private_key_jwt), `zorgtui.machine` (client credentials only, client_secret_basic, JWT access
// tokens for the resource `urn:zorgtui:api`). The server signs with an RSA and a P-256 key (RS256, PS256, ES256).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const realm = process.env.REALM || 'zorgapis';
const accessTokenTtl = positiveInteger('ACCESS_TOKEN_TTL', 5);
const refreshTokenTtl = positiveInteger('REFRESH_TOKEN_TTL', 14 * 24 * 60 * 60);
const devicePollInterval = process.env.DEVICE_POLL_INTERVAL
  ? positiveInteger('DEVICE_POLL_INTERVAL', 5)
  : undefined;

const prefix = `/realms/${realm}`;
const metadata = process.env.METADATA || 'openid';
if (!['openid', 'rfc8414', 'split'].includes(metadata)) {
  console.error(`METADATA must be openid, rfc8414 or split, got ${JSON.stringify(metadata)}`);
  process.exit(2);
}
// Lets this process read oidc-provider's own discovery document while it is hidden from everyone else.
const internalToken = randomBytes(16).toString('hex');
const OPENID_DOCUMENT = `${prefix}/.well-known/openid-configuration`;
const RFC8414_DOCUMENT = `/.well-known/oauth-authorization-server${prefix}`;
// oidc-provider serves its document at RFC 8414's appended address too; the other layouts keep to the inserted one.
const RFC8414_APPENDED = `${prefix}/.well-known/oauth-authorization-server`;
// What the `split` layout leaves out of the OpenID document, so a client finds these only in RFC 8414's.
const RFC8414_ONLY = ['revocation_endpoint', 'device_authorization_endpoint', 'introspection_endpoint'];

const NATIVE_CLIENT_ID = 'zorgtui';
const PASTE_CLIENT_ID = 'zorgapis.postman';
const CONSENT_CLIENT_ID = 'zorgtui.consent';

// Clients whose grant is created from the requested scopes, so no consent page is shown (Keycloak's
// "Consent required: off").
const SKIP_CONSENT = new Set([NATIVE_CLIENT_ID, PASTE_CLIENT_ID, 'zorgtui.ps256', 'zorgtui.es256', 'zorgtui.basic',
  'zorgtui.post', 'zorgtui.jwt']);

const ZORGAPIS_RESOURCES = [
  'users',
  'organizations',
  'api-requirements-versions',
  'api-specifications',
  'communication-standards',
  'information-standards',
  'trust-frameworks',
  'board',
];
const ZORGAPIS_SCOPES = ZORGAPIS_RESOURCES.flatMap((resource) => [`${resource}:read`, `${resource}:write`]);

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];
const clientSecret = process.env.CLIENT_SECRET || randomBytes(24).toString('base64url');
const API_RESOURCE = 'urn:zorgtui:api';
const MACHINE_CLIENT_ID = 'zorgtui.machine';

// The server's signing keys: RSA (RS256, PS256) and P-256 (ES256).
function privateJwk(type, options, kid) {
  return { ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }), kid, use: 'sig' };
}
const signingKeys = [privateJwk('rsa', { modulusLength: 2048 }, 'rsa-1'), privateJwk('ec', { namedCurve: 'P-256' }, 'ec-1')];

// The private_key_jwt client's key: the test reads the private half from CLIENT_KEY_FILE.
const clientKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
if (process.env.CLIENT_KEY_FILE) {
  writeFileSync(process.env.CLIENT_KEY_FILE, clientKey.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
}
const clientPublicJwk = { ...clientKey.publicKey.export({ format: 'jwk' }), kid: 'client-key-1', use: 'sig' };

function positiveInteger(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} must be a positive whole number of seconds, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

function nativeClient(clientId, extra = {}) {
  return {
    client_id: clientId,
    client_name: `zorgtui test client (${clientId})`,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // Any port is accepted for this loopback redirect (RFC 8252 section 7.3): oidc-provider compares native
    // clients' http loopback redirect URIs without their port.
    redirect_uris: ['http://127.0.0.1/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1/logged-out'],
    response_types: ['code'],
    grant_types: GRANT_TYPES,
    ...extra,
  };
}

// oidc-provider asks every native client's user for consent ("native clients require End-User interaction");
// Keycloak does not, for clients with consent off.
const policy = interactionPolicy.base();
const nativeConsent = policy.get('consent').checks.get('native_client_prompt');
const askNativeConsent = nativeConsent.check;
nativeConsent.check = (ctx) => !SKIP_CONSENT.has(ctx.oidc.client.clientId) && askNativeConsent(ctx);

const configuration = {
  interactions: { policy },
  jwks: { keys: signingKeys },
  clients: [
    nativeClient(NATIVE_CLIENT_ID),
    nativeClient(CONSENT_CLIENT_ID),
    nativeClient('zorgtui.ps256', { id_token_signed_response_alg: 'PS256' }),
    nativeClient('zorgtui.es256', { id_token_signed_response_alg: 'ES256' }),
    nativeClient('zorgtui.basic', { token_endpoint_auth_method: 'client_secret_basic', client_secret: clientSecret }),
    nativeClient('zorgtui.post', { token_endpoint_auth_method: 'client_secret_post', client_secret: clientSecret }),
    nativeClient('zorgtui.jwt', {
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [clientPublicJwk] },
    }),
    {
      client_id: MACHINE_CLIENT_ID,
      client_name: 'zorgtui test machine client',
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: clientSecret,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
    },
    {
      // Like the ZorgAPIs docs' Postman client: public, only Postman's https redirects registered, so a
      // client can only finish by reading the URL the browser landed on.
      client_id: PASTE_CLIENT_ID,
      client_name: 'Postman-like client',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['https://oauth.pstmn.io/v1/callback', 'https://oauth.pstmn.io/v1/browser-callback'],
      response_types: ['code'],
      grant_types: GRANT_TYPES,
    },
  ],
  // Public clients always need PKCE here (oidc-provider's default for auth method `none`); S256 is the only
  // method it supports.
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'profile', 'email', ...ZORGAPIS_SCOPES],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: `Test user ${sub}`,
          preferred_username: sub,
          email: `${sub}@example.test`,
          email_verified: true,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const { client, session, result } = ctx.oidc;
    const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
    const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (!SKIP_CONSENT.has(client.clientId)) return existing;

    const grant = existing || new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    const requested = [...ctx.oidc.requestParamOIDCScopes].join(' ');
    if (requested) grant.addOIDCScope(requested);
    await grant.save();
    return grant;
  },
  // Keycloak issues refresh tokens without offline_access too; oidc-provider by default only with it.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    introspection: { enabled: true },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    // The machine client's tokens are JWTs for an API; everyone else's are opaque, for userinfo, as before.
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx) => (ctx.oidc.client?.clientId === MACHINE_CLIENT_ID ? API_RESOURCE : undefined),
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: ZORGAPIS_SCOPES.join(' '),
        audience: API_RESOURCE,
        accessTokenFormat: 'jwt',
        accessTokenTTL: accessTokenTtl,
      }),
    },
  },
  routes: {
    authorization: '/protocol/openid-connect/auth',
    device_authorization: '/protocol/openid-connect/auth/device',
    code_verification: '/device',
    token: '/protocol/openid-connect/token',
    revocation: '/protocol/openid-connect/revoke',
    introspection: '/protocol/openid-connect/token/introspect',
    userinfo: '/protocol/openid-connect/userinfo',
    jwks: '/protocol/openid-connect/certs',
    end_session: '/protocol/openid-connect/logout',
    pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
  },
  // oidc-provider accepts its own tokens up to 15 s past `exp` by default; Keycloak does not, and the tests
  // must see an access token die when its TTL says.
  clockTolerance: 0,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  ttl: {
    AccessToken: accessTokenTtl,
    IdToken: 60 * 60,
    RefreshToken: refreshTokenTtl,
    DeviceCode: 10 * 60,
    Grant: 14 * 24 * 60 * 60,
    Interaction: 60 * 60,
    Session: 14 * 24 * 60 * 60,
  },
};

const server = createServer();
// Node's default 5 s keep-alive timeout races clients that sleep across a token expiry and then reuse the
// pooled connection; Keycloak keeps connections longer.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}${prefix}`;
  const provider = new Provider(issuer, configuration);

  // Each refusal at the token endpoint on stderr, as `grant.error GRANT_TYPE ERROR` (codes only, never a token),
  // so a test can tell a device poll that was pending from one whose client authentication was refused.
  provider.on('grant.error', (ctx, error) => {
    console.error(`grant.error ${ctx.oidc?.params?.grant_type ?? '-'} ${error.error}`);
  });

  if (devicePollInterval !== undefined) {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200 && ctx.body) {
        ctx.body = { ...ctx.body, interval: devicePollInterval };
      }
    });
  }

  const handle = provider.callback();
  const providerDocument = async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      headers: { 'x-internal': internalToken },
    });
    return response.json();
  };
  const sendJson = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  server.on('request', async (req, res) => {
    const url = req.url || '/';
    const path = url.split('?')[0];
    const internal = req.headers['x-internal'] === internalToken;
    if (metadata !== 'openid' && !internal) {
      if ((path === OPENID_DOCUMENT && metadata === 'rfc8414') || path === RFC8414_APPENDED) {
        sendJson(res, 404, { error: 'not_found', error_description: 'this server publishes RFC 8414 metadata only' });
        return;
      }
      if (path === OPENID_DOCUMENT && metadata === 'split') {
        const document = await providerDocument();
        for (const field of RFC8414_ONLY) delete document[field];
        sendJson(res, 200, document);
        return;
      }
      if (path === RFC8414_DOCUMENT) {
        sendJson(res, 200, await providerDocument());
        return;
      }
    }
    if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) {
      // Mounted under the realm prefix the way express mounts it: oidc-provider derives its own URLs from
      // originalUrl minus url.
      req.originalUrl = url;
      req.url = url.slice(prefix.length) || '/';
      handle(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found', error_description: `no realm at ${url}` }));
    }
  });

  process.stdout.write(`${issuer}\n`);
});

server.on('error', (error) => {
  console.error(`oidc test server: ${error.message}`);
  process.exit(1);
});

// The test harness holds our stdin open; when it goes away (test ended, crashed or was killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
