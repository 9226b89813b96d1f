// The app half of the cold-start bench: what benches/run.mjs measures in the release app, from
// inside the page (performance.now() counts from navigation), a frame at a time.

/** The first keystroke typed once the queue shows rows: "q" narrows the sample tasks to a few
 * subjects ("question", "quarterly"), as an agent looking for one would start. */
const FIRST_KEY = "q";

/** The in-page helpers every step below uses (`window.__bench`), installed before a page's own
 * scripts run; the peers' page (benches/start.mjs) uses the same ones. Records the long animation
 * frames of the whole visit, each with what ran in it, so a bench run says where the time went. */
export function installBench() {
  const frames = [];
  new PerformanceObserver((list) => frames.push(...list.getEntries().map((e) => ({ start: e.startTime, ms: e.duration, scripts: e.scripts.map((x) => `${x.invoker} ${Math.round(x.duration)} ms`) })))).observe({ type: "long-animation-frame", buffered: true });
  const b = {
    nextFrame: () => new Promise((ok) => requestAnimationFrame(() => ok())),
    /** The queue's "N tasks" line. */
    count: () => [...document.querySelectorAll("[role=status]")].map((e) => e.textContent).find((t) => /^[\d,]+ tasks$/.test(t)),
    /** Resolves at the first frame where `done()` holds, with the milliseconds since `start`. */
    frameWhen: (done, start = performance.now()) => new Promise((ok) => {
      const check = () => (done() ? ok(performance.now() - start) : requestAnimationFrame(check));
      requestAnimationFrame(check);
    }),
    /** The long frames (50 ms or more) since `since`: how many and the longest. The observer
     * hears of a frame after it ends, so this first lets a few frames pass. */
    longFrames: async (since) => {
      await new Promise((ok) => setTimeout(ok, 300));
      const found = frames.filter((f) => f.start >= since);
      for (const f of found) console.log(`long frame ${Math.round(f.ms)} ms: ${f.scripts.join(", ")}`);
      return { count: found.length, longest: Math.max(0, ...found.map((f) => f.ms)) };
    },
    /** Times a mount started at `start` (call it before the mount begins): `work` until `shown()`
     * first holds as the page changes (the script's part, read as each change lands), `frame`
     * until the frame that shows it. */
    mountTimes: (shown, start) => {
      let work;
      const watch = new MutationObserver(() => {
        if (work === undefined && shown()) work = performance.now() - start;
      });
      watch.observe(document.body, { childList: true, subtree: true });
      return b.frameWhen(shown, start).then((frame) => {
        watch.disconnect();
        return { work: work ?? frame, frame };
      });
    },
    /** Types `text` into the queue's search box; resolves, with the milliseconds taken, at the
     * frame whose task count has changed. */
    search: (text) => {
      const box = document.querySelector('input[aria-label="Search tasks"]');
      const before = b.count();
      const start = performance.now();
      box.value = text;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      return b.frameWhen(() => b.count() !== before, start);
    },
  };
  window.__bench = b;
}

/** Waits for the queue's first rows, types `key` in the search box at that frame, and records
 * when the count answered it. */
function watchColdStart(key) {
  const b = window.__bench;
  b.frameWhen(() => document.querySelector(".td-queue-list tr.td-row") && document.querySelector('input[aria-label="Search tasks"]')).then(async () => {
    const rows = performance.now();
    const before = b.count();
    const typed = performance.now();
    const latency = await b.search(key);
    window.__coldStart = { rows, typed, answered: typed + latency, before, after: b.count() };
  });
}

/** Opens the app and returns when, after navigation, its queue showed rows, the key was typed and
 * the count answered it (milliseconds), when each step of its start ended, and how many packs its
 * store's copy of the tasks has. */
export async function coldStart(page, url) {
  await page.addInitScript({ content: `(${installBench})(); (${watchColdStart})(${JSON.stringify(FIRST_KEY)});` });
  await page.goto(`${url}/`);
  const handle = await page.waitForFunction(() => window.__coldStart, null, { timeout: 600_000, polling: 200 });
  // The steps the app marks on its way (src/app/state.rs), in milliseconds after navigation.
  const steps = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("taskdesk:")).map((m) => [m.name.slice(9), m.startTime])));
  return { ...(await handle.jsonValue()), steps, packs: await packCount(page) };
}

