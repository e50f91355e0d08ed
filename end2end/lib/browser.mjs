// Launches Debian's Chromium headless through playwright-core, and registers each journey
// twice: once with JavaScript enabled and once disabled. A failing journey leaves a
// screenshot in end2end/artifacts/.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

import { scriptlessPages } from "./axe.mjs";
import { startServer } from "./server.mjs";
import { startSmtp } from "./smtp.mjs";

const artifacts = resolve(import.meta.dirname, "..", "artifacts");

export const JS_MODES = [
  { name: "JS on", javaScriptEnabled: true },
  { name: "JS off", javaScriptEnabled: false },
];

/**
 * Starts one server and one browser for the spec file (and, with `{ smtp: true }`, a recording
 * SMTP server the app sends mail to); all stop after its tests. `prepare()` runs first and may
 * answer more environment for the server (e.g. a single sign-on provider's address).
 */
/** Headless Chromium from Debian's package (or CHROMIUM_PATH), quiet on the network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function useApp(options = {}) {
  const app = { baseUrl: "", browser: null, server: null, smtp: null };
  before(async () => {
    const env = { ...(options.env ?? {}), ...((await options.prepare?.()) ?? {}) };
    if (options.smtp) {
      app.smtp = await startSmtp();
      env.OHNET_SMTP_URL = app.smtp.url;
    }
    app.server = await startServer({ ...options, env });
    app.baseUrl = app.server.baseUrl;
    await options.setup?.(app);
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.stop();
    await app.smtp?.stop();
  });
  return app;
}

/** Resolves once the page's islands have hydrated (they mark their root `data-enhanced`). */
export async function waitForHydration(page) {
  await page.locator("[data-enhanced]").first().waitFor();
}

/**
 * A page for a second person in the same journey: its own browser context (own cookies), set
 * up like the journey's own for `mode`, so that axe checks it the same way.
 */
export async function secondPage(app, mode) {
  const context = await app.browser.newContext({
    baseURL: app.baseUrl,
    javaScriptEnabled: mode.javaScriptEnabled,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  if (!mode.javaScriptEnabled) scriptlessPages.add(page);
  return page;
}

/**
 * Registers `journey` once per JavaScript mode. `journey(page, mode)` gets a fresh page in a
 * fresh context whose base URL is the app's.
 */
export function inBothModes(app, name, journey, modes = JS_MODES) {
  for (const mode of modes) {
    test(`${name} [${mode.name}]`, async () => {
      const context = await app.browser.newContext({
        baseURL: app.baseUrl,
        javaScriptEnabled: mode.javaScriptEnabled,
      });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      if (!mode.javaScriptEnabled) scriptlessPages.add(page);
      const problems = [];
      // A page's own error status (a 404 page, say) is reported by Chromium as a failed load;
      // the journey asserts those statuses itself. Any other failed resource is a problem.
      const documents = new Set();
      page.on("response", (response) => {
        if (response.request().resourceType() === "document") documents.add(response.url());
      });
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const documentStatus =
          message.text().startsWith("Failed to load resource") && documents.has(message.location().url);
        if (!documentStatus) problems.push(`${message.text()} (${message.location().url})`);
      });
      page.on("pageerror", (error) => problems.push(error.message));
      try {
        await journey(page, mode);
        if (problems.length > 0) {
          throw new Error(`browser console errors:\n${problems.join("\n")}`);
        }
      } catch (error) {
        mkdirSync(artifacts, { recursive: true });
        const file = join(artifacts, `${name} ${mode.name}`.replace(/[^a-z0-9]+/gi, "-") + ".png");
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        throw error;
      } finally {
        await context.close();
      }
    });
  }
}
