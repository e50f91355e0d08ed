// The CPD portfolio: a nurse gives their NMC revalidation date, logs a workshop (a mistake
// first, shown against its field), uploads evidence (a web page named .pdf refused, a real PDF
// kept and downloadable by them), sees their progress change, filters the log, edits the entry,
// prints their portfolio and downloads it as CSV, and deletes the entry. An administrator cannot open the entry; downloading its evidence is audited.
// Then the rest of their revalidation record: practice hours, feedback, a reflective account (a
// mistake first), the discussion and confirmation, the dashboard's counts, the printed portfolio
// for their confirmer, the CSV of reflections, and an HCPC-style profile.
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, secondPage, useApp } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const NURSE = { email: "nurse@ohnet.test", name: "Nia Nurse" };
const ADMIN = { email: "admin@ohnet.test", name: "Ada Admin" };
const app = useApp({
  setup(started) {
    for (const person of [NURSE, ADMIN]) {
      started.server.cli(["create-admin", "--email", person.email, "--name", person.name], {
        OHNET_ADMIN_PASSWORD: PASSWORD,
      });
    }
  },
});

async function signIn(page, person) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
}

const isoDate = (date) => date.toISOString().slice(0, 10);

inBothModes(app, "a nurse keeps their CPD log with evidence and sees their progress", async (page, mode) => {
  await signIn(page, NURSE);
  const title = `Trauma-informed practice workshop (${mode.name})`;

  // Their regulator and revalidation date, a year from now.
  await page.goto("/cpd");
  assert.equal(await page.locator("h1").textContent(), "Your CPD");
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Your regulator and cycle" }).click();
  await page.waitForURL("**/cpd/cycle");
  await page.getByLabel("Your regulator").selectOption("nmc");
  const revalidation = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  await page.getByLabel("The date your cycle ends").fill(isoDate(revalidation));
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL("**/cpd?done=cycle-saved");
  const progress = page.locator(".cpd-progress");
  assert.match(await progress.textContent(), /NMC revalidation/);
  const before = await progress.locator("table").textContent();

  // A mistake is reported against its field and nothing typed is lost.
  await page.getByRole("link", { name: "Add an entry" }).click();
  await page.waitForURL("**/cpd/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Hours").fill("30");
  await page.getByRole("button", { name: "Add entry" }).click();
  await page.locator(".error-summary").waitFor();
  const problems = await page.locator(".error-summary").textContent();
  assert.match(problems, /Enter the date of the activity/);
  assert.match(problems, /at most 24 hours/);
  assert.equal(await page.getByLabel("Title").inputValue(), title);
  await expectNoAxeViolations(page);

  await page.getByLabel("Date").fill(isoDate(new Date()));
  await page.getByLabel("Kind of activity").selectOption("workshop");
  await page.getByLabel(/^Participatory/).check();
  await page.getByLabel("Hours").fill("2.5");
  await page.getByLabel("What you learned").fill("Grounding techniques for officers after a critical incident.");
  await page.getByLabel("Reflection (optional)").fill("I will **ask first** about sleep.");
  await page.getByRole("button", { name: "Add entry" }).click();
  await page.waitForURL(/\/cpd\/\d+\?done=added/);
  const entryUrl = new URL(page.url()).pathname;
  assert.equal(await page.locator("h1").textContent(), title);
  assert.match(await page.locator(".summary-list").textContent(), /Hours\s*2\.5/);
  assert.equal(await page.locator(".prose strong").textContent(), "ask first");
  await expectNoAxeViolations(page);

  // Evidence: the type comes from the bytes.
  await page.getByLabel("Evidence file").setInputFiles({
    name: "certificate.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html><script>alert(1)</script></html>"),
  });
  await page.getByRole("button", { name: "Upload file" }).click();
  await page.locator(".error-summary").waitFor();
  assert.match(await page.locator(".error-summary").textContent(), /contents are checked/);
  await page.getByLabel("Evidence file").setInputFiles({
    name: "attendance certificate.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
  });
  await page.getByRole("button", { name: "Upload file" }).click();
  await page.waitForURL(`**${entryUrl}?done=attached#evidence`);
  assert.match(await page.locator("#evidence").textContent(), /attendance-certificate\.pdf \(PDF, 1 KB\)/);
  const evidence = `${entryUrl}/evidence/attendance-certificate.pdf`;
  const download = await page.request.get(evidence);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()["content-type"], "application/pdf");
  assert.match(download.headers()["content-disposition"], /^attachment/);

  // Anyone else, even an administrator, finds no entry; an administrator may download the
  // evidence (for a regulator's audit), and the audit log records it by number, not by name.
  const admin = await secondPage(app, mode);
  await signIn(admin, ADMIN);
  assert.equal((await admin.goto(entryUrl)).status(), 404);
  await admin.goto("/cpd");
  assert.doesNotMatch(await admin.locator("main").textContent(), /Trauma-informed/);
  assert.equal((await admin.request.get(evidence)).status(), 200);
  await admin.goto("/admin/audit");
  const audit = await admin.locator("main").textContent();
  assert.match(audit, /cpd\.evidence-download/);
  assert.doesNotMatch(audit, /attendance-certificate/);
  await admin.context().close();

  // The dashboard counts it; the filters find it by type.
  await page.goto("/cpd");
  assert.notEqual(await progress.locator("table").textContent(), before);
  assert.match(await progress.textContent(), /more hours of CPD/);
  await page.getByLabel("Type").selectOption("self-directed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/participation=self-directed/);
  assert.equal(await page.getByRole("link", { name: title }).count(), 0);
  await page.getByLabel("Type").selectOption("participatory");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/participation=participatory/);
  await page.getByRole("link", { name: title }).click();
  await page.waitForURL(`**${entryUrl}`);

  // Edited, then deleted with its evidence.
  await page.getByRole("link", { name: "Change this entry" }).click();
  await page.waitForURL(`**${entryUrl}/edit`);
  await page.getByLabel("Hours").fill("3");
  await page.getByLabel("How it changed your practice (optional)").fill("Sleep questions in every review.");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(`**${entryUrl}?done=saved`);
  assert.match(await page.locator(".summary-list").textContent(), /Hours\s*3/);
  assert.match(await page.locator("main").textContent(), /Sleep questions in every review\./);

  // The portfolio: the cycle's entries laid out to print, and the whole record as CSV.
  await page.goto("/cpd");
  await page.getByRole("link", { name: "Print your portfolio" }).click();
  await page.waitForURL("**/cpd/portfolio");
  const printed = await page.locator("main").textContent();
  assert.ok(printed.includes(title), printed);
  assert.match(printed, /Sleep questions in every review\./);
  assert.match(printed, /Evidence: attendance-certificate\.pdf/);
  await expectNoAxeViolations(page);
  const csv = await page.request.get("/cpd/export/log.csv");
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()["content-type"], /^text\/csv/);
  assert.match(csv.headers()["content-disposition"], /^attachment; filename="cpd-log-/);
  const rows = await csv.text();
  assert.ok(rows.startsWith("date,title,kind,participation,hours,learning,"), rows);
  assert.ok(rows.includes(`${title},Workshop,Participatory,3,`), rows);
  await page.goto(entryUrl);

  await page.getByRole("link", { name: "Delete this entry" }).click();
  await page.waitForURL(`**${entryUrl}/delete`);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Delete entry" }).click();
  await page.waitForURL("**/cpd?done=deleted");
  assert.equal((await page.goto(entryUrl)).status(), 404);
  assert.equal((await page.request.get(evidence)).status(), 404);
});

