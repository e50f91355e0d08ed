// Keyboard-only use of the header: skip link first, then site name, search, navigation.
import assert from "node:assert/strict";

import { inBothModes, useApp } from "../lib/browser.mjs";

const app = useApp();

async function focusedDescription(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return `${element.tagName.toLowerCase()}:${(element.getAttribute("aria-label") || element.textContent || element.getAttribute("name") || "").trim()}`;
  });
}

inBothModes(app, "the header can be used with the keyboard alone", async (page) => {
  await page.goto("/about");
  await page.keyboard.press("Tab");
  assert.equal(await focusedDescription(page), "a:Skip to main content");
  const skipLink = page.getByRole("link", { name: "Skip to main content" });
  const box = await skipLink.boundingBox();
  assert.ok(box && box.width > 1 && box.height > 1, "skip link is visible when focused");

  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main-content");

  await page.goto("/about");
  const order = [];
  for (let i = 0; i < 15; i += 1) {
    await page.keyboard.press("Tab");
    order.push(await focusedDescription(page));
  }
  assert.deepEqual(order.slice(0, 6), [
    "a:Skip to main content",
    "a:ohohnetPolice Occupational Health network",
    "input:q",
    "button:Search",
    "a:Sign in",
    "a:Apply to join",
  ]);
  assert.deepEqual(order.slice(6, 14), [
    "a:Learning",
    "a:CPD",
    "a:Forums",
    "a:Library",
    "a:Events",
    "a:Newsletters",
    "a:Standards",
    "a:Search",
  ]);

  // Keyboard search from the header lands on the results page.
  await page.getByRole("searchbox", { name: "Search ohnet" }).first().focus();
  await page.keyboard.type("privacy");
  await page.keyboard.press("Enter");
  await page.waitForURL("**/search?q=privacy");
  assert.equal(await page.locator("h1").textContent(), "Search");
});
