// eLearning: the catalogue and overviews for everyone; lessons, progress and resume, the
// knowledge check with feedback, certificates and the CPD entry for members; editing a lesson
// (preview, validation, a new revision) and exporting it back to Markdown.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "smol-toml";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, secondPage, useApp } from "../lib/browser.mjs";

const MODULE = "assessing-fitness-for-duty";
const moduleDir = resolve(import.meta.dirname, "..", "..", "content", "modules", MODULE);
const manifest = parse(readFileSync(join(moduleDir, "module.toml"), "utf8"));
const PASSWORD = "a long enough password";
/** The CPD time the module records, as the site writes it ("2 hours", "1.75 hours"). */
const CPD = `${manifest.cpd_hours} ${manifest.cpd_hours === 1 ? "hour" : "hours"}`.replace(".", "\\.");
const LEARNERS = {
  true: { email: "learner.on@ohnet.test", name: "Lee Learner on" },
  false: { email: "learner.off@ohnet.test", name: "Lee Learner off" },
};
const EDITOR = { email: "editor@ohnet.test", name: "Eddie Editor" };
const app = useApp({
  setup(started) {
    for (const person of [...Object.values(LEARNERS), EDITOR]) {
      started.server.cli(["create-admin", "--email", person.email, "--name", person.name], {
        OHNET_ADMIN_PASSWORD: PASSWORD,
      });
    }
  },
});

async function signIn(page, email) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
}

/** Ticks the options of every question: the correct ones, or a wrong one from `from` onwards. */
async function answer(page, { wrongFrom = Infinity } = {}) {
  for (const [index, question] of manifest.questions.entries()) {
    const group = page.getByRole("group", { name: new RegExp(`^Question ${index + 1}: `) });
    const correct = question.options.map((option, at) => (option.correct ? at : -1)).filter((at) => at >= 0);
    const chosen = index >= wrongFrom ? [question.options.findIndex((option) => !option.correct)] : correct;
    for (const at of chosen) await group.locator(`input[value="${at}"]`).check();
  }
}

inBothModes(app, "visitors browse the catalogue and overviews but lessons need membership", async (page) => {
  await page.goto("/learning");
  assert.equal(await page.locator("h1").textContent(), "Learning");
  assert.equal(await page.locator("li.card").count(), 4);
  assert.match(await page.locator("main").textContent(), /Assessing fitness for duty/);
  await expectNoAxeViolations(page);
  await page.getByLabel("Topic").selectOption("night-work");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL("**/learning?profession=&topic=night-work");
  const filtered = await page.locator("li.card").count();
  assert.ok(filtered >= 1 && filtered < 4, `night-work narrows the list (got ${filtered})`);

  await page.getByRole("link", { name: manifest.title }).click();
  await page.waitForURL(`**/learning/${MODULE}`);
  assert.equal(await page.locator("h1").textContent(), manifest.title);
  const main = await page.locator("main").textContent();
  assert.match(main, /What you will learn/);
  assert.match(main, new RegExp(CPD));
  assert.equal(await page.getByRole("link", { name: "Start the module" }).count(), 0);
  assert.equal(await page.getByRole("link", { name: /^Edit/ }).count(), 0);
  await expectNoAxeViolations(page);
  await page.goto(`/learning/${MODULE}/fitness-for-duty-in-policing`);
  await page.waitForURL(/\/sign-in\?next=/);
});

