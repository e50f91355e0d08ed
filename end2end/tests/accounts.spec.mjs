// Joining and signing in: apply → confirm by the emailed link → approval by an administrator
// → sign in → sign out; the mistakes people make on the way; rate limits; CSRF.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, useApp } from "../lib/browser.mjs";

// One administrator per JavaScript mode, so the journeys' own wrong passwords never add up to
// the per-account limit (5 failed sign-ins in 15 minutes).
const ADMINS = {
  true: { email: "admin.on@ohnet.test", name: "Alex Admin", password: "admin password for tests" },
  false: { email: "admin.off@ohnet.test", name: "Alex Admin", password: "admin password for tests" },
};
const adminFor = (mode) => ADMINS[mode.javaScriptEnabled];
const TARGETS = {
  true: { email: "target.on@ohnet.test", name: "Terry Target on", password: "target password 123" },
  false: { email: "target.off@ohnet.test", name: "Terry Target off", password: "target password 123" },
};
const OWNERS = {
  true: { email: "owner.on@ohnet.test", name: "Olly Owner", password: "owner password 123" },
  false: { email: "owner.off@ohnet.test", name: "Olly Owner", password: "owner password 123" },
};
const RESETTERS = {
  true: { email: "reset.on@ohnet.test", name: "Robin Reset", password: "the original password" },
  false: { email: "reset.off@ohnet.test", name: "Robin Reset", password: "the original password" },
};
const app = useApp({
  smtp: true,
  setup(started) {
    for (const admin of [...Object.values(ADMINS), ...Object.values(RESETTERS), ...Object.values(TARGETS), ...Object.values(OWNERS)]) {
      started.server.cli(["create-admin", "--email", admin.email, "--name", admin.name], {
        OHNET_ADMIN_PASSWORD: admin.password,
      });
    }
  },
});

async function signIn(page, email, password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in?done=signed-out");
}

inBothModes(app, "apply, confirm, approval, sign in and out", async (page, mode) => {
  const ADMIN = adminFor(mode);
  const suffix = mode.javaScriptEnabled ? "on" : "off";
  const applicant = {
    name: `Sam Nurse ${suffix}`,
    email: `sam.${suffix}@force.police.test`,
    password: "a long enough password",
  };

  // A blank form: every problem listed, linked to its field, typed values kept.
  await page.goto("/register");
  await expectNoAxeViolations(page);
  await page.getByLabel("Full name").fill(applicant.name);
  const blank = page.waitForResponse((r) => r.url().endsWith("/register") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Apply to join" }).click();
  assert.equal((await blank).status(), 422);
  const summary = page.locator(".error-summary");
  assert.match(await summary.textContent(), /Enter your email address/);
  assert.match(await summary.textContent(), /Select your profession/);
  assert.equal(await summary.getByRole("link", { name: "Enter your email address" }).getAttribute("href"), "#field-email");
  assert.equal(await page.getByLabel("Full name").inputValue(), applicant.name);
  await expectNoAxeViolations(page);

  await page.getByLabel("Email address").fill(applicant.email);
  await page.getByLabel("Password").fill(applicant.password);
  await page.getByLabel("Profession").selectOption("oh-nurse");
  await page.getByLabel("Organisation").selectOption("kent");
  await page.getByLabel("Regulator").selectOption("nmc");
  await page.getByLabel("Registration number (optional)").fill("12A3456E");
  await page.getByLabel("OH managers").check();
  await page.getByRole("button", { name: "Apply to join" }).click();
  await page.waitForURL("**/register/check-email");
  assert.equal(await page.locator("h1").textContent(), "Check your email");

  const confirmation = await app.smtp.waitFor(applicant.email, /Confirm your email address/);
  const link = confirmation.text.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)?.[0];
  assert.ok(link, `confirmation link in: ${confirmation.text}`);
  await page.goto(link);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await page.waitForURL("**/sign-in?done=verified");

  // The link is single-use.
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /expired or has already been used/);

  // Pending: signed in, but only the status page.
  await signIn(page, applicant.email, applicant.password);
  await page.waitForURL("**/account");
  assert.equal(await page.locator("h1").textContent(), "Your application is being reviewed");
  const forbidden = await page.goto("/admin/members");
  assert.equal(forbidden.status(), 403);
  await page.goto("/account");
  await signOut(page);

  // An administrator approves.
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.waitForURL("**/account");
  await page.goto("/admin/members");
  await expectNoAxeViolations(page);
  const card = page.locator("div.member-card", { has: page.getByRole("heading", { name: applicant.name }) });
  assert.match(await card.textContent(), /OH managers \(requested\)/);
  await card.getByRole("button", { name: `Approve ${applicant.name}` }).click();
  await page.waitForURL("**/admin/members?done=approved");
  await app.smtp.waitFor(applicant.email, /membership is approved/);
  await page.goto("/admin/audit");
  assert.match(await page.locator("table").textContent(), new RegExp(`member.approve.*${applicant.email}`));
  await expectNoAxeViolations(page);
  await signOut(page);

  // Now a full member.
  await signIn(page, applicant.email, applicant.password);
  await page.waitForURL("**/account");
  assert.equal(await page.locator("h1").textContent(), "Your account");
  await expectNoAxeViolations(page);
  await signOut(page);
  assert.equal(await page.getByRole("link", { name: "Sign in" }).count(), 1);
});

