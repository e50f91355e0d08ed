// A real OpenID Connect provider (npm `oidc-provider`) on a free loopback port, for single
// sign-on journeys. The issuer URL is known as soon as it listens; the client is registered
// once the app's port (and so its redirect URI) is known.
//
// What a browser sees: oidc-provider's development login page, with a text field `login`
// (any account name added with `addAccount`) and a `password` field (any value), and a
// "Sign-in" button. Consent is granted automatically, so there is no second page.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import Provider from "oidc-provider";

/**
 * @returns {Promise<{ issuer: string, clientId: string, clientSecret: string,
 *   setRedirectUri: (uri: string) => void,
 *   addAccount: (login: string, claims: { email: string, email_verified?: boolean, name: string }) => void,
 *   stop: () => Promise<void> }>}
 */
export async function startOidcProvider() {
  const accounts = new Map();
  let handler = null;
  const server = createServer((request, response) => {
    // Chromium asks every origin for an icon; oidc-provider would answer 404, which the
    // browser reports as a console error (and the journeys fail on console errors).
    if (request.url === "/favicon.ico") return response.writeHead(204).end();
    if (handler) return handler(request, response);
    response.writeHead(503).end("no client registered yet");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const clientId = "ohnet";
  const clientSecret = randomBytes(24).toString("hex");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig", kid: "test-key" };

  return {
    issuer,
    clientId,
    clientSecret,
    setRedirectUri(uri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [uri],
            grant_types: ["authorization_code"],
            response_types: ["code"],
            token_endpoint_auth_method: "client_secret_basic",
            id_token_signed_response_alg: "RS256",
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: [randomBytes(16).toString("hex")] },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        // The app reads email and name from the ID token itself.
        conformIdTokenClaims: false,
        features: { devInteractions: { enabled: true } },
        // Refuse any sign-on without S256 PKCE, so the tests prove the app sends it.
        pkce: { required: () => true },
        ttl: { Interaction: 3600, Grant: 3600, Session: 3600, AccessToken: 3600, IdToken: 3600 },
        async findAccount(_ctx, id) {
          const claims = accounts.get(id);
          if (!claims) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...claims }) };
        },
        // Grant the requested scopes without a consent page.
        async loadExistingGrant(ctx) {
          const grant = new ctx.oidc.provider.Grant({
            clientId: ctx.oidc.client.clientId,
            accountId: ctx.oidc.session.accountId,
          });
          grant.addOIDCScope("openid email profile");
          await grant.save();
          return grant;
        },
      });
      handler = provider.callback();
    },
    addAccount(login, claims) {
      accounts.set(login, claims);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