inBothModes(app, "a member reads lessons, resumes, passes the knowledge check and gets a certificate and CPD", async (page, mode) => {
  const learner = LEARNERS[mode.javaScriptEnabled];
  await signIn(page, learner.email);
  await page.goto(`/learning/${MODULE}`);
  await page.getByRole("link", { name: "Start the module" }).click();
  await page.waitForURL(`**/learning/${MODULE}/fitness-for-duty-in-policing`);
  assert.match(await page.locator(".caption").textContent(), new RegExp(`lesson 1 of ${manifest.lessons.length}`));
  assert.equal(await page.getByRole("navigation", { name: "On this page" }).count(), 1, "the lesson's contents list");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Mark as complete and continue" }).click();
  await page.waitForURL(`**/learning/${MODULE}/recruitment-and-medical-standards`);
  assert.match(await page.locator(".caption").textContent(), new RegExp(`lesson 2 of ${manifest.lessons.length}`));
  assert.equal(await page.locator("a[rel=prev]").getAttribute("href"), `/learning/${MODULE}/fitness-for-duty-in-policing`);

  // The overview shows progress and resumes at the first unfinished lesson.
  await page.goto(`/learning/${MODULE}`);
  assert.match(await page.locator("ol.lesson-list li").first().textContent(), /Completed/);
  assert.equal(
    await page.getByRole("link", { name: "Resume where you left off" }).getAttribute("href"),
    `/learning/${MODULE}/recruitment-and-medical-standards`,
  );
  await page.goto("/learning");
  assert.match(await page.locator("li.card", { hasText: manifest.title }).textContent(), /In progress/);

  // The knowledge check: unanswered questions are each reported.
  await page.goto(`/learning/${MODULE}/check`);
  await expectNoAxeViolations(page);
  const empty = page.waitForResponse((r) => r.url().endsWith("/check") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Submit answers" }).click();
  assert.equal((await empty).status(), 422);
  const summary = page.locator(".error-summary");
  assert.match(await summary.textContent(), /Choose an answer to question 1/);
  assert.equal(
    await summary.getByRole("link", { name: "Choose an answer to question 1", exact: true }).getAttribute("href"),
    `#field-answer-${manifest.questions[0].id}`,
  );
  await expectNoAxeViolations(page);

  // Mostly wrong: not passed, with feedback.
  await answer(page, { wrongFrom: 1 });
  await page.getByRole("button", { name: "Submit answers" }).click();
  await page.waitForURL(new RegExp(`/learning/${MODULE}/check/\\d+$`));
  assert.equal(await page.locator("h1").textContent(), "You did not pass this time");
  assert.match(await page.locator("main").textContent(), /Your answer, incorrect/);
  await expectNoAxeViolations(page);

  // All correct: passed, certificate, CPD entry.
  await page.getByRole("link", { name: "Try the knowledge check again" }).click();
  await answer(page);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await page.waitForURL(new RegExp(`/learning/${MODULE}/check/\\d+$`));
  assert.equal(await page.locator("h1").textContent(), "You passed");
  assert.match(await page.locator("main").textContent(), /You scored 100%/);
  await page.getByRole("link", { name: "View your certificate" }).click();
  await page.waitForURL(/\/certificates\/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const certificate = await page.locator("main").textContent();
  assert.match(certificate, new RegExp(learner.name));
  assert.match(certificate, new RegExp(manifest.title));
  assert.match(certificate, new RegExp(`${CPD} \\(self-directed, individual learning\\)`));
  await expectNoAxeViolations(page);

  // Anyone with the code can check it.
  const certificateUrl = page.url();
  const anonymous = await app.browser.newContext();
  const check = await (await anonymous.newPage()).goto(certificateUrl);
  assert.equal(check.status(), 200);
  await anonymous.close();

  await page.goto("/cpd");
  const record = await page.getByRole("table", { name: "Your CPD entries" }).textContent();
  assert.match(record, new RegExp(`eLearning: ${manifest.title}\\s*Recorded automatically`));
  const hours = String(manifest.cpd_hours).replace(".", "\\.");
  assert.match(record, new RegExp(`eLearning\\s*Self-directed\\s*${hours}$`));
  await expectNoAxeViolations(page);
  await page.goto("/learning");
  assert.match(await page.locator("li.card", { hasText: manifest.title }).textContent(), /Completed/);
});

inBothModes(
  app,
  "an editor previews and saves a lesson, bad links are refused, and the edit exports to Markdown",
  async (page, mode) => {
    await signIn(page, EDITOR.email);
    const lesson = mode.javaScriptEnabled ? "night-work-health-assessments" : "writing-management-referral-reports";
    await page.goto(`/learning/${MODULE}`);
    await page.locator(`a[href="/learning/${MODULE}/${lesson}/edit"]`).click();
    await page.waitForURL(`**/learning/${MODULE}/${lesson}/edit`);
    await expectNoAxeViolations(page);
    const body = page.getByLabel("Lesson text (Markdown)");
    const original = await body.inputValue();
    const marker = `Edited in the app ${mode.name}`;

    await body.fill(`${original}\n\n## ${marker}\n\nA new paragraph.\n`);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("heading", { name: "Preview" }).waitFor();
    assert.match(await page.locator(".preview").textContent(), new RegExp(marker));
    assert.match(await body.inputValue(), new RegExp(marker), "the draft is kept");

    // A link to a lesson that does not exist: refused with the file and line.
    await body.fill(`${original}\n\nSee [the missing lesson](99-missing.md).\n`);
    const refused = page.waitForResponse((r) => r.url().endsWith("/edit") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Save and publish" }).click();
    assert.equal((await refused).status(), 422);
    assert.match(
      await page.locator(".error-summary").textContent(),
      new RegExp(`modules/${MODULE}/\\d\\d-${lesson}\\.md:\\d+: link to \`99-missing\\.md\` does not match a lesson`),
    );
    await expectNoAxeViolations(page);

    await body.fill(`${original}\n\n## ${marker}\n\nA new paragraph.\n`);
    await page.getByRole("button", { name: "Save and publish" }).click();
    await page.waitForURL(`**/learning/${MODULE}/${lesson}?done=saved`);
    assert.match(await page.locator(".prose").textContent(), new RegExp(marker));
    await page.goto(`/learning/${MODULE}`);
    assert.match(await page.locator("main").textContent(), /Revision [2-9]/);

    const out = mkdtempSync(join(app.server.dataDir, "export-")); // removed with the data dir
    assert.match(app.server.cli(["export-content", "--to", out]), /4 modules written/);
    const files = readFileSync(join(out, "modules", MODULE, "module.toml"), "utf8");
    assert.equal(parse(files).title, manifest.title);
    const lessonFile = parse(files).lessons.find((name) => name.endsWith(`-${lesson}.md`));
    assert.match(readFileSync(join(out, "modules", MODULE, lessonFile), "utf8"), new RegExp(marker));
  },
);

inBothModes(app, "an editor creates a module, fixes what validation reports, and adds a lesson", async (page, mode) => {
  await signIn(page, EDITOR.email);
  const slug = `night-shift-basics-${mode.javaScriptEnabled ? "on" : "off"}`;
  await page.goto("/learning");
  await page.getByRole("link", { name: "Create a module" }).click();
  await page.waitForURL("**/learning/new");
  await expectNoAxeViolations(page);
  await page.getByLabel("Web address name").fill(slug);
  const template = await page.getByLabel("module.toml").inputValue();
  // A mistake in the manifest: reported with its file and line; what was typed is kept.
  await page.getByLabel("module.toml").fill(template.replace("pass_mark = 70", "pass_mark = 170"));
  const refused = page.waitForResponse((r) => r.url().endsWith("/learning/new") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Create and publish" }).click();
  assert.equal((await refused).status(), 422);
  assert.match(
    await page.locator(".error-summary").textContent(),
    new RegExp(`modules/${slug}/module\\.toml:7: \`pass_mark\` must be a percentage from 1 to 100`),
  );
  assert.match(await page.getByLabel("module.toml").inputValue(), /pass_mark = 170/);
  await expectNoAxeViolations(page);

  const title = `Night shift basics ${mode.name}`;
  await page.getByLabel("module.toml").fill(template.replace('title = "Module title"', `title = "${title}"`));
  await page.getByRole("button", { name: "Create and publish" }).click();
  await page.waitForURL(`**/learning/${slug}?done=created`);
  assert.equal(await page.locator("h1").textContent(), title);
  assert.match(await page.locator("ol.lesson-list").textContent(), /Introduction/);

  // Add a second lesson from the module's edit page.
  await page.getByRole("link", { name: "Edit module settings and knowledge check" }).click();
  await page.waitForURL(`**/learning/${slug}/edit`);
  await page.getByLabel("File name").fill("02-rest-breaks.md");
  await page
    .getByLabel("Lesson (front matter and Markdown)")
    .fill('+++\ntitle = "Rest breaks"\nsummary = "Breaks on long shifts."\nminutes = 8\n+++\n\n## Why breaks matter\n\nBack to [the introduction](01-introduction.md).\n');
  await page.getByRole("button", { name: "Add lesson" }).click();
  await page.waitForURL(`**/learning/${slug}?done=saved`);
  assert.match(await page.locator("ol.lesson-list").textContent(), /Rest breaks/);
  await page.getByRole("link", { name: "Rest breaks", exact: true }).click();
  await page.waitForURL(`**/learning/${slug}/rest-breaks`);
  assert.equal(
    await page.getByRole("link", { name: "the introduction" }).getAttribute("href"),
    `/learning/${slug}/introduction`,
  );
});

inBothModes(app, "an editor records a clinical review and the module page shows it to everyone", async (page, mode) => {
  // Each mode reviews its own module, so neither run sees the other's review.
  const slug = mode.javaScriptEnabled ? "health-and-safety-risks-in-policing" : "profession-of-policing-regulations-legal";
  const reviewer = `Dr Example Reviewer ${mode.name}, consultant occupational physician`;
  await signIn(page, EDITOR.email);
  await page.goto(`/learning/${slug}`);
  const governance = page.locator("section", { has: page.getByRole("heading", { name: "Authors and clinical review" }) });
  const before = await governance.textContent();
  assert.match(before, /Written by\s*ohnet editorial team/);
  assert.match(before, /Awaiting clinical review/);
  assert.match(before, /No clinical review of this module has been recorded yet/);

  await governance.getByRole("link", { name: "Record a clinical review" }).click();
  await page.waitForURL(`**/learning/${slug}/review`);
  assert.equal(await page.locator("h1").textContent(), "Record a clinical review");
  await expectNoAxeViolations(page);

  // Nobody named, and a next review before the review: both refused, field by field.
  await page.getByLabel("Next review due").fill("2020-01-01");
  const refused = page.waitForResponse((r) => r.url().endsWith(`/${slug}/review`) && r.request().method() === "POST");
  await page.getByRole("button", { name: "Record review" }).click();
  assert.equal((await refused).status(), 422);
  const summary = await page.locator(".error-summary").textContent();
  assert.match(summary, /Enter who did the review/);
  assert.match(summary, /The next review must be due after this review/);
  await expectNoAxeViolations(page);

  await page.getByLabel("Clinical reviewers").fill(reviewer);
  await page.getByLabel("Next review due").fill("2099-06-30");
  await page.getByLabel("Note (optional)").fill("Checked every lesson and the knowledge check.");
  await page.getByRole("button", { name: "Record review" }).click();
  await page.waitForURL(`**/learning/${slug}?done=reviewed`);
  assert.match(await page.locator(".notification-banner").first().textContent(), /Clinical review recorded/);
  const after = await governance.textContent();
  assert.match(after, /Clinically reviewed/);
  assert.ok(after.includes(reviewer), after);
  assert.match(after, /Next review due\s*30 June 2099/);
  assert.match(after, /Checked every lesson and the knowledge check\./);
  assert.doesNotMatch(after, /No clinical review/);
  await expectNoAxeViolations(page);

  // A visitor who is not signed in sees the review as recorded, and no way to record one.
  const visitor = await secondPage(app, mode);
  await visitor.goto(`/learning/${slug}`);
  const seen = await visitor.locator("main").textContent();
  assert.ok(seen.includes(reviewer), seen);
  assert.match(seen, /Clinically reviewed/);
  assert.equal(await visitor.getByRole("link", { name: "Record a clinical review" }).count(), 0);
  await visitor.goto("/learning");
  const card = visitor.locator("li.card", { has: visitor.locator(`a[href="/learning/${slug}"]`) });
  assert.match(await card.textContent(), /Clinical review\s*Clinically reviewed/);
  await visitor.context().close();

  // `export-content` writes the review into the module's module.toml.
  const out = mkdtempSync(join(app.server.dataDir, "export-")); // removed with the data dir
  app.server.cli(["export-content", "--to", out]);
  const exported = parse(readFileSync(join(out, "modules", slug, "module.toml"), "utf8"));
  assert.equal(exported.governance.status, "reviewed");
  assert.deepEqual(exported.governance.reviews.at(-1).reviewers, [reviewer]);
});