inBothModes(app, "a wrong password gets one message that reveals nothing", async (page, mode) => {
  const ADMIN = adminFor(mode);
  for (const email of [ADMIN.email, "nobody@nowhere.test"]) {
    const answer = page.waitForResponse((r) => r.url().endsWith("/sign-in") && r.request().method() === "POST");
    await signIn(page, email, "not the password at all");
    assert.equal((await answer).status(), 422);
    assert.match(await page.locator(".error-summary").textContent(), /Enter a correct email address and password/);
    assert.equal(await page.getByLabel("Email address").inputValue(), email);
    assert.equal(await page.getByLabel("Password").inputValue(), "", "passwords are never echoed");
  }
  await expectNoAxeViolations(page);
});

inBothModes(app, "an administrator declines with a reason that is emailed", async (page, mode) => {
  const ADMIN = adminFor(mode);
  const suffix = mode.javaScriptEnabled ? "on" : "off";
  const email = `decline.${suffix}@example.test`;
  await page.goto("/register");
  await page.getByLabel("Full name").fill(`Dana Decline ${suffix}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("another long password");
  await page.getByLabel("Profession").selectOption("physiotherapist");
  await page.getByLabel("Organisation").selectOption("other");
  await page.getByLabel("Regulator").selectOption("hcpc");
  await page.getByRole("button", { name: "Apply to join" }).click();
  await page.waitForURL("**/register/check-email");
  const link = (await app.smtp.waitFor(email, /Confirm your email/)).text.match(/https?:\/\/\S+token=[\w-]+/)[0];
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await page.waitForURL("**/sign-in?done=verified");

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.waitForURL("**/account");
  await page.goto("/admin/members");
  const card = page.locator("div.member-card", { has: page.getByRole("heading", { name: `Dana Decline ${suffix}` }) });
  const empty = page.waitForResponse((r) => r.url().includes("/decline") && r.request().method() === "POST");
  await card.getByRole("button", { name: /^Decline/ }).click();
  assert.equal((await empty).status(), 422);
  const again = page.locator("div.member-card", { has: page.getByRole("heading", { name: `Dana Decline ${suffix}` }) });
  assert.match(await again.locator(".error-summary").textContent(), /Enter the reason for declining/);
  await again.getByLabel(/Reason for declining/).fill("We could not confirm an OH role.");
  await again.getByRole("button", { name: /^Decline/ }).click();
  await page.waitForURL("**/admin/members?done=declined");
  const notice = await app.smtp.waitFor(email, /Your application to join ohnet/);
  assert.match(notice.text, /We could not confirm an OH role\./);
  await signOut(page);
});

test("sign-in attempts are rate limited per account", async () => {
  let last;
  for (let attempt = 0; attempt < 7; attempt += 1) {
    const page = await (await app.browser.newContext({ baseURL: app.baseUrl })).newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email address").fill("target@example.test");
    await page.getByLabel("Password").fill(`guess number ${attempt}`);
    const answer = page.waitForResponse((r) => r.url().endsWith("/sign-in") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Sign in" }).click();
    last = { status: (await answer).status(), text: await page.locator(".error-summary").textContent() };
    await page.context().close();
  }
  assert.equal(last.status, 429);
  assert.match(last.text, /Too many attempts/);
});

test("state-changing requests from elsewhere are refused (CSRF)", async () => {
  const form = "email=a%40b.test&password=whatever";
  const crossSite = await fetch(`${app.baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  assert.equal(crossSite.status, 403);
  const noToken = await fetch(`${app.baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: app.baseUrl, "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  assert.equal(noToken.status, 403);

  // A page on another origin that auto-submits a form to ohnet: the browser sends it, ohnet refuses.
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await page.setContent(`<form method="post" action="${app.baseUrl}/sign-out"><button>go</button></form>`);
  const answer = page.waitForResponse((r) => r.url().endsWith("/sign-out"));
  await page.getByRole("button", { name: "go" }).click();
  assert.equal((await answer).status(), 403);
  await context.close();
});

inBothModes(app, "signed-out visitors are sent to sign in and brought back", async (page, mode) => {
  const ADMIN = adminFor(mode);
  await page.goto("/admin/audit");
  await page.waitForURL("**/sign-in?next=%2Fadmin%2Faudit");
  await page.getByLabel("Email address").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/admin/audit");
  assert.equal(await page.locator("h1").textContent(), "Audit log");
  await signOut(page);
});

inBothModes(app, "a forgotten password is reset by emailed link, ending other sessions", async (page, mode) => {
  const member = RESETTERS[mode.javaScriptEnabled];
  // Another browser is signed in with the old password.
  const other = await app.browser.newContext({ baseURL: app.baseUrl, javaScriptEnabled: mode.javaScriptEnabled });
  const otherPage = await other.newPage();
  await signIn(otherPage, member.email, member.password);
  await otherPage.waitForURL("**/account");

  // Unknown addresses get the same answer and no mail.
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgotten your password?" }).click();
  await page.waitForURL("**/reset-password");
  await expectNoAxeViolations(page);
  await page.getByLabel("Email address").fill(`nobody.${mode.javaScriptEnabled}@ohnet.test`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.waitForURL("**/reset-password/sent");

  await page.goto("/reset-password");
  await page.getByLabel("Email address").fill(member.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.waitForURL("**/reset-password/sent");
  const mail = await app.smtp.waitFor(member.email, /Reset your ohnet password/);
  const link = mail.text.match(/https?:\/\/\S+\/reset-password\/new\?token=[\w-]+/)?.[0];
  assert.ok(link, mail.text);
  assert.equal(app.smtp.messages.filter((m) => m.to.includes(`nobody.${mode.javaScriptEnabled}@ohnet.test`)).length, 0);

  await page.goto(link);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Change password" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /10 characters or more/);
  await expectNoAxeViolations(page);
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL("**/sign-in?done=password-reset");

  await signIn(page, member.email, member.password);
  assert.match(await page.locator(".error-summary").textContent(), /Enter a correct email address and password/);
  await signIn(page, member.email, "a brand new password");
  await page.waitForURL("**/account");
  await signOut(page);

  // The other browser's session ended with the reset.
  await otherPage.goto("/account");
  await otherPage.waitForURL("**/sign-in?next=%2Faccount");
  await other.close();
});

inBothModes(app, "an administrator changes a role, suspends and reinstates a member", async (page, mode) => {
  const ADMIN = adminFor(mode);
  const target = TARGETS[mode.javaScriptEnabled];
  const other = await app.browser.newContext({ baseURL: app.baseUrl, javaScriptEnabled: mode.javaScriptEnabled });
  const targetPage = await other.newPage();
  await signIn(targetPage, target.email, target.password);
  await targetPage.waitForURL("**/account");

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.waitForURL("**/account");
  await page.goto("/admin/members?status=all");
  const card = () => page.locator("div.member-card", { has: page.getByRole("heading", { name: target.name }) });
  await card().getByLabel(`Role for ${target.name}`).selectOption("member");
  await card().getByRole("button", { name: "Change role" }).click();
  await page.waitForURL("**/admin/members?status=all&done=role-changed");
  assert.equal(await card().getByLabel(`Role for ${target.name}`).inputValue(), "member");
  await expectNoAxeViolations(page);

  await card().getByRole("button", { name: `Suspend ${target.name}` }).click();
  await page.waitForURL("**/admin/members?status=all&done=suspended");
  await targetPage.goto("/account");
  await targetPage.waitForURL("**/sign-in?next=%2Faccount");
  await signIn(targetPage, target.email, target.password);
  assert.match(await targetPage.locator(".error-summary").textContent(), /suspended/);

  await card().getByRole("button", { name: `Reinstate ${target.name}` }).click();
  await page.waitForURL("**/admin/members?status=all&done=reinstated");
  await signIn(targetPage, target.email, target.password);
  await targetPage.waitForURL("**/account");
  assert.equal(await targetPage.locator("h1").textContent(), "Your account");

  await page.goto("/admin/audit");
  const log = await page.locator("table").textContent();
  for (const action of ["member.role", "member.suspend", "member.reinstate"]) assert.match(log, new RegExp(action));
  await signOut(page);
  await other.close();
});

inBothModes(app, "members change their password, see devices, sign others out and download their data", async (page, mode) => {
  const owner = OWNERS[mode.javaScriptEnabled];
  const other = await app.browser.newContext({ baseURL: app.baseUrl, javaScriptEnabled: mode.javaScriptEnabled });
  const otherPage = await other.newPage();
  await signIn(otherPage, owner.email, owner.password);
  await otherPage.waitForURL("**/account");

  await signIn(page, owner.email, owner.password);
  await page.waitForURL("**/account");
  assert.match(await page.locator("table").textContent(), /\(this device\)/);
  await expectNoAxeViolations(page);

  // Download my data.
  const response = await page.request.get("/account/data");
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-disposition"], /attachment/);
  const data = await response.json();
  assert.equal(data.profile.email, owner.email);
  assert.ok(data.sessions.length >= 2);

  // A wrong current password is caught; nothing changes.
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password").fill("my new password 456");
  await page.getByRole("button", { name: "Change password" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /current password is not correct/);
  await expectNoAxeViolations(page);

  await page.getByLabel("Current password").fill(owner.password);
  await page.getByLabel("New password").fill("my new password 456");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL("**/account?done=password-changed");
  await otherPage.goto("/account");
  await otherPage.waitForURL("**/sign-in?next=%2Faccount");

  // Sign in elsewhere again, then sign that device out from here.
  await signIn(otherPage, owner.email, "my new password 456");
  await otherPage.waitForURL("**/account");
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out of all other devices" }).click();
  await page.waitForURL("**/account?done=signed-out-others");
  await otherPage.goto("/account");
  await otherPage.waitForURL("**/sign-in?next=%2Faccount");
  assert.equal(await page.getByRole("button", { name: "Sign out of all other devices" }).count(), 0);
  await signOut(page);
  await other.close();
});
