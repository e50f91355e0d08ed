// Runs axe-core on the current page and fails with a readable list of any violations.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

/** Pages whose context has JavaScript disabled (set by `inBothModes`). */
export const scriptlessPages = new WeakSet();

/**
 * Checks the page as it stands. Axe is evaluated through the DevTools protocol, which works
 * under the page's strict CSP. Axe needs timers, which do not run in a page with JavaScript
 * disabled, so for such a page the exact DOM it shows (scripts removed) is checked in a
 * scripting-enabled copy that loads the same stylesheet.
 */
export async function expectNoAxeViolations(page) {
  let target = page;
  let copy = null;
  if (scriptlessPages.has(page)) {
    const html = (await page.content())
      .replace(/<script\b[\s\S]*?<\/script>/gi, "")
      .replace(/<head>/i, `<head><base href="${page.url()}">`);
    copy = await page.context().browser().newContext({ javaScriptEnabled: true });
    target = await copy.newPage();
    await target.setViewportSize(page.viewportSize());
    await target.setContent(html, { waitUntil: "load" });
  }
  try {
    if (!(await target.evaluate(() => typeof window.axe === "object"))) {
      await target.evaluate(axeSource);
    }
    const results = await target.evaluate(async (tags) => {
      const outcome = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
      return outcome.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
      }));
    }, TAGS);
    assert.deepEqual(
      results,
      [],
      `axe found ${results.length} violation(s) on ${page.url()}:\n` +
        results.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join("\n    ")}`).join("\n"),
    );
  } finally {
    await copy?.close();
  }
}
