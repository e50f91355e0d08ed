// A member's own account (profile, email choices, closing the account) and what administrators
// do beyond approving: finding members, groups, roles scoped to a forum, the allow-list.
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, useApp } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const ADMINS = {
  true: { email: "admin.on@ohnet.test", name: "Ada Admin on" },
  false: { email: "admin.off@ohnet.test", name: "Ada Admin off" },
};
const app = useApp({
  smtp: true,
  // Applicants at this domain are approved as soon as they confirm their address.
  env: { OHNET_AUTO_APPROVE_DOMAINS: "approved.police.test" },
  setup(started) {
    for (const admin of Object.values(ADMINS)) {
      started.server.cli(["create-admin", "--email", admin.email, "--name", admin.name], {
        OHNET_ADMIN_PASSWORD: PASSWORD,
      });
    }
  },
});

async function signIn(page, email, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
}

/** Applies through the form and confirms by the emailed link; the domain makes it approved. */
async function join(page, { name, email, groups = [] }) {
  await page.goto("/register");
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Profession").selectOption("oh-nurse");
  await page.getByLabel("Organisation").selectOption("kent");
  await page.getByLabel("Regulator").selectOption("nmc");
  for (const group of groups) await page.getByLabel(group).check();
  await page.getByRole("button", { name: "Apply to join" }).click();
  await page.waitForURL("**/register/check-email");
  const mail = await app.smtp.waitFor(email, /Confirm your email address/);
  await page.goto(mail.text.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)[0]);
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await page.waitForURL("**/sign-in?done=approved");
  await app.smtp.waitFor(email, /membership is approved/);
}

