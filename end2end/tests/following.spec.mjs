// Following the forums: a member's own topic is watched for them; a reply by someone else
// that mentions them (chosen from suggestions with JavaScript, typed without) reaches them as
// an email (with the RFC 8058 one-click unsubscribe headers) and as a
// notification counted in the header; opening it marks it read; they stop watching and start
// again; and the emailed link stops forum email without signing in, from the page's button
// and from a mail program's one-click POST.
import assert from "node:assert/strict";

import { expectNoAxeViolations } from "../lib/axe.mjs";
import { inBothModes, useApp } from "../lib/browser.mjs";

const PASSWORD = "a long enough password";
const PEOPLE = {
  true: {
    watcher: { email: "wren.on@ohnet.test", name: "Wren Watcher on" },
    replier: { email: "rory.on@ohnet.test", name: "Rory Replier on" },
  },
  false: {
    watcher: { email: "wren.off@ohnet.test", name: "Wren Watcher off" },
    replier: { email: "rory.off@ohnet.test", name: "Rory Replier off" },
  },
};
const FEEDERS = {
  true: { email: "fern.on@ohnet.test", name: "Fern Feeds on" },
  false: { email: "fern.off@ohnet.test", name: "Fern Feeds off" },
};
const app = useApp({
  smtp: true,
  setup(started) {
    for (const pair of [...Object.values(PEOPLE), { feeder: FEEDERS.true }, { feeder: FEEDERS.false }]) {
      for (const person of Object.values(pair)) {
        started.server.cli(["create-admin", "--email", person.email, "--name", person.name], {
          OHNET_ADMIN_PASSWORD: PASSWORD,
        });
      }
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

inBothModes(app, "a watched topic's reply arrives by email and notification, and one click stops the email", async (page, mode) => {
  const { watcher, replier } = PEOPLE[mode.javaScriptEnabled];
  const title = `Fitness after long COVID ${mode.name}`;

  await signIn(page, watcher.email);
  await page.goto("/forums/general/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("What adjustments have worked for officers returning to duty?");
  await page.getByRole("button", { name: "Post topic" }).click();
  await page.waitForURL(/\/forums\/general\/\d+\?done=posted/);
  const topicPath = new URL(page.url()).pathname;
  // Watching your own topic is the default; stopping and starting again both work.
  await page.getByRole("button", { name: "Stop watching this topic" }).click();
  await page.waitForURL(/done=not-watching/);
  await page.getByRole("button", { name: "Watch this topic" }).click();
  await page.waitForURL(/done=watching/);
  assert.equal(await page.getByRole("button", { name: "Stop watching this topic" }).getAttribute("aria-pressed"), "true");
  await expectNoAxeViolations(page);
  await signOut(page);

  await signIn(page, replier.email);
  await page.goto(topicPath);
  const handle = `wren.watcher.${mode.javaScriptEnabled ? "on" : "off"}`;
  assert.match(await page.locator(".post__author").first().textContent(), new RegExp(`@${handle.replaceAll(".", "\\.")}`));
  const reply = page.getByLabel("Your reply");
  if (mode.javaScriptEnabled) {
    await page.locator("#field-body[data-enhanced]").waitFor();
    await reply.pressSequentially("A phased return with **protected rest days** helped us, @wren");
    const suggestion = page.getByRole("button", { name: `Mention ${watcher.name} (@${handle})` });
    await suggestion.click();
    assert.equal(await reply.inputValue(), `A phased return with **protected rest days** helped us, @${handle} `);
    // The live preview follows the text.
    await page.locator(".preview--live strong", { hasText: "protected rest days" }).waitFor();
    await expectNoAxeViolations(page);
  } else {
    await reply.fill(`A phased return with **protected rest days** helped us, @${handle}`);
  }
  await page.getByRole("button", { name: "Post reply" }).click();
  await page.waitForURL(/done=posted/);
  await signOut(page);

  // The email: the reply's text, a link to it, and the one-click unsubscribe headers.
  const mail = await app.smtp.waitFor(watcher.email, new RegExp(`Re: ${title}`));
  assert.match(mail.text, /protected rest days/);
  assert.match(mail.text, /mentioned you/);
  assert.match(mail.text, /\/forums\/posts\/\d+/);
  assert.equal(mail.headers["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
  const oneClick = mail.headers["list-unsubscribe"]?.match(/^<(.+)>$/)?.[1];
  assert.ok(oneClick?.includes("/unsubscribe/one-click?token="), `List-Unsubscribe: ${mail.headers["list-unsubscribe"]}`);
  const pageLink = mail.text.match(/https?:\/\/\S+\/unsubscribe\?token=[\w.-]+/)?.[0];
  assert.ok(pageLink, `unsubscribe page link in: ${mail.text}`);

  // The notification: counted in the header, listed, and read once opened.
  await signIn(page, watcher.email);
  assert.match(await page.locator(".account-links").textContent(), /Notifications\s*1 unread/);
  await page.getByRole("link", { name: /Notifications/ }).click();
  await page.waitForURL("**/notifications");
  const item = page.getByRole("link", { name: new RegExp(`${replier.name} mentioned you in “${title}”`) });
  await expectNoAxeViolations(page);
  await item.click();
  await page.waitForURL(new RegExp(`${topicPath}\\?page=1#post-2`));
  assert.doesNotMatch(await page.locator(".account-links").textContent(), /unread/);
  await signOut(page);

  // Signed out, the emailed link's page stops forum email with one button.
  await page.goto(pageLink);
  assert.equal(await page.locator("h1").textContent(), "Stop forum emails");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Stop forum emails" }).click();
  await page.waitForURL(/\/unsubscribe\?token=.*&done=stopped/);
  assert.match(await page.locator("main").textContent(), /You will get no more forum emails/);

  // A mail program's one-click POST: no cookie, no CSRF token, the signed address alone.
  const posted = await fetch(oneClick, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
    redirect: "manual",
  });
  assert.equal(posted.status, 303);
  const forged = await fetch(oneClick.replace(/token=\d+/, "token=999999"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
    redirect: "manual",
  });
  assert.equal(forged.status, 404, "a token for someone else is refused");
  await page.goto(pageLink);
  assert.match(await page.locator("main").textContent(), /already off/);

  await signIn(page, watcher.email);
  assert.equal(await page.getByLabel("No forum emails (notifications still appear on the site)").isChecked(), true);
});

inBothModes(app, "a member turns on forum feeds, reads one without signing in, and replacing the address stops the old one", async (page, mode) => {
  const feeder = FEEDERS[mode.javaScriptEnabled];
  await signIn(page, feeder.email);
  assert.match(await page.locator("#feeds ~ p").first().textContent(), /feed reader/);
  assert.match(await page.locator("main").textContent(), /Your feeds are off/);
  await page.getByRole("button", { name: "Turn on my feeds" }).click();
  await page.waitForURL(/\/account\?done=feeds-on#feeds$/);
  assert.match(await page.locator("main").textContent(), /Your forum feeds are on/);
  await expectNoAxeViolations(page);

  // The forum page links to its feed; followed signed in, the link adds the member's key.
  await page.goto("/forums/general");
  const feedLink = page.getByRole("link", { name: "Atom feed of this forum" });
  assert.equal(await feedLink.getAttribute("href"), "/forums/general/feed.atom");
  const redirect = await page.request.get("/forums/general/feed.atom", { maxRedirects: 0 });
  assert.equal(redirect.status(), 303);
  const address = new URL(redirect.headers().location, app.baseUrl).toString();
  assert.match(address, /\/forums\/general\/feed\.atom\?token=/);

  // A feed reader has no session: the key alone opens the feed.
  const feed = await fetch(address);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get("content-type"), /^application\/atom\+xml/);
  const xml = await feed.text();
  assert.match(xml, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.match(xml, /<title>General network – ohnet<\/title>/);

  await page.goto("/account");
  await page.getByRole("button", { name: "Replace my feed addresses" }).click();
  await page.waitForURL(/done=feeds-renewed/);
  assert.equal((await fetch(address)).status, 404, "the old address stops working");
  await page.getByRole("button", { name: "Turn off my feeds" }).click();
  await page.waitForURL(/done=feeds-off/);
  assert.match(await page.locator("main").textContent(), /Your feeds are off/);
});
