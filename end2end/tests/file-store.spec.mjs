// Files in an S3-compatible object store (moto, a real S3 server on loopback, started from the
// Python that ./x installs), as an operator runs several nodes: two nodes on one PostgreSQL
// database and one bucket. Evidence uploaded through one node (JavaScript on and off) downloads
// intact through the other; the row keeps only the object's key; `ohnet move-files
// --into-database` and `ohnet move-files` move every file out of the bucket and back while both
// nodes serve, and the files still download.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";

import { launchBrowser } from "../lib/browser.mjs";
import { createDatabase, psql } from "../lib/postgres.mjs";
import { startServer } from "../lib/server.mjs";

const PASSWORD = "a long enough password";
const BUCKET = "ohnet-e2e";
const nodes = [];
let s3;
let browser;
let database;

/** Starts moto's S3 server with one bucket; it stops when its standard input closes. */
async function startS3() {
  const python = process.env.OHNET_TEST_PYTHON;
  assert.ok(python, "OHNET_TEST_PYTHON must name the Python with moto (./x test and ./x e2e install it)");
  const script = resolve(import.meta.dirname, "..", "..", "tools", "s3-test-server.py");
  const child = spawn(python, [script, BUCKET], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise((resolvePort, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolvePort(Number(line)));
    child.on("exit", (code) => reject(new Error(`the S3 test server exited (${code})`)));
  });
  return {
    env: {
      OHNET_FILE_STORE: `s3://${BUCKET}/site`,
      AWS_ENDPOINT: `http://127.0.0.1:${port}`,
      AWS_ALLOW_HTTP: "true",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "eu-west-2",
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}

before(async () => {
  s3 = await startS3();
  database = createDatabase("file_store");
  const env = { OHNET_DATABASE_URL: database, ...s3.env };
  nodes.push(...(await Promise.all([startServer({ env }), startServer({ env })])));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const node of nodes) await node.stop();
  s3?.stop();
});

/** Signs `email` in on the first node and adds a CPD entry; answers the page and the entry's path. */
async function entryOnFirstNode(email, javaScriptEnabled) {
  nodes[0].cli(["create-admin", "--email", email, "--name", "Fran Files"], { OHNET_ADMIN_PASSWORD: PASSWORD });
  const context = await browser.newContext({ baseURL: nodes[0].baseUrl, javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  await page.goto("/cpd/new");
  await page.getByLabel("Title").fill("Case conference");
  await page.getByLabel("Date").fill(new Date().toISOString().slice(0, 10));
  await page.getByLabel("Kind of activity").selectOption("workshop");
  await page.getByLabel(/^Participatory/).check();
  await page.getByLabel("Hours").fill("1");
  await page.getByLabel("What you learned").fill("How to share a fitness report safely.");
  await page.getByRole("button", { name: "Add entry" }).click();
  await page.waitForURL(/\/cpd\/\d+\?done=added/);
  return { page, entryUrl: new URL(page.url()).pathname };
}

/** The evidence file at `path` as downloaded through `node` with `page`'s cookies. */
async function download(page, node, path) {
  // Both nodes are on 127.0.0.1, so the session cookie set by one is sent to the other.
  const answer = await page.request.get(`${node.baseUrl}${path}`);
  assert.equal(answer.status(), 200, `${path} through ${node.baseUrl}`);
  return answer.body();
}

test("evidence uploaded through one node is kept in the bucket and downloads through the other", async () => {
  const uploads = [];
  for (const javaScriptEnabled of [true, false]) {
    const { page, entryUrl } = await entryOnFirstNode(`files-${javaScriptEnabled ? "js" : "nojs"}@ohnet.test`, javaScriptEnabled);
    const bytes = Buffer.from(`%PDF-1.7\n% uploaded with JavaScript ${javaScriptEnabled ? "on" : "off"}\n1 0 obj\n<<>>\nendobj\n`);
    await page.getByLabel("Evidence file").setInputFiles({ name: "certificate.pdf", mimeType: "application/pdf", buffer: bytes });
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.waitForURL(`**${entryUrl}?done=attached#evidence`);
    const path = `${entryUrl}/evidence/certificate.pdf`;
    assert.deepEqual(await download(page, nodes[1], path), bytes);
    uploads.push({ page, path, bytes });
  }
  assert.equal(psql(database, "SELECT count(*) FROM cpd_evidence WHERE object_key LIKE 'files/%' AND length(bytes) = 0"), "2");

  // Out of the bucket into the database while both nodes serve, then back again.
  assert.match(nodes[0].cli(["move-files", "--into-database"]), /^2 files \(\d+ bytes\) moved out of s3:\/\/ohnet-e2e\/site/);
  assert.equal(psql(database, "SELECT count(*) FROM cpd_evidence WHERE object_key IS NULL AND length(bytes) > 0"), "2");
  for (const { page, path, bytes } of uploads) assert.deepEqual(await download(page, nodes[1], path), bytes);
  assert.match(nodes[1].cli(["move-files"]), /^2 files \(\d+ bytes\) moved into s3:\/\/ohnet-e2e\/site/);
  assert.match(nodes[1].cli(["move-files"]), /^0 files/, "a second run has nothing to move");
  for (const { page, path, bytes } of uploads) {
    assert.deepEqual(await download(page, nodes[0], path), bytes);
    await page.context().close();
  }
});