inBothModes(app, "a nurse keeps their whole revalidation record and prints it for their confirmer", async (page, mode) => {
  await signIn(page, NURSE);
  const today = isoDate(new Date());
  const experience = `A case conference on a phased return (${mode.name})`;
  await page.goto("/cpd/cycle");
  await page.getByLabel("Your regulator").selectOption("nmc");
  await page.getByLabel("The date your cycle ends").fill(isoDate(new Date(Date.now() + 200 * 24 * 3600 * 1000)));
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL("**/cpd?done=cycle-saved");
  await page.getByRole("link", { name: "Revalidation record" }).click();
  await page.waitForURL("**/cpd/revalidation");
  assert.equal(await page.locator("h1").textContent(), "Your revalidation record");
  assert.match(await page.locator("main").textContent(), /more written reflective accounts/);
  await expectNoAxeViolations(page);

  // Practice hours: a period that ends before it starts is refused against its field.
  await page.getByRole("link", { name: "Add practice hours" }).click();
  await page.waitForURL("**/cpd/practice/new");
  await page.getByLabel("First day").fill(today);
  await page.getByLabel("Last day").fill("2020-01-01");
  await page.getByLabel("Organisation").fill(`Northshire Police OH (${mode.name})`);
  await page.getByLabel("Setting").selectOption("occupational-health");
  await page.getByLabel("Scope of practice").selectOption("direct-care");
  await page.getByLabel("Hours worked").fill("262.5");
  await page.getByRole("button", { name: "Add practice hours" }).click();
  await page.locator(".error-summary").waitFor();
  assert.match(await page.locator(".error-summary").textContent(), /on or after the first day/);
  assert.equal(await page.getByLabel("Hours worked").inputValue(), "262.5");
  await expectNoAxeViolations(page);
  await page.getByLabel("Last day").fill(today);
  await page.getByRole("button", { name: "Add practice hours" }).click();
  await page.waitForURL("**/cpd/revalidation?done=practice-added#practice-heading");
  assert.match(await page.locator("#practice-heading + p + table").textContent(), new RegExp(`Northshire Police OH \\(${mode.name}\\)`));

  // Feedback, by the kind of person it came from.
  await page.getByRole("link", { name: "Add feedback" }).click();
  await page.waitForURL("**/cpd/feedback/new");
  await page.getByLabel("Date received").fill(today);
  await page.getByLabel("Who it came from").selectOption("manager");
  await page.getByLabel("What the feedback said").fill(`Clear advice on adjustments (${mode.name}).`);
  await page.getByRole("button", { name: "Add feedback" }).click();
  await page.waitForURL("**/cpd/revalidation?done=feedback-added#feedback-heading");

  // A reflective account must relate to a theme of the Code.
  await page.getByRole("link", { name: "Add a reflective account" }).click();
  await page.waitForURL("**/cpd/reflections/new");
  await page.getByLabel("Date written").fill(today);
  await page.getByLabel("What was the activity, feedback or experience?").fill(experience);
  await page.getByLabel("What did you learn from it?").fill("Ask the officer what a good day looks like.");
  await page.getByLabel("How did you change or improve your practice as a result?").fill("Plans are drafted with the officer.");
  await page.getByRole("button", { name: "Add reflective account" }).click();
  await page.locator(".error-summary").waitFor();
  assert.match(await page.locator(".error-summary").textContent(), /Choose at least one theme of the Code/);
  assert.equal(await page.getByLabel("What was the activity, feedback or experience?").inputValue(), experience);
  await expectNoAxeViolations(page);
  await page.getByLabel("Prioritise people").check();
  await page.getByLabel("Preserve safety").check();
  await page.getByRole("button", { name: "Add reflective account" }).click();
  await page.waitForURL("**/cpd/revalidation?done=reflection-added#reflections-heading");
  const reflections = await page.locator("main").textContent();
  assert.ok(reflections.includes(experience), reflections);
  assert.match(reflections, /Code themes: Prioritise people, Preserve safety/);

  // Changed afterwards, from the record's own link.
  await page.getByRole("link", { name: /^Change reflective account/ }).last().click();
  await page.waitForURL(/\/cpd\/reflections\/\d+\/edit/);
  assert.ok(await page.getByLabel("Preserve safety").isChecked());
  await page.getByLabel("What did you learn from it?").fill("Ask what a good day at work looks like.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL("**/cpd/revalidation?done=saved#reflections-heading");
  assert.match(await page.locator("main").textContent(), /Ask what a good day at work looks like\./);

  // The discussion and confirmation.
  await page.getByRole("link", { name: "Record your discussion and confirmation" }).click();
  await page.waitForURL("**/cpd/revalidation/discussion");
  await page.getByLabel("Their name", { exact: true }).fill("Rhian Registrant");
  await page.getByLabel("Their NMC PIN").fill("12a3456e");
  await page.getByLabel("Date of the discussion").fill(today);
  await page.getByLabel("Your confirmer's name").fill("Morgan Manager");
  await page.getByLabel("Their role", { exact: true }).fill("Head of occupational health");
  await page.getByLabel("Date of the confirmation").fill(today);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL("**/cpd/revalidation?done=discussion-saved#discussion-heading");
  const record = await page.locator("main").textContent();
  assert.match(record, /Rhian Registrant \(NMC PIN 12A3456E\)/);
  assert.doesNotMatch(record, /reflective discussion with another registrant, in this cycle/);
  await expectNoAxeViolations(page);

  // The dashboard counts them.
  await page.goto("/cpd");
  const figures = await page.locator(".cpd-progress table").textContent();
  assert.match(figures, /Reflective accounts\s*[1-9]\d* accounts\s*5 accounts/);
  assert.match(figures, /Practice hours\s*[\d.]+ hours\s*450 hours/);

  // Printed for the confirmer, and the accounts as CSV.
  await page.goto("/cpd/portfolio");
  const printed = await page.locator("main").textContent();
  assert.ok(printed.includes(experience), printed);
  assert.match(printed, /Written reflective accounts/);
  assert.match(printed, /How I changed or improved my practice/);
  assert.match(printed, /Morgan Manager, Head of occupational health/);
  await expectNoAxeViolations(page);
  const csv = await page.request.get("/cpd/export/reflections.csv");
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()["content-disposition"], /^attachment; filename="cpd-reflections-/);
  const rows = await csv.text();
  assert.ok(rows.startsWith("written_on,experience,learning,practice_change,code_themes"), rows);
  assert.ok(rows.includes(`${today},${experience},Ask what a good day at work looks like.`), rows);

  // Feedback deleted after asking.
  await page.goto("/cpd/revalidation");
  await page.getByRole("link", { name: /^Delete feedback/ }).last().click();
  await page.waitForURL(/\/cpd\/feedback\/\d+\/delete/);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Delete" }).click();
  await page.waitForURL("**/cpd/revalidation?done=deleted#feedback-heading");
  assert.ok(!(await page.locator("main").textContent()).includes(`Clear advice on adjustments (${mode.name}).`));

  // An HCPC-style profile: the statements, then the page to print.
  await page.goto("/cpd/profile");
  await page.getByRole("link", { name: "Write your statements" }).click();
  await page.waitForURL("**/cpd/profile/edit");
  await page.getByLabel("Summary of your recent practice").fill(`OH nurse adviser to a county force (${mode.name}).`);
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL("**/cpd/profile?done=saved");
  assert.match(await page.locator("main").textContent(), new RegExp(`OH nurse adviser to a county force \\(${mode.name}\\)`));
  await expectNoAxeViolations(page);
});
