// The guidance library: filtering the seed documents by kind and topic (a plain GET form),
// reading a document with its owner, dates, contents and version history, the curated good
// practice hub and the target operating model laid out by its four stages, and a member who is
// not in the CMO group never seeing the group's briefing.
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, useApp } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const READER = { email: "reader@ohnet.test", name: "Rae Reader" };
const app = useApp({
  setup(started) {
    started.server.cli(["create-admin", "--email", READER.email, "--name", READER.name], {
      OHNET_ADMIN_PASSWORD: PASSWORD,
    });
  },
});

inBothModes(app, "a visitor filters the library and reads a public document", async (page) => {
  await page.goto("/library");
  assert.equal(await page.locator("h1").textContent(), "Guidance library");
  await expectNoAxeViolations(page);
  await page.getByLabel("Kind").selectOption("standard");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/\/library\?kind=standard/);
  const kinds = await page.locator(".document-list__kind").allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((kind) => kind === "Standard"), kinds.join(", "));
  // Members' documents are not listed for a visitor who is not signed in.
  assert.doesNotMatch(await page.locator("main").textContent(), /OH service specification outline/);

  await page.getByRole("link", { name: /Foundation OH Standards/ }).first().click();
  await page.waitForURL("**/library/foundation-oh-standards-outline");
  const facts = await page.locator(".summary-list").textContent();
  assert.match(facts, /Owner\s*ohnet editorial team/);
  assert.match(facts, /Version 1/);
  assert.ok(await page.getByRole("navigation", { name: "Contents" }).count());
  assert.match(await page.locator("#versions-heading + table").textContent(), /First published\./);
  await expectNoAxeViolations(page);
});

inBothModes(app, "a member uses the good practice hub and the target operating model", async (page) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(READER.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");

  await page.goto("/good-practice");
  assert.equal(await page.locator("h1").textContent(), "Good practice hub");
  assert.ok(await page.getByRole("heading", { name: "Policy templates" }).count());
  await page.getByRole("link", { name: /Management referral template/ }).click();
  await page.waitForURL("**/library/management-referral-template");
  await expectNoAxeViolations(page);

  await page.goto("/tom");
  const stages = page.getByRole("navigation", { name: "Stages of the model" });
  assert.deepEqual(
    (await stages.getByRole("link").allTextContents()).map((text) => text.replace(/^Stage \d/, "")),
    ["Scan", "Develop", "Deliver", "Evaluate"],
  );
  await stages.getByRole("link", { name: /Deliver/ }).click();
  await page.waitForURL("**/tom#deliver");
  await expectNoAxeViolations(page);

  // The CMO group's briefing does not exist for a member outside the group.
  await page.goto("/library");
  assert.doesNotMatch(await page.locator("main").textContent(), /CMO group/);
  assert.equal((await page.goto("/library/cmo-group-working-arrangements")).status(), 404);
});
