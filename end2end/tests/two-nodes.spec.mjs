// Two ohnet nodes on one PostgreSQL database, as an operator runs them behind a load balancer:
// they start at the same moment (migrations and the content import run once), a change made
// through one node is seen through the other at once (pages and search), failed sign-ins spread over both nodes
// count towards one limit, mail queued while both job runners poll is delivered exactly once,
// and a node killed mid-batch loses no mail: its claims run out and another node sends each
// message once. `./x test` (and `./x e2e`) start the PostgreSQL cluster and set
// OHNET_TEST_POSTGRES.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchBrowser } from "../lib/browser.mjs";
import { createDatabase, psql } from "../lib/postgres.mjs";
import { startServer } from "../lib/server.mjs";
import { startSmtp } from "../lib/smtp.mjs";

const PASSWORD = "a long enough password";
const nodes = [];
let smtp;
let browser;


/** Asks for a password reset for each address through `node`, one browser context each. */
async function requestResets(node, emails) {
  for (const email of emails) {
    const page = await pageOn(node);
    await page.goto("/reset-password");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.waitForURL("**/reset-password/sent");
    await page.context().close();
  }
}

before(async () => {
  smtp = await startSmtp();
  const env = { OHNET_DATABASE_URL: createDatabase("two_nodes"), OHNET_SMTP_URL: smtp.url };
  // Both at once, as after an upgrade: neither may fail on the other's migrations or content.
  nodes.push(...(await Promise.all([startServer({ env }), startServer({ env })])));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const node of nodes) await node.stop();
  await smtp?.stop();
});

/** A page on `node`, with its own cookies and no JavaScript. */
async function pageOn(node) {
  // Plain form posts, so every answer's status is the server's own.
  const context = await browser.newContext({ baseURL: node.baseUrl, javaScriptEnabled: false });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

async function signIn(page, email, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith("/sign-in") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Sign in" }).click();
  return (await answer).status();
}

test("both nodes started together on one database, each with the content imported once", async () => {
  for (const node of nodes) {
    const health = await fetch(`${node.baseUrl}/health`);
    assert.equal(health.status, 200);
    const catalogue = await (await fetch(`${node.baseUrl}/learning`)).text();
    assert.equal(catalogue.match(/<li class="card">/g)?.length, 4, "four modules, not eight");
  }
});

test("a topic posted through one node is there at once through the other", async () => {
  nodes[0].cli(["create-admin", "--email", "poster@ohnet.test", "--name", "Pat Poster"], { OHNET_ADMIN_PASSWORD: PASSWORD });
  const onFirst = await pageOn(nodes[0]);
  await signIn(onFirst, "poster@ohnet.test");
  await onFirst.waitForURL("**/account");
  await onFirst.goto("/forums/general/new");
  const title = "Posted through the first node";
  await onFirst.getByLabel("Title").fill(title);
  await onFirst.getByLabel("Your post").fill("Read through the second node.");
  await onFirst.getByRole("button", { name: "Post topic" }).click();
  await onFirst.waitForURL(/\/forums\/general\/\d+\?done=posted/);

  // The account, its session cookie's session and the topic all live in the shared database.
  const onSecond = await pageOn(nodes[1]);
  assert.equal(await signIn(onSecond, "poster@ohnet.test"), 303);
  await onSecond.goto("/forums/general");
  assert.match(await onSecond.locator(".topic-list").textContent(), new RegExp(title));
  // The second node's own search index has followed the change log.
  await onSecond.goto("/search?q=%22second+node%22");
  assert.equal(await onSecond.locator(".search-results h3").allTextContents().then((t) => t.join("|")), title);
  await onFirst.context().close();
  await onSecond.context().close();
});

test("failed sign-ins spread over both nodes count towards one limit", async () => {
  nodes[0].cli(["create-admin", "--email", "target@ohnet.test", "--name", "Terry Target"], { OHNET_ADMIN_PASSWORD: PASSWORD });
  // The limit is 5 failures per account in 15 minutes: 3 through one node, 2 through the other.
  for (const [index, node] of [0, 1, 0, 1, 0].entries()) {
    const page = await pageOn(nodes[node]);
    assert.equal(await signIn(page, "target@ohnet.test", `wrong guess ${index}`), 422);
    await page.context().close();
  }
  for (const node of nodes) {
    const page = await pageOn(node);
    assert.equal(await signIn(page, "target@ohnet.test"), 429, "even the right password waits");
    assert.match(await page.locator(".error-summary").textContent(), /Too many attempts/);
    await page.context().close();
  }
});

test("mail queued while both nodes run is delivered exactly once", async () => {
  const members = Array.from({ length: 12 }, (_, index) => `reader${index}@ohnet.test`);
  for (const email of members) {
    nodes[0].cli(["create-admin", "--email", email, "--name", `Reader ${email}`], { OHNET_ADMIN_PASSWORD: PASSWORD });
  }
  // Reset requests through both nodes, alternately: each queues one message and one job.
  for (const [index, email] of members.entries()) await requestResets(nodes[index % 2], [email]);
  for (const email of members) await smtp.waitFor(email, /Reset your ohnet password/);
  // Stop both nodes (each finishes the job it is running), so no later duplicate can arrive,
  // then count.
  for (const node of nodes.splice(0)) await node.stop();
  for (const email of members) {
    const received = smtp.messages.filter((m) => m.to.includes(email) && /Reset your ohnet password/.test(m.subject));
    assert.equal(received.length, 1, `${email} got ${received.length} messages`);
  }
});

test("a node killed mid-batch loses no mail: its claims run out and another node sends each message once", async () => {
  const mail = await startSmtp({ hold: true });
  const database = createDatabase("crash");
  // A short lease, so the dead node's claims run out within the test.
  const env = { OHNET_DATABASE_URL: database, OHNET_SMTP_URL: mail.url, OHNET_JOB_LEASE_SECONDS: "3" };
  const doomed = await startServer({ env });
  const members = Array.from({ length: 5 }, (_, index) => `crash${index}@ohnet.test`);
  for (const email of members) {
    doomed.cli(["create-admin", "--email", email, "--name", `Casey ${email}`], { OHNET_ADMIN_PASSWORD: PASSWORD });
  }
  await requestResets(doomed, members);
  // The node has claimed mail and is at the mail server's greeting, held there: mid-batch.
  await mail.held();
  const claimed = Number(
    psql(database, "SELECT count(*) FROM jobs WHERE kind = 'deliver_mail' AND locked_by IS NOT NULL AND finished_at IS NULL"),
  );
  assert.ok(claimed >= 1, "the node holds a claim when it dies");
  await doomed.kill();
  mail.release();

  const survivor = await startServer({ env });
  for (const email of members) await mail.waitFor(email, /Reset your ohnet password/, 30_000);
  await survivor.stop();
  for (const email of members) {
    const received = mail.messages.filter((m) => m.to.includes(email) && /Reset your ohnet password/.test(m.subject));
    assert.equal(received.length, 1, `${email} got ${received.length} messages`);
  }
  assert.equal(psql(database, "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL"), "0", "nothing left unsent");
  await mail.stop();
});