inBothModes(app, "a member edits their profile and email choices, then closes their account", async (page, mode) => {
  const suffix = mode.javaScriptEnabled ? "on" : "off";
  const member = { name: `Pat Profile ${suffix}`, email: `pat.${suffix}@approved.police.test` };
  await join(page, member);
  await page.goto("/sign-in");
  assert.equal(
    await page.getByRole("link", { name: "Sign in with your organisation's account" }).count(),
    0,
    "no single sign-on offered when it is not configured",
  );
  await signIn(page, member.email);
  assert.match(await page.locator(".summary-list").first().textContent(), /Kent Police/);
  await expectNoAxeViolations(page);

  // Profile: a mistake keeps what was typed; then it saves.
  await page.getByRole("link", { name: "Change your profile" }).click();
  await page.waitForURL("**/account/profile");
  assert.equal(await page.getByLabel("Full name").inputValue(), member.name, "the saved name is filled in");
  assert.equal(await page.getByLabel("Organisation").inputValue(), "kent");
  await page.getByLabel("Full name").fill("");
  await page.getByLabel("Profession").selectOption("physiotherapist");
  const refused = page.waitForResponse((r) => r.url().endsWith("/account/profile") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Save profile" }).click();
  assert.equal((await refused).status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /Enter your full name/);
  assert.equal(await page.getByLabel("Profession").inputValue(), "physiotherapist", "typed values are kept");
  await expectNoAxeViolations(page);
  await page.getByLabel("Full name").fill(`${member.name} Renamed`);
  await page.getByLabel("Organisation").selectOption("essex");
  await page.getByLabel("Regulator").selectOption("hcpc");
  await page.getByLabel("Registration number (optional)").fill("PH12345");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.waitForURL("**/account?done=profile-saved");
  const summary = await page.locator(".summary-list").first().textContent();
  assert.match(summary, new RegExp(`${member.name} Renamed`));
  assert.match(summary, /Physiotherapist/);
  assert.match(summary, /Essex Police/);
  assert.match(summary, /\(HCPC\): PH12345/);

  // Email choices.
  assert.equal(await page.getByLabel("The network newsletter").isChecked(), true);
  await page.getByLabel("The network newsletter").uncheck();
  assert.equal(await page.getByLabel("An email for each new post").isChecked(), true, "each post is the default");
  await page.getByLabel("One email a day with what I have not read").check();
  await page.getByRole("button", { name: "Save email choices" }).click();
  await page.waitForURL("**/account?done=preferences-saved");
  assert.equal(await page.getByLabel("The network newsletter").isChecked(), false);
  assert.equal(await page.getByLabel("One email a day with what I have not read").isChecked(), true);
  assert.equal(await page.getByLabel("Watch topics I start or reply to").isChecked(), true);

  // Closing needs the password and a confirmation.
  await page.getByRole("link", { name: "Close your account" }).click();
  await page.waitForURL("**/account/close");
  await expectNoAxeViolations(page);
  await page.getByLabel("Your password").fill("not my password");
  const unconfirmed = page.waitForResponse((r) => r.url().endsWith("/account/close") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Close my account" }).click();
  assert.equal((await unconfirmed).status(), 422);
  const problems = await page.locator(".error-summary").textContent();
  assert.match(problems, /Confirm that you understand/);
  assert.match(problems, /Your password is not correct/);
  await page.getByLabel("Your password").fill(PASSWORD);
  await page.getByLabel("I understand that closing my account cannot be undone").check();
  await page.getByRole("button", { name: "Close my account" }).click();
  await page.waitForURL("**/sign-in?done=closed");
  assert.match(await page.locator(".notification-banner").textContent(), /closed/);

  // Gone: cannot sign in; administrators see only "Former member".
  await page.getByLabel("Email address").fill(member.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /Enter a correct email address and password/);
  await signIn(page, ADMINS[mode.javaScriptEnabled].email);
  await page.goto("/admin/members?status=closed");
  const closed = await page.locator("main").textContent();
  assert.match(closed, /Former member/);
  assert.doesNotMatch(closed, new RegExp(member.email.replace(/\./g, "\\.")));
  assert.doesNotMatch(closed, /Renamed/);
});

inBothModes(app, "an administrator finds members, manages groups, scopes a moderator and keeps the allow-list", async (page, mode) => {
  const suffix = mode.javaScriptEnabled ? "on" : "off";
  const member = { name: `Gale Groups ${suffix}`, email: `gale.${suffix}@approved.police.test`, groups: ["Chief Medical Officer's group"] };
  await join(page, member);
  await signIn(page, ADMINS[mode.javaScriptEnabled].email);

  // Search and filters.
  await page.goto("/admin/members");
  await page.getByLabel("Name or email").fill(`gale.${suffix}`);
  await page.getByLabel("Status").selectOption("all");
  await page.getByLabel("Group").selectOption("cmo");
  await page.getByLabel("Organisation").selectOption("kent");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/\/admin\/members\?q=gale/);
  assert.equal(await page.locator("div.member-card").count(), 1);
  assert.match(await page.locator("[role=status]").textContent(), /^1 person$/);
  await expectNoAxeViolations(page);
  await page.getByLabel("Organisation").selectOption("essex");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/organisation=essex/);
  assert.equal(await page.locator("div.member-card").count(), 0);
  assert.match(await page.locator("main").textContent(), /No one matches these filters/);

  // Groups: automatic approval admits the member but not to groups; the administrator
  // declines the CMO group request and adds physiotherapists instead.
  await page.goto(`/admin/members?status=all&q=gale.${suffix}`);
  const card = () => page.locator("div.member-card", { has: page.getByRole("heading", { name: member.name }) });
  const groups = card().getByRole("group", { name: `Groups for ${member.name}` });
  assert.equal(await groups.getByLabel("Chief Medical Officer's group (requested)").isChecked(), false);
  await groups.getByLabel("Physiotherapists").check();
  await card().getByRole("button", { name: "Save groups" }).click();
  // The decision returns to the same filtered list.
  await page.waitForURL(`**/admin/members?status=all&q=gale.${suffix}&done=groups-changed`);
  assert.match(await card().locator(".summary-list").textContent(), /Physiotherapists/);
  assert.doesNotMatch(await card().locator(".summary-list").textContent(), /Chief Medical Officer/);

  // A moderator for one forum only.
  await card().getByLabel(`Role for ${member.name}`).selectOption("moderator");
  await card().getByLabel("Moderates (for moderators)").selectOption("physiotherapists");
  await card().getByRole("button", { name: "Change role" }).click();
  await page.waitForURL(`**/admin/members?status=all&q=gale.${suffix}&done=role-changed`);
  assert.equal(await card().getByLabel("Moderates (for moderators)").inputValue(), "physiotherapists");

  // The allow-list: configuration domains are listed; one is added and removed in the app.
  const domain = `${suffix}.kent.police.test`;
  await page.goto("/admin/allow-list");
  assert.match(await page.locator("table").textContent(), /approved\.police\.test\s*Server configuration/);
  await page.getByLabel("Email domain").fill("not a domain");
  const bad = page.waitForResponse((r) => r.url().endsWith("/admin/allow-list") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Add domain" }).click();
  assert.equal((await bad).status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /Enter a domain like/);
  await expectNoAxeViolations(page);
  await page.getByLabel("Email domain").fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  await page.waitForURL("**/admin/allow-list?done=added");
  await page.getByRole("button", { name: `Remove ${domain}` }).click();
  await page.waitForURL("**/admin/allow-list?done=removed");
  assert.doesNotMatch(await page.locator("main").textContent(), new RegExp(domain.replace(/\./g, "\\.")));

  await page.goto("/admin/audit");
  const log = await page.locator("table").textContent();
  for (const action of ["member.groups", "member.role", "allow-list.add", "allow-list.remove"]) {
    assert.match(log, new RegExp(action.replace(".", "\\.")));
  }
  assert.match(log, /moderator \(forum: physiotherapists\)/);
});
