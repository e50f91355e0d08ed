// Forums: the seeded forums; starting a topic with a preview; replying with a quote that
// links back; editing (marked "Edited") and removing one's own post (a placeholder stays);
// a field error that keeps what was typed; the private CMO forum, visible only once an
// administrator grants the group; hostile Markdown that never runs in the browser; and a
// moderator merging and splitting topics and approving a new member's held post.
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, secondPage, useApp } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const PEOPLE = {
  true: { email: "poster.on@ohnet.test", name: "Pat Poster on" },
  false: { email: "poster.off@ohnet.test", name: "Pat Poster off" },
};
const NEWCOMERS = {
  true: { email: "newcomer.on@ohnet.test", name: "Nia Newcomer on" },
  false: { email: "newcomer.off@ohnet.test", name: "Nia Newcomer off" },
};
const CMO = { email: "cora@ohnet.test", name: "Cora Chief" };
const ADMIN = { email: "ada@ohnet.test", name: "Ada Admin" };
const app = useApp({
  setup(started) {
    for (const person of [...Object.values(PEOPLE), ...Object.values(NEWCOMERS), CMO, ADMIN]) {
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

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in?done=signed-out");
}

inBothModes(app, "a member starts a topic, replies with a quote, edits and removes a post", async (page, mode) => {
  const person = PEOPLE[mode.javaScriptEnabled];
  await signIn(page, person.email);
  await page.goto("/forums");
  const list = await page.locator("main").textContent();
  for (const name of ["General network", "OH managers", "OH technicians", "Physiotherapists", "Mental health nurses"]) {
    assert.match(list, new RegExp(name), `${name} is listed`);
  }
  assert.doesNotMatch(list, /CMO forum/, "the private forum is not listed for a non-member");
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "General network" }).click();
  await page.waitForURL("**/forums/general");
  assert.match(await page.locator(".topic-list").textContent(), /Pinned/, "the welcome topic is pinned");
  await expectNoAxeViolations(page);

  // Start a topic: a missing title is reported and what was typed stays; a preview renders.
  await page.getByRole("link", { name: "Start a topic" }).click();
  await page.waitForURL("**/forums/general/new");
  await page.getByLabel("Your post").fill(`Does anyone **screen** night workers annually? (${mode.name})`);
  const refused = page.waitForResponse((r) => r.url().endsWith("/forums/general/new") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Post topic" }).click();
  assert.equal((await refused).status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /Enter a title/);
  assert.match(await page.getByLabel("Your post").inputValue(), /night workers/, "the post is kept");
  const title = `Night worker health assessments ${mode.name}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Tags (optional)").fill("night work, health surveillance");
  await page.getByRole("button", { name: "Preview" }).click();
  assert.equal(await page.locator(".preview strong").textContent(), "screen");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Post topic" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?done=posted/);
  assert.equal(await page.locator("h1").textContent(), title);
  assert.match(await page.locator("main").textContent(), /night-work/);
  await expectNoAxeViolations(page);

  // Reply quoting the first post: the quote links back to it.
  await page.getByRole("link", { name: /^Quote/ }).first().click();
  assert.match(await page.getByLabel("Your reply").inputValue(), /^\[Pat Poster .* wrote\]\(\/forums\/posts\/\d+\):/);
  const empty = page.getByLabel("Your reply");
  await empty.fill(`${await empty.inputValue()}We do, with a questionnaire first.`);
  await page.getByRole("button", { name: "Post reply" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?page=1&done=posted#post-2$/);
  const reply = page.locator("article#post-2");
  assert.match(await reply.locator("blockquote").textContent(), /screen/);
  const back = reply.getByRole("link", { name: /wrote/ });
  assert.match(await back.getAttribute("href"), /^\/forums\/posts\/\d+$/);
  await expectNoAxeViolations(page);

  // An empty reply is refused with a field error.
  await page.getByLabel("Your reply").fill("   ");
  const blank = page.waitForResponse((r) => r.url().includes("/reply") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Post reply" }).click();
  assert.equal((await blank).status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /Enter your post/);

  // Edit the reply (it is marked edited), then remove it (a placeholder stays).
  await page.locator("article#post-2").getByRole("link", { name: /Edit or remove/ }).click();
  await page.waitForURL(/\/forums\/posts\/\d+\/edit/);
  await expectNoAxeViolations(page);
  await page.getByLabel("Your post").fill("We do, with a short questionnaire first and a review when needed.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(/done=edited#post-2$/);
  assert.match(await page.locator("article#post-2").textContent(), /short questionnaire/);
  assert.match(await page.locator("article#post-2 .post__meta").textContent(), /Edited/);
  await page.locator("article#post-2").getByRole("link", { name: /Edit or remove/ }).click();
  const unconfirmed = page.waitForResponse((r) => r.url().endsWith("/delete") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Remove post" }).click();
  assert.equal((await unconfirmed).status(), 422);
  await page.getByLabel("Yes, remove my post").check();
  await page.getByRole("button", { name: "Remove post" }).click();
  await page.waitForURL(/done=removed#post-2$/);
  assert.match(await page.locator("article#post-2").textContent(), /removed by its author/);
  assert.doesNotMatch(await page.locator("article#post-2").textContent(), /questionnaire/);
  await expectNoAxeViolations(page);

  // The private forum answers as if it did not exist.
  const hidden = await page.goto("/forums/cmo");
  assert.equal(hidden.status(), 404);
});

inBothModes(app, "the CMO forum opens to a member only once the group is granted", async (page, mode) => {
  await signIn(page, ADMIN.email);
  await page.goto(`/admin/members?status=all&q=${encodeURIComponent(CMO.email)}`);
  const card = page.locator("div.member-card", { has: page.getByRole("heading", { name: CMO.name }) });
  const groups = card.getByRole("group", { name: `Groups for ${CMO.name}` });
  const wanted = mode.javaScriptEnabled;
  const box = groups.getByLabel("Chief Medical Officer's group", { exact: false });
  if (wanted) await box.check();
  else await box.uncheck();
  await card.getByRole("button", { name: "Save groups" }).click();
  await page.waitForURL(/done=groups-changed/);
  // Cora is an ordinary member from here on (the accounts were made by create-admin).
  await card.getByLabel(`Role for ${CMO.name}`).selectOption("member");
  await card.getByRole("button", { name: "Change role" }).click();
  await page.waitForURL(/done=role-changed/);
  await signOut(page);

  await signIn(page, CMO.email);
  await page.goto("/forums");
  const listed = /CMO forum/.test(await page.locator("main").textContent());
  assert.equal(listed, wanted, "the CMO forum is listed exactly when the group is held");
  const response = await page.goto("/forums/cmo");
  assert.equal(response.status(), wanted ? 200 : 404);
  if (wanted) {
    assert.match(await page.locator(".topic-list").textContent(), /Pinned/);
    await expectNoAxeViolations(page);
  }
});

inBothModes(app, "hostile Markdown is rendered inert", async (page, mode) => {
  const person = PEOPLE[mode.javaScriptEnabled];
  await signIn(page, person.email);
  let dialogs = 0;
  page.on("dialog", async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  const hostile = [
    "<script>window.__xss = 1; alert(1)</script>",
    '<img src="/favicon.svg" alt="icon" onerror="window.__xss = 2; alert(2)">',
    "[click me](javascript:window.__xss=3)",
    '<a href="javascript:alert(4)">raw link</a>',
    '<svg onload="alert(5)"><circle r="1"/></svg>',
    '<iframe src="javascript:alert(6)"></iframe>',
    '<div style="background:url(javascript:alert(7))" onclick="alert(8)">styled</div>',
    "![image](javascript:alert(9))",
    '<form action="https://evil.example"><button formaction="javascript:alert(10)">go</button></form>',
    "<details open ontoggle=alert(11)><summary>x</summary></details>",
  ].join("\n\n");
  await page.goto("/forums/general/new");
  await page.getByLabel("Title").fill(`Hostile markdown check ${mode.name}`);
  await page.getByLabel("Your post").fill(hostile);
  await page.getByRole("button", { name: "Post topic" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?done=posted/);
  const post = page.locator("article#post-1 .prose");
  const found = await post.evaluate((root) => {
    const elements = [...root.querySelectorAll("*")];
    return {
      handlers: elements.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name)),
      scriptUrls: elements.flatMap((el) =>
        [...el.attributes].filter((a) => /^\s*javascript:/i.test(a.value)).map((a) => `${el.tagName}@${a.name}`),
      ),
      dangerous: elements.filter((el) => ["SCRIPT", "IFRAME", "SVG", "FORM", "STYLE", "OBJECT"].includes(el.tagName.toUpperCase())).length,
    };
  });
  assert.deepEqual(found.handlers, [], "no event handler attribute survives");
  assert.deepEqual(found.scriptUrls, [], "no javascript: URL survives");
  assert.equal(found.dangerous, 0, "no script, frame, svg, form or style element survives");
  if (mode.javaScriptEnabled) {
    assert.equal(await page.evaluate(() => window.__xss), undefined, "no hostile script ran");
  }
  assert.equal(dialogs, 0, "no dialog was opened");
});

inBothModes(app, "a member reports a post and a moderator hides it, closes and moves the topic", async (firstPage, mode) => {
  let page = firstPage;
  const person = PEOPLE[mode.javaScriptEnabled];
  await signIn(page, person.email);
  await page.goto("/forums/general/new");
  const title = `A post to moderate ${mode.name}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("This post names a colleague in a way it should not.");
  await page.getByRole("button", { name: "Post topic" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?done=posted/);
  const topicPath = new URL(page.url()).pathname;
  await signOut(page);

  // Another member reports it in a browser of their own; an empty reason is refused first.
  const own = page;
  page = await secondPage(app, mode);
  await signIn(page, CMO.email);
  await page.goto(topicPath);
  await page.getByRole("link", { name: /^Report/ }).first().click();
  await page.waitForURL(/\/forums\/posts\/\d+\/report$/);
  await expectNoAxeViolations(page);
  const blank = page.waitForResponse((r) => r.url().endsWith("/report") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Send report" }).click();
  assert.equal((await blank).status(), 422);
  await page.getByLabel("What is wrong with the post?").fill("It identifies a colleague.");
  await page.getByRole("button", { name: "Send report" }).click();
  await page.waitForURL(/done=reported#post-1$/);
  assert.match(await page.locator(".notification-banner").textContent(), /moderators will look/);
  const memberPage = page;
  page = own;

  // The moderator (an administrator moderates every forum they can read) works the queue.
  await signIn(page, ADMIN.email);
  await page.goto("/forums/moderation");
  const item = page.locator(".report-list__item", { hasText: title });
  assert.match(await item.textContent(), /It identifies a colleague\./);
  await expectNoAxeViolations(page);
  await item.getByRole("button", { name: "Hide post" }).click();
  await page.waitForURL("**/forums/moderation?done=hidden");
  assert.equal(await page.locator(".report-list__item", { hasText: title }).count(), 0);
  await page.goto(topicPath);
  assert.match(await page.locator("article#post-1").textContent(), /Hidden by a moderator/);
  await page.getByRole("button", { name: "Close to replies" }).click();
  await page.waitForURL(/done=moderated/);
  assert.match(await page.locator("main").textContent(), /closed to new replies/);
  await page.getByLabel("Move to forum").selectOption("oh-managers");
  await page.getByRole("button", { name: "Move topic" }).click();
  await page.waitForURL(/\/forums\/oh-managers\/\d+\?done=moved/);
  await expectNoAxeViolations(page);
  await signOut(page);

  // A member who does not moderate sees the placeholder, not the text, and cannot reply.
  page = memberPage;
  await page.goto(topicPath.replace("/general/", "/oh-managers/"));
  assert.match(await page.locator("article#post-1").textContent(), /hidden by a moderator/);
  assert.doesNotMatch(await page.locator("article#post-1").textContent(), /names a colleague/);
  assert.equal(await page.getByRole("button", { name: "Post reply" }).count(), 0);
  await page.context().close();
});

inBothModes(app, "an administrator creates a restricted forum, opens it to everyone and archives it", async (page, mode) => {
  const slug = `msk-research-${mode.javaScriptEnabled ? "on" : "off"}`;
  const name = `MSK research ${mode.name}`;
  await signIn(page, ADMIN.email);
  await page.goto("/admin/forums");
  await expectNoAxeViolations(page);
  const create = page.locator("form", { has: page.getByRole("button", { name: "Create forum" }) });
  await create.getByLabel("Address").fill("Not A Slug");
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Description").fill("Reading and research on musculoskeletal health.");
  await create.getByRole("group", { name: "Who may read" }).getByLabel("Physiotherapists").check();
  const refused = page.waitForResponse((r) => r.url().endsWith("/admin/forums") && r.request().method() === "POST");
  await create.getByRole("button", { name: "Create forum" }).click();
  assert.equal((await refused).status(), 422);
  assert.match(await page.locator(".error-summary").first().textContent(), /lowercase letters/);
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Create forum" }).click();
  await page.waitForURL("**/admin/forums?done=created");

  // Readable only by physiotherapists: the administrator, not one, does not see it listed.
  await page.goto("/forums");
  assert.doesNotMatch(await page.locator("main").textContent(), new RegExp(name));
  assert.equal((await page.goto(`/forums/${slug}`)).status(), 404);

  // Open it to every member: now it is listed; then archive it: it is gone again.
  await page.goto("/admin/forums");
  const card = page.locator("section.member-card", { has: page.getByRole("heading", { name }) });
  await card.getByRole("group", { name: "Who may read" }).getByLabel("Physiotherapists").uncheck();
  await card.getByRole("button", { name: /^Save/ }).click();
  await page.waitForURL("**/admin/forums?done=saved");
  await page.goto("/forums");
  assert.match(await page.locator("main").textContent(), new RegExp(name));
  await page.goto("/admin/forums");
  await page.locator("section.member-card", { has: page.getByRole("heading", { name }) }).getByRole("button", { name: /^Archive/ }).click();
  await page.waitForURL("**/admin/forums?done=archived");
  await expectNoAxeViolations(page);
  await page.goto("/forums");
  assert.doesNotMatch(await page.locator("main").textContent(), new RegExp(name));
});

/** Starts a topic in the general forum as the signed-in person; answers its path. */
async function startTopic(page, title, body) {
  await page.goto("/forums/general/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill(body);
  await page.getByRole("button", { name: "Post topic" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?done=posted/);
  return new URL(page.url()).pathname;
}

async function postReply(page, topicPath, body) {
  await page.goto(topicPath);
  await page.getByLabel("Your reply").fill(body);
  await page.getByRole("button", { name: "Post reply" }).click();
}

inBothModes(app, "a moderator merges and splits topics and approves a new member's held post", async (page, mode) => {
  const newcomer = NEWCOMERS[mode.javaScriptEnabled];
  await signIn(page, ADMIN.email);

  // Hold a new member's first post; the newcomer (created as an administrator) becomes a
  // plain member, whose posts can be held.
  await page.goto("/admin/forums");
  const hold = page.getByLabel("How many of a member's first posts wait for approval");
  await hold.fill("25");
  const refused = page.waitForResponse((r) => r.url().endsWith("/admin/forums/approval") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Save approval setting" }).click();
  assert.equal((await refused).status(), 422);
  assert.match(await page.locator(".error-summary").first().textContent(), /whole number from 0 to 20/);
  await page.getByLabel("How many of a member's first posts wait for approval").fill("1");
  await page.getByRole("button", { name: "Save approval setting" }).click();
  await page.waitForURL("**/admin/forums?done=approval");
  assert.equal(await page.getByLabel("How many of a member's first posts wait for approval").inputValue(), "1");
  await page.goto(`/admin/members?status=all&q=${encodeURIComponent(newcomer.email)}`);
  await page.getByLabel(`Role for ${newcomer.name}`).selectOption("member");
  await page.getByRole("button", { name: "Change role" }).click();
  await page.waitForURL(/done=role-changed/);

  // Merge: the source's posts follow the target's, and the source's address leads there.
  const source = await startTopic(page, `Merge source ${mode.name}`, `First words of the source (${mode.name}).`);
  await postReply(page, source, `A reply in the source (${mode.name}).`);
  await page.waitForURL(/done=posted/);
  const target = await startTopic(page, `Merge target ${mode.name}`, `First words of the target (${mode.name}).`);
  await page.goto(source);
  await page.getByLabel("The other topic").fill(target);
  const unconfirmed = page.waitForResponse((r) => r.url().endsWith("/merge") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Merge topics" }).click();
  assert.equal((await unconfirmed).status(), 422);
  assert.match(await page.locator(".error-summary").textContent(), /Tick the box to confirm the merge/);
  assert.equal(await page.getByLabel("The other topic").inputValue(), target, "what was typed stays");
  await expectNoAxeViolations(page);
  await page.getByLabel("Yes, merge this topic into that one").check();
  await page.getByRole("button", { name: "Merge topics" }).click();
  await page.waitForURL(`**${target}?done=merged`);
  assert.match(await page.locator("article#post-1").textContent(), /First words of the target/);
  assert.match(await page.locator("article#post-2").textContent(), /First words of the source/);
  assert.match(await page.locator("article#post-3").textContent(), /A reply in the source/);
  await page.goto(source);
  assert.equal(new URL(page.url()).pathname, target, "the merged topic's address leads to the target");

  // Split: post 2 onward become a topic of their own in another forum.
  await page.goto(target);
  await page.getByRole("link", { name: "Split from here (post 2 and later)" }).click();
  await page.waitForURL(/\/forums\/posts\/\d+\/split$/);
  assert.match(await page.locator("main").textContent(), /Posts 2 to 3 \(2 posts\) will move/);
  await expectNoAxeViolations(page);
  const blank = page.waitForResponse((r) => r.url().endsWith("/split") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Split topic" }).click();
  assert.equal((await blank).status(), 422);
  await page.getByLabel("Title of the new topic").fill(`Split out ${mode.name}`);
  await page.getByLabel("Forum for the new topic").selectOption("oh-managers");
  await page.getByRole("button", { name: "Split topic" }).click();
  await page.waitForURL(/\/forums\/oh-managers\/\d+\?done=split/);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), `Split out ${mode.name}`);
  assert.equal(await page.locator("article.post").count(), 2);
  assert.match(await page.locator("article#post-1").textContent(), /First words of the source/);
  await page.goto(target);
  assert.equal(await page.locator("article.post").count(), 1, "the target keeps its own post");

  // The newcomer's reply waits for approval: the topic does not show it.
  const other = await secondPage(app, mode);
  await signIn(other, newcomer.email);
  await postReply(other, target, `A held reply (${mode.name}).`);
  await other.waitForURL(`**${target}?done=held`);
  assert.match(await other.locator(".notification-banner").textContent(), /checks a new member's first posts/);
  assert.doesNotMatch(await other.locator("main").textContent(), /A held reply/);

  // The moderator approves it from the queue; then it is in the topic.
  await page.goto("/forums/moderation");
  const item = page.locator(".report-list__item", { hasText: `A held reply (${mode.name}).` });
  assert.match(await item.textContent(), new RegExp(`Reply to “Merge target ${mode.name}”`));
  assert.match(await item.textContent(), new RegExp(`By ${newcomer.name}`));
  await expectNoAxeViolations(page);
  await item.getByRole("button", { name: `Approve the post by ${newcomer.name}` }).click();
  await page.waitForURL("**/forums/moderation?done=approved");
  await other.goto(target);
  assert.match(await other.locator("article#post-2").textContent(), /A held reply/);
  await other.context().close();

  await page.goto("/admin/forums");
  await page.getByLabel("How many of a member's first posts wait for approval").fill("0");
  await page.getByRole("button", { name: "Save approval setting" }).click();
  await page.waitForURL("**/admin/forums?done=approval");
});
