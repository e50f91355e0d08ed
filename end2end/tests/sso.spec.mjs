// Single sign-on against a real OpenID Connect provider on loopback: a member's first sign-on
// links to their account by verified email and returns them where they were going; a newcomer
// completes an application; an unverified email address is refused.
import assert from "node:assert/strict";
import { after } from "node:test";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, useApp } from "../lib/browser.mjs";
import { startOidcProvider } from "../lib/oidc.mjs";

const PASSWORD = "a long enough password";
const ADMIN = { email: "sso.admin@ohnet.test", name: "Sam SSO Admin" };
const MEMBERS = {
  true: { email: "member.on@force.police.test", name: "Morgan Member on", login: "member-on" },
  false: { email: "member.off@force.police.test", name: "Morgan Member off", login: "member-off" },
};

let oidc;
const app = useApp({
  smtp: true,
  async prepare() {
    oidc = await startOidcProvider();
    return {
      OHNET_OIDC_ISSUER: oidc.issuer,
      OHNET_OIDC_CLIENT_ID: oidc.clientId,
      OHNET_OIDC_CLIENT_SECRET: oidc.clientSecret,
    };
  },
  setup(started) {
    oidc.setRedirectUri(`${started.baseUrl}/sign-in/sso/callback`);
    for (const person of [ADMIN, ...Object.values(MEMBERS)]) {
      started.server.cli(["create-admin", "--email", person.email, "--name", person.name], {
        OHNET_ADMIN_PASSWORD: PASSWORD,
      });
    }
    for (const member of Object.values(MEMBERS)) {
      oidc.addAccount(member.login, { email: member.email, name: member.name });
    }
  },
});
after(() => oidc?.stop());

/** From ohnet's sign-in page, through the provider's login page, and back. */
async function signOn(page, login) {
  // The provider's development pages ask for a web font; this machine has no internet.
  await page.context().route(/fonts\.googleapis\.com/, (route) =>
    route.fulfill({ status: 200, contentType: "text/css", body: "" }),
  );
  await page.getByRole("link", { name: "Sign in with your organisation's account" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password at the provider");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

inBothModes(app, "a member's first sign-on links their account and returns them where they were going", async (page, mode) => {
  const member = MEMBERS[mode.javaScriptEnabled];
  await page.goto("/account/profile");
  await page.waitForURL("**/sign-in?next=%2Faccount%2Fprofile");
  await expectNoAxeViolations(page);
  await signOn(page, member.login);
  await page.waitForURL("**/account/profile");
  assert.equal(await page.getByLabel("Full name").inputValue(), member.name);

  // Signed out of ohnet but still signed in at the provider: one click signs them in again
  // through the linked identity.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in?done=signed-out");
  await page.getByRole("link", { name: "Sign in with your organisation's account" }).click();
  await page.waitForURL("**/account");
  assert.equal(await page.locator("h1").textContent(), "Your account");
});

inBothModes(app, "a newcomer signs on and completes an application", async (page, mode) => {
  const suffix = mode.javaScriptEnabled ? "on" : "off";
  const newcomer = { login: `new-${suffix}`, email: `nia.${suffix}@kent.police.test`, name: `Nia Newcomer ${suffix}` };
  oidc.addAccount(newcomer.login, { email: newcomer.email, name: newcomer.name });
  await page.goto("/sign-in");
  await signOn(page, newcomer.login);
  await page.waitForURL("**/register/sso");
  assert.match(await page.locator("main").textContent(), new RegExp(newcomer.email.replace(/\./g, "\\.")));
  assert.equal(await page.getByLabel("Full name").inputValue(), newcomer.name);
  assert.equal(await page.getByLabel("Password").count(), 0, "no password is needed");
  await expectNoAxeViolations(page);

  const refused = page.waitForResponse((r) => r.url().endsWith("/register/sso") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Apply to join" }).click();
  assert.equal((await refused).status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /Select your profession/);
  assert.equal(await page.getByLabel("Full name").inputValue(), newcomer.name, "typed values are kept");

  await page.getByLabel("Profession").selectOption("mental-health-nurse");
  await page.getByLabel("Organisation").selectOption("kent");
  await page.getByLabel("Regulator").selectOption("nmc");
  await page.getByLabel("Mental health nurses").check();
  await page.getByRole("button", { name: "Apply to join" }).click();
  await page.waitForURL("**/account");
  assert.equal(await page.locator("h1").textContent(), "Your application is being reviewed");

  // The administrators see the application; the email address counts as confirmed.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in?done=signed-out");
  await page.getByLabel("Email address").fill(ADMIN.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  await page.goto("/admin/members");
  const card = page.locator("div.member-card", { has: page.getByRole("heading", { name: newcomer.name }) });
  assert.match(await card.textContent(), /Mental health nurses \(requested\)/);
  assert.match(await card.textContent(), /pending/);
});

inBothModes(app, "an email address the provider has not verified is refused", async (page, mode) => {
  const member = MEMBERS[mode.javaScriptEnabled];
  const login = `unverified-${mode.javaScriptEnabled}`;
  oidc.addAccount(login, { email: member.email, name: member.name, email_verified: false });
  await page.goto("/sign-in");
  await signOn(page, login);
  await page.waitForURL("**/sign-in/sso/callback**");
  assert.match(await page.locator(".error-summary").textContent(), /did not confirm your email address/);
  assert.equal(await page.getByRole("button", { name: "Sign out" }).count(), 0, "not signed in");
  await expectNoAxeViolations(page);

  // A callback this browser did not start (a forged or replayed state) is refused.
  const forged = await page.goto("/sign-in/sso/callback?code=stolen&state=forged");
  assert.equal(forged.status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /started in another browser/);
  // So is a refusal at the provider, with a clear message.
  await page.goto("/sign-in/sso/callback?error=access_denied&state=x");
  assert.match(await page.locator(".error-summary").textContent(), /cancelled or refused/);
});
