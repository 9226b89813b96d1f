// T3 conversations: email HTML shown safely (sandbox, CSP, sanitiser), transcripts, the call log,
// and replies that wait in the outbox while offline.
import { test, expect } from "./fixtures.mjs";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { ingest, openApp, saved } from "./workspace.mjs";

/** A loopback server that counts every request reaching it. */
async function requestCounter() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { "content-type": "image/gif" });
    res.end(Buffer.from("R0lGODlhAQABAAAAACw=", "base64"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, hits, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Feeds an interaction through the host page's entry point and returns the task id. */
function payloads(url) {
  return readFileSync(new URL("../fixtures/xss-payloads.txt", import.meta.url), "utf8")
    .split("\n")
    .map((line, n) => [line, n])
    .filter(([line]) => line.trim() && !line.startsWith("#"))
    .map(([line, n]) => line.replaceAll("{{URL}}", url).replaceAll("{{N}}", String(n)));
}

test("T3: a tracking pixel stays blocked until the agent chooses Load images", async ({ page }) => {
  const counter = await requestCounter();
  try {
    await openApp(page);
    const id = await ingest(page, {
      id: "MAIL-PIXEL",
      kind: "email",
      contact: "newsletter@example.com",
      subject: "Your monthly statement",
      body: "Your statement is ready.",
      html: `<p>Your <b>statement</b> is ready.</p><img src="${counter.url}/open.gif?u=42" width="1" height="1" alt="">`,
    });
    await page.goto(`/tasks/${id}`);
    const frame = page.frameLocator("iframe[title='Email from newsletter@example.com']");
    await expect(frame.getByText("Your statement is ready.")).toBeVisible();
    await expect(page.getByText("1 remote image is blocked to protect your privacy.")).toBeVisible();
    await page.waitForTimeout(500);
    expect(counter.hits).toEqual([]);
    await page.getByRole("button", { name: "Load images" }).click();
    await expect.poll(() => counter.hits.length).toBeGreaterThan(0);
    expect(counter.hits[0]).toBe("/open.gif?u=42");
  } finally {
    await counter.close();
  }
});

test("T3: over a hundred known XSS payloads render with no dialog, no script and no request", async ({ page }) => {
  // A hundred and sixty emails, each in its own frame: on a slow machine well over 30 s.
  test.setTimeout(120_000);
  const counter = await requestCounter();
  const dialogs = [];
  const outside = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith("http://127.0.0.1:4173/") && !url.startsWith("data:") && !url.startsWith("about:")) outside.push(url);
  });
  try {
    await openApp(page);
    const list = payloads(counter.url);
    expect(list.length).toBeGreaterThanOrEqual(100);
    let id;
    for (const [n, html] of list.entries()) {
      id = await ingest(page, { id: "MAIL-XSS", kind: "email", contact: "attacker@example.net", subject: `XSS ${n}<script>alert(1)</script>`, body: html, html });
    }
    await page.goto(`/tasks/${id}`);
    const frames = page.locator("iframe.td-email-frame");
    await expect(frames).toHaveCount(list.length);
    // Give any delayed load (refresh, lazy image, animation) time to fire.
    await page.waitForTimeout(1500);
    expect(dialogs).toEqual([]);
    expect(counter.hits).toEqual([]);
    expect(outside).toEqual([]);
    // Every frame is sandboxed (only the frame's own script may run, in an opaque origin), locked
    // by the email's policy, and holds no active content.
    const sandboxes = await frames.evaluateAll((all) => [...new Set(all.map((f) => f.getAttribute("sandbox")))]);
    expect(sandboxes).toEqual(["allow-scripts allow-popups allow-popups-to-escape-sandbox"]);
    const emails = () => page.frames().filter((f) => f.url().includes("/mail-frame.html"));
    // A hundred and sixty frames load one after another: on a slow machine, well over ten seconds.
    await expect.poll(async () => (await Promise.all(emails().map((f) => f.evaluate(() => !!document.querySelector("meta[http-equiv='Content-Security-Policy']"))))).filter(Boolean).length, { timeout: 60_000 }).toBe(list.length);
    const findings = [];
    for (const [n, frame] of emails().entries()) {
      const wrong = await frame.evaluate(() => {
        const wrong = [];
        const csp = document.querySelector("meta[http-equiv='Content-Security-Policy']");
        if (!csp || !csp.content.startsWith("default-src 'none'")) wrong.push("policy");
        for (const el of document.body.querySelectorAll("*")) {
          if (/^(script|iframe|frame|object|embed|svg|math|base|form|input|link|meta|style|template)$/i.test(el.localName)) wrong.push(`<${el.localName}>`);
          for (const a of el.getAttributeNames()) {
            const v = el.getAttribute(a);
            if (a.startsWith("on")) wrong.push(`${a} on <${el.localName}>`);
            if ((a === "href" || a === "src") && !/^(https?:|mailto:|data:image\/(png|gif|jpeg|webp))/i.test(v)) wrong.push(`${a}=${v}`);
            if (a === "src" && /^https?:/i.test(v)) wrong.push(`remote ${v}`);
            if (a === "style" && /url/i.test(v)) wrong.push(`style ${v}`);
          }
        }
        return wrong;
      });
      findings.push(...wrong.map((w) => `frame ${n}: ${w}`));
    }
    expect(findings).toEqual([]);
    // The subject, with its markup, is shown as text.
    await expect(page.getByRole("heading", { level: 1 })).toContainText("<script>alert(1)</script>");
  } finally {
    await counter.close();
  }
});

test("T3: chat shows the transcript and composer; a reply written offline waits as pending and is sent on reconnect", async ({ page, context }) => {
  await openApp(page);
  const id = await ingest(page, { id: "CHAT-77", kind: "chat", contact: "+420777000111", body: "Hi, my router keeps restarting." });
  await page.goto(`/tasks/${id}`);
  const transcript = page.getByRole("list", { name: "Chat transcript" });
  await expect(transcript.getByRole("listitem")).toHaveCount(1);
  await expect(transcript).toContainText("Hi, my router keeps restarting.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText("Write the reply first; an empty message cannot be sent.")).toBeVisible();

  await context.setOffline(true);
  await page.getByLabel("Message").fill("Sorry to hear that. Which model is it?");
  await page.getByRole("button", { name: "Send" }).click();
  const mine = transcript.getByRole("listitem").filter({ hasText: "Which model is it?" });
  await expect(mine).toContainText("Pending");
  await expect(page.getByRole("status").filter({ hasText: "waits in the outbox" })).toBeVisible();
  await saved(page);
  // The customer's next message joins the same task while the reply still waits.
  await ingest(page, { id: "CHAT-77", kind: "chat", contact: "+420777000111", body: "It is the X200." });
  await expect(transcript.getByRole("listitem")).toHaveCount(3);

  await context.setOffline(false);
  await expect(mine).toContainText("Sent");
  await expect(mine).not.toContainText("Pending");
});

test("T3: a call task shows its call log instead of a composer", async ({ page }) => {
  await openApp(page);
  const id = await ingest(page, { id: "VM-5", kind: "voicemail", contact: "+420777000222", body: "Please call me back about the invoice." });
  await page.goto(`/tasks/${id}`);
  // Call logs open ready to edit by default (a setting); the voicemail is in the notes.
  const log = page.getByRole("form", { name: "Call log" });
  await expect(log.getByLabel("Outcome")).toHaveValue("voicemail");
  await expect(log.getByLabel("Notes")).toHaveValue("Please call me back about the invoice.");
  await expect(page.getByRole("button", { name: "Send" })).toHaveCount(0);
});