/** How many packs the app's IndexedDB holds (its copy of every task for cold starts). */
function packCount(page) {
  return page.evaluate(() => new Promise((ok, no) => {
    const open = indexedDB.open("taskdesk");
    open.onerror = () => no(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("packs")) return db.close(), ok(0);
      const count = db.transaction("packs").objectStore("packs").count();
      count.onsuccess = () => { db.close(); ok(count.result); };
      count.onerror = () => { db.close(); no(count.error); };
    };
  }));
}

/** Waits (up to two minutes) until the open app has packed its copy of the tasks by itself;
 * returns when that was seen, in milliseconds after navigation. */
export async function packedByTheApp(page) {
  for (let i = 0; i < 240; i++) {
    if ((await packCount(page)) > 0) return page.evaluate(() => performance.now());
    await page.waitForTimeout(500);
  }
  throw new Error("the app did not pack its copy of the tasks within two minutes");
}

/** Scrolls the queue from top to bottom and back in 100 steps each way (a frame per step, every
 * step a screenful of rows never shown before), then switches to "All open", to the email channel
 * and to a search and back; returns the long frames of each part and the slowest switch (from
 * the click to the frame showing the new count). */
export async function scrollAndSwitch(page) {
  return page.evaluate(async () => {
    const b = window.__bench;
    await b.search("");
    // Let the search index's build (started a second and a half after start) finish first.
    await new Promise((ok) => setTimeout(ok, 3000));
    const list = document.querySelector(".td-queue-list");
    const scrollStart = performance.now();
    for (const step of [...Array(101).keys(), ...[...Array(100).keys()].reverse()]) {
      list.scrollTop = ((list.scrollHeight - list.clientHeight) * step) / 100;
      await b.nextFrame();
      await b.nextFrame();
    }
    const scrolled = await b.longFrames(scrollStart);
    const switchStart = performance.now();
    // Each switch is timed until the frame showing the new count.
    const switches = [];
    const allOpen = [...document.querySelectorAll("button")].find((x) => x.textContent.trim() === "All open");
    const before = b.count();
    allOpen.click();
    switches.push(await b.frameWhen(() => b.count() !== before));
    const channel = [...document.querySelectorAll("label")].find((l) => l.textContent.trim().startsWith("Channel")).querySelector("select");
    for (const value of ["email", ""]) {
      const was = b.count();
      channel.value = value;
      channel.dispatchEvent(new Event("change", { bubbles: true }));
      switches.push(await b.frameWhen(() => b.count() !== was));
    }
    switches.push(await b.search("refund"));
    switches.push(await b.search(""));
    await b.nextFrame();
    const switched = await b.longFrames(switchStart);
    return [
      { name: "scroll_long_frames", value: scrolled.count, unit: "frames" },
      { name: "scroll_longest_frame", value: scrolled.longest, unit: "ms" },
      { name: "switch_long_frames", value: switched.count, unit: "frames" },
      { name: "switch_longest_frame", value: switched.longest, unit: "ms" },
      { name: "switch_slowest", value: Math.max(...switches), unit: "ms" },
    ];
  });
}

/** How many times each list is mounted. A mount ends at a frame, so a time is the work plus the
 * wait for that frame: with five rounds a side, one or two unlucky frames moved the ratio between
 * runs by a third. */
export const MOUNT_ROUNDS = 15;

/** The pause before each mount, on both sides, so each starts as a click does: at any point of a
 * frame (one side started right after a frame would wait most of one more). */
export const MOUNT_PAUSE_MS = 300;

/** The middle value (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The medians of mount times (see `mountTimes`), with every round's. */
export function mountMedians(times) {
  return { frame: median(times.map((t) => t.frame)), work: median(times.map((t) => t.work)), times };
}

/** Opens Customers, then the queue again, [`MOUNT_ROUNDS`] times: the medians of the time until
 * the queue's rows are in the page and until the frame that shows them (the whole queue worked out
 * from 100,000 tasks, then drawn). */
export async function queueMount(page) {
  const times = await page.evaluate(async ([rounds, pause]) => {
    const b = window.__bench;
    const link = (path) => document.querySelector(`a[href="${path}"]`);
    const out = [];
    for (let i = 0; i < rounds; i++) {
      link("/customers").click();
      await b.frameWhen(() => !document.querySelector(".td-queue-list"));
      await new Promise((ok) => setTimeout(ok, pause));
      const start = performance.now();
      const timing = b.mountTimes(() => document.querySelector(".td-queue-list tr.td-row"), start);
      link("/").click();
      out.push(await timing);
    }
    return out;
  }, [MOUNT_ROUNDS, MOUNT_PAUSE_MS]);
  return mountMedians(times);
}
