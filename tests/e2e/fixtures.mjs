// The journeys' `test`: each fails when the app hits a bug (a Rust panic or an uncaught error) in any
// page it opened, even when the screen looked right, so a panic cannot pass unnoticed.
import { test as base, expect } from "@playwright/test";

export { expect };

/** Collects the bugs of every page of `context` into `found`. */
function watch(context, found) {
  const follow = (page) => {
    page.on("pageerror", (e) => found.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && m.text().startsWith("Taskdesk hit a bug")) found.push(`${page.url()}: ${m.text()}`);
    });
  };
  context.pages().forEach(follow);
  context.on("page", follow);
}

export const test = base.extend({
  appBugs: [
    async ({ browser, context }, use) => {
      const found = [];
      watch(context, found);
      // Journeys that open a second device make their own contexts.
      const newContext = browser.newContext;
      browser.newContext = async (...args) => {
        const made = await newContext.apply(browser, args);
        watch(made, found);
        return made;
      };
      await use(found);
      browser.newContext = newContext;
      expect(found, "the app hit a bug").toEqual([]);
    },
    { auto: true },
  ],
});
