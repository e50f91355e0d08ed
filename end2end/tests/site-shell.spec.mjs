// The site shell: home, About, 404, the 500 page's promise of no internals, navigation.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, useApp } from "../lib/browser.mjs";

const app = useApp();

inBothModes(app, "home page introduces the network", async (page) => {
  const response = await page.goto("/");
  assert.equal(response.status(), 200);
  assert.equal(await page.locator("h1").textContent(), "The police Occupational Health network");
  assert.match(await page.title(), /ohnet/);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Learning", "CPD", "Forums", "Library", "Events", "Newsletters", "Standards", "Search"]) {
    assert.equal(await nav.getByRole("link", { name: label, exact: true }).count(), 1, `nav link ${label}`);
  }
  await expectNoAxeViolations(page);
});

inBothModes(app, "About page renders content with breadcrumbs and contents", async (page) => {
  await page.goto("/");
  await page.getByRole("contentinfo").getByRole("link", { name: "About the network" }).click();
  await page.waitForURL("**/about");
  assert.equal(await page.locator("h1").textContent(), "About the network");
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  assert.equal(await crumbs.getByRole("link", { name: "Home" }).getAttribute("href"), "/");
  const contents = page.getByRole("navigation", { name: "Contents" });
  const firstEntry = contents.getByRole("link").first();
  const anchor = await firstEntry.getAttribute("href");
  assert.match(anchor, /^#[a-z0-9-]+$/);
  assert.equal(await page.locator(`h2${anchor}, h3${anchor}`).count(), 1, "contents link points at a heading");
  await expectNoAxeViolations(page);
});

inBothModes(app, "unknown paths get the styled 404 page with status 404", async (page) => {
  for (const path of ["/no-such-page", "/deeply/nested/missing", "/learning/not-a-module"]) {
    const response = await page.goto(path);
    assert.equal(response.status(), 404, path);
    assert.equal(await page.locator("h1").textContent(), "Page not found", path);
  }
  await expectNoAxeViolations(page);
});

inBothModes(app, "sections not open yet say so plainly", async (page) => {
  const response = await page.goto("/events");
  assert.equal(response.status(), 200);
  assert.equal(await page.locator("h1").textContent(), "Events");
  assert.match(await page.locator("main").textContent(), /not open yet/);
  const current = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" });
  assert.equal(await current.getAttribute("aria-current"), "page");
  await expectNoAxeViolations(page);
});

test("GET /health reports the database", async () => {
  const response = await fetch(`${app.baseUrl}/health`);
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.status, "ok");
  assert.equal(body.database, "ok");
  assert.match(response.headers.get("content-type"), /application\/json/);
});

test("every response carries the security headers", async () => {
  for (const path of ["/", "/health", "/no-such-page"]) {
    const response = await fetch(`${app.baseUrl}${path}`);
    const csp = response.headers.get("content-security-policy");
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(response.headers.get("referrer-policy"), "same-origin", path);
    assert.match(response.headers.get("x-request-id"), /^[0-9a-f-]{36}$/, path);
  }
});
