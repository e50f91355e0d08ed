// Search: the results page works as a plain form, with type filters, order and pages as plain
// links; a member's new forum post is found at once, its words highlighted, and a member who
// is not in the CMO group never finds the group's pages; with JavaScript the header box
// suggests titles as you type (this is also the proof that the islands hydrate under the
// strict CSP).
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { JS_MODES, inBothModes, useApp, waitForHydration } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const SEARCHER = { email: "searcher@ohnet.test", name: "Sam Searcher" };
const app = useApp({
  setup(started) {
    started.server.cli(["create-admin", "--email", SEARCHER.email, "--name", SEARCHER.name], {
      OHNET_ADMIN_PASSWORD: PASSWORD,
    });
  },
});

inBothModes(app, "a member finds a new forum post at once, filters by type and sorts", async (page, mode) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(SEARCHER.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");

  // Words far apart, so that typo tolerance does not find the other mode's post.
  const word = mode.javaScriptEnabled ? "quillwort" : "sphagnum";
  await page.goto("/forums/general/new");
  await page.getByLabel("Title").fill(`Lumbar support audit ${mode.name}`);
  await page.getByLabel("Your post").fill(`We audited lumbar support in patrol cars; ask about ${word}.`);
  await page.getByRole("button", { name: "Post topic" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?done=posted/);

  await page.goto("/search");
  await page.getByLabel("Search ohnet", { exact: true }).last().fill(`${word} lumbar`);
  await page.locator("form.search-form").getByRole("button", { name: "Search" }).click();
  await page.waitForURL(`**/search?q=${word}+lumbar`);
  assert.match(await page.locator(".search-results__count").textContent(), /^1 result for/);
  const item = page.locator(".search-results__item").first();
  assert.equal(await item.locator(".search-results__kind").textContent(), "Forum post");
  assert.equal(await item.locator("mark").first().textContent(), "lumbar");
  assert.match(await item.locator(".search-results__where").textContent(), /Forums › General network/);
  await expectNoAxeViolations(page);

  // Type filters with counts, and the order, are plain links.
  await page.goto("/search?q=fitness");
  const filters = page.getByRole("navigation", { name: "Filter by type" });
  const lessons = filters.getByRole("link", { name: /^Lessons \(\d+\)$/ });
  await lessons.click();
  await page.waitForURL("**/search?q=fitness&kind=lesson");
  assert.equal(await filters.getByRole("link", { name: /^Lessons/ }).getAttribute("aria-current"), "page");
  const kinds = await page.locator(".search-results__kind").allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((kind) => kind === "Lesson"), kinds.join(", "));
  await page.getByRole("link", { name: "newest" }).click();
  await page.waitForURL("**/search?q=fitness&kind=lesson&sort=newest");
  await expectNoAxeViolations(page);

  // The CMO group's page is not found by a member outside the group, not even counted.
  await page.goto("/search?q=%22private+space%22+senior");
  assert.match(await page.locator(".search-results__count").textContent(), /^0 results/);
  assert.doesNotMatch(await page.locator("main").textContent(), /Chief Medical Officer's group: how this space works/);
});

inBothModes(app, "the search page finds pages by their words", async (page) => {
  await page.goto("/search");
  await page.getByLabel("Search ohnet", { exact: true }).last().fill("accessibility");
  await page.locator("form.search-form").getByRole("button", { name: "Search" }).click();
  await page.waitForURL("**/search?q=accessibility");
  assert.match(await page.locator(".search-results__count").textContent(), /result/);
  const hit = page.locator(".search-results").getByRole("link", { name: "Accessibility statement" });
  assert.equal(await hit.getAttribute("href"), "/accessibility");
  await expectNoAxeViolations(page);

  await page.goto("/search?q=zzzznotawordzzzz");
  assert.match(await page.locator(".search-results__count").textContent(), /^0 results/);
  await page.goto("/search?q=%25%25");
  assert.equal((await page.goto("/search?q=%25_")).status(), 200);
});

inBothModes(
  app,
  "the header search box suggests pages as you type",
  async (page) => {
    await page.goto("/");
    await waitForHydration(page);
    const box = page.getByRole("searchbox", { name: "Search ohnet" });
    await box.pressSequentially("abou");
    const suggestion = page.getByTestId("search-suggestions").getByRole("link", { name: "About the network" });
    await suggestion.waitFor();
    assert.match(await page.locator("#header-search-status").textContent(), /suggestion/);
    await expectNoAxeViolations(page);
    await suggestion.click();
    await page.waitForURL("**/about");
  },
  [JS_MODES[0]],
);

inBothModes(
  app,
  "without JavaScript the header search box is a plain form",
  async (page) => {
    await page.goto("/");
    const box = page.getByRole("searchbox", { name: "Search ohnet" });
    await box.fill("about");
    assert.equal(await page.getByTestId("search-suggestions").count(), 0);
    await box.press("Enter");
    await page.waitForURL("**/search?q=about");
    assert.ok(await page.locator(".search-results").getByRole("link", { name: "About the network" }).count());
  },
  [JS_MODES[1]],
);
