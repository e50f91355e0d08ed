// Search: the results page works as a plain form; with JavaScript the header box suggests pages
// as you type (this is also the proof that the islands hydrate under the strict CSP).
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { JS_MODES, inBothModes, useApp, waitForHydration } from "../lib/browser.mjs";

const app = useApp();

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
