// A second, independently written authorization server for zorgtui's tests: axa-group's oauth2-mock-server, laid
// out nothing like Keycloak (the issuer is the bare origin, endpoints at /authorize, /token, /jwks, ..., only the
// `none` client authentication listed, no login page: /authorize answers at once). Started by
// tests/it/support/oidc.rs like server.mjs: prints its issuer on stdout, exits when its stdin closes.
//
// METADATA=rfc8414 moves its one metadata document from /.well-known/openid-configuration (then 404) to RFC 8414's
// /.well-known/oauth-authorization-server, with the library's own `endpoints.wellKnownDocument` setting.
import { OAuth2Server } from 'oauth2-mock-server';

const endpoints =
  process.env.METADATA === 'rfc8414' ? { wellKnownDocument: '/.well-known/oauth-authorization-server' } : undefined;
const server = new OAuth2Server(undefined, undefined, { endpoints });
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
process.stdout.write(`${server.issuer.url}\n`);

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
