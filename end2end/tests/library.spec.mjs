// The guidance library: filtering the seed documents by kind and topic (a plain GET form),
// reading a document with its owner, dates, contents and version history, the curated good
// practice hub and the target operating model laid out by its four stages, and a member who is
// not in the CMO group never seeing the group's briefing; and an editor drafting, previewing,
// attaching a PDF to, versioning, withdrawing and republishing a document that a reader then
// finds by the PDF's words, downloads from and compares.
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, secondPage, useApp } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const READER = { email: "reader@ohnet.test", name: "Rae Reader" };
/** A one-page PDF whose text is `words` in the standard Helvetica font. */
function pdf(words) {
  const stream = `BT /F1 12 Tf 72 720 Td (${words}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets = objects.map((body, index) => {
    const offset = out.length;
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

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

inBothModes(app, "an editor publishes a document and a new version, and a reader sees what changed", async (page, mode) => {
  const slug = `shift-handover-${mode.javaScriptEnabled ? "js" : "plain"}`;
  // A word only this mode's PDF holds, far from the other mode's, so near misses cannot cross.
  const pdfWord = mode.javaScriptEnabled ? "capybara" : "okapi";
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(READER.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");

  await page.goto("/library");
  await page.getByRole("link", { name: "New document" }).click();
  await page.waitForURL("**/library/new");
  await page.getByLabel("Web address name").fill(slug);
  await page.getByLabel("Title", { exact: true }).fill("Shift handover note");
  await page.getByLabel("Kind of document").selectOption("briefing");
  await page.getByLabel("Summary").fill("What OH teams hand over between shifts.");
  await page.getByLabel("Topics").fill("handover, shifts");
  await page.getByLabel("Everyone, including visitors who are not signed in").check();
  await page.getByLabel("Owner").fill("OH nursing lead");
  await page.getByLabel("Text (Markdown)").fill("## Handover\n\nCheck the referral list.\n");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("heading", { name: "Preview" }).waitFor();
  assert.match(await page.locator(".preview .prose").textContent(), /Handover\s*Check the referral list/);
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Save draft" }).click();
  await page.waitForURL(`**/library/${slug}/edit?done=draft-saved`);
  assert.match(await page.locator(".notification-banner").textContent(), /Draft saved/);
  // A visitor cannot see a draft.
  const visitor = await secondPage(app, mode);
  assert.equal((await visitor.goto(`/library/${slug}`)).status(), 404);

  // A mistake is shown against its field, and nothing typed is lost.
  await page.getByLabel("Title", { exact: true }).fill("");
  await page.getByRole("button", { name: "Publish" }).click();
  await page.locator(".error-summary").waitFor();
  assert.match(await page.locator(".error-summary").textContent(), /Enter a title/);
  assert.match(await page.getByLabel("Text (Markdown)").inputValue(), /Check the referral list/);
  await expectNoAxeViolations(page);
  await page.getByLabel("Title", { exact: true }).fill("Shift handover note");
  await page.getByRole("button", { name: "Publish" }).click();
  await page.waitForURL(`**/library/${slug}?done=published`);
  assert.match(await page.locator(".summary-list").textContent(), /Version 1/);

  // Attachments: the type is read from the bytes, so a web page named .pdf is refused.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await page.waitForURL(`**/library/${slug}/edit`);
  await page.getByLabel("File to attach").setInputFiles({
    name: "checklist.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html><script>alert(1)</script></html>"),
  });
  await page.getByRole("button", { name: "Attach file" }).click();
  await page.locator(".error-summary").waitFor();
  assert.match(await page.locator(".error-summary").textContent(), /contents are checked/);
  await expectNoAxeViolations(page);
  await page.getByLabel("File to attach").setInputFiles({
    name: "handover checklist.pdf",
    mimeType: "application/pdf",
    buffer: pdf(`Handover checklist: ask the ${pdfWord} question`),
  });
  await page.getByRole("button", { name: "Attach file" }).click();
  await page.waitForURL(`**/library/${slug}/edit?done=attached#attachments`);
  assert.match(await page.locator("#attachments").textContent(), /handover-checklist\.pdf \(PDF, 1 KB\)/);

  await page.getByLabel("Text (Markdown)").fill("## Handover\n\nCheck the referral list.\n\nName the night shift lead.\n");
  await page.getByLabel("What this version changes").fill("Added the night shift lead.");
  await page.getByRole("button", { name: "Publish" }).click();
  await page.waitForURL(`**/library/${slug}?done=published`);
  assert.match(await page.locator(".summary-list").textContent(), /Version 2/);

  // Withdrawn, readers lose it; republished, they have it back.
  await page.getByRole("button", { name: "Withdraw from the library" }).click();
  await page.waitForURL(`**/library/${slug}?done=withdrawn`);
  assert.equal((await visitor.goto(`/library/${slug}`)).status(), 404);
  await page.getByRole("button", { name: "Republish" }).click();
  await page.waitForURL(`**/library/${slug}?done=republished`);

  // A background job reads the PDF's words; from then on a search finds the document by them.
  const result = visitor.locator(`.search-results__item a[href="/library/${slug}"]`);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    await visitor.goto(`/search?q=${pdfWord}`);
    if (await result.count()) break;
  }
  assert.equal(await result.count(), 1, `a search for ${pdfWord} finds the document by its PDF`);

  await visitor.goto(`/library/${slug}`);
  const download = await visitor.request.get(`/library/${slug}/files/handover-checklist.pdf`);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()["content-type"], "application/pdf");
  assert.match(download.headers()["content-disposition"], /^attachment/);
  assert.ok(await visitor.getByRole("link", { name: "handover-checklist.pdf" }).count());
  await visitor.getByLabel("Compare", { exact: true }).selectOption("1");
  await visitor.getByLabel("with", { exact: true }).selectOption("2");
  await visitor.getByRole("button", { name: "Show changes" }).click();
  await visitor.waitForURL(`**/library/${slug}/compare?from=1&to=2`);
  const added = await visitor.locator(".diff__added").allTextContents();
  assert.ok(added.includes("Added: Name the night shift lead."), added.join(" | "));
  assert.ok(!added.some((line) => line.includes("referral list")), "unchanged lines are not marked");
  assert.equal(await visitor.locator(".diff__removed").count(), 0);
  await expectNoAxeViolations(visitor);
  await visitor.context().close();
});
