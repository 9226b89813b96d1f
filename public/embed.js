// Taskdesk's one loader (W1), an ES module with a stable name. On Taskdesk's own page
// (index.html) it starts the standalone app; in a host page it defines `window.TaskDesk` and the
// `<task-desk>` element; on embed.html it is the framed widget, driven by its host over
// postMessage. scripts/post-build.mjs writes this build's file names below.
const GLUE = "development";
const WASM = "development";
const CSS = "development";

const here = (file) => new URL(file, import.meta.url).href;
const EVENTS = ["ready", "task-opened", "task-created", "task-resolved", "offer", "sync-state"];
const COMMANDS = ["configure", "openTask", "createTask", "screenPop", "ingest"];

let app = null;
/** The wasm app, loaded once per page however many widgets it holds. */
function loadApp() {
  app ??= import(here(GLUE)).then(async (glue) => {
    await glue.default({ module_or_path: here(WASM) });
    return glue;
  });
  return app;
}

let sheet = null;
/** The widget's stylesheet, adopted by every widget's shadow root (not blocked by a strict CSP). */
function widgetSheet() {
  sheet ??= fetch(here(CSS)).then(async (response) => {
    if (!response.ok) throw new Error(`Taskdesk could not load its styles (${response.status} for ${here(CSS)}).`);
    const s = new CSSStyleSheet();
    s.replaceSync(await response.text());
    return s;
  });
  return sheet;
}

const failure = (e) => (e instanceof Error ? e : new Error(String(e?.message ?? e)));

/** Events that tell a state rather than a moment: a new subscriber hears the current one at once. */
const STATES = ["sync-state"];

/** The callbacks `desk.on` registered; each event also goes to the element as a DOM event. */
class Listeners {
  #byName = new Map();
  #current = new Map();
  #element;

  constructor(element) {
    this.#element = element;
  }

  on(name, callback) {
    if (!EVENTS.includes(name)) throw new Error(`“${name}” is not an event; the events are ${EVENTS.join(", ")}.`);
    if (typeof callback !== "function") throw new Error(`on("${name}", callback) needs a function to call.`);
    if (!this.#byName.has(name)) this.#byName.set(name, new Set());
    this.#byName.get(name).add(callback);
    if (this.#current.has(name)) {
      const detail = this.#current.get(name);
      queueMicrotask(() => this.#call(callback, name, detail));
    }
    return () => this.#byName.get(name)?.delete(callback);
  }

  #call(callback, name, detail) {
    try {
      callback(detail);
    } catch (e) {
      console.error(`A taskdesk:${name} listener failed:`, e);
    }
  }

  emit(name, detail) {
    if (STATES.includes(name)) this.#current.set(name, detail);
    for (const callback of this.#byName.get(name) ?? []) this.#call(callback, name, detail);
    this.#element.dispatchEvent(new CustomEvent(`taskdesk:${name}`, { detail, bubbles: true, composed: true }));
  }

  clear() {
    this.#byName.clear();
    this.#current.clear();
  }
}

/** A mounted widget: the methods and events of the API. */
class Desk {
  #app;
  #element;
  #listeners;
  #ready;
  #mountPoint;

  constructor(element) {
    this.#element = element;
    this.#listeners = new Listeners(element);
    let resolve;
    this.#ready = new Promise((r) => (resolve = r));
    this.#ready.resolve = resolve;
  }

  /** Mounts into the element's shadow root; throws (having made nothing) on bad options. */
  async start(options, glue, styles) {
    glue.checkOptions(options);
    const root = this.#element.shadowRoot ?? this.#element.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styles];
    this.#mountPoint = document.createElement("div");
    this.#mountPoint.className = "td-mount";
    root.append(this.#mountPoint);
    try {
      this.#app = glue.mount(this.#mountPoint, options, (name, detail) => this.#emit(name, JSON.parse(detail)), here("./"));
    } catch (e) {
      this.#mountPoint.remove();
      throw failure(e);
    }
    await this.#ready;
    return this;
  }

  /** Starts the standalone app on this page, which is Taskdesk's own. */
  startStandalone(glue) {
    this.#app = glue.mountStandalone((name, detail) => this.#emit(name, JSON.parse(detail)), here("./"));
    return this;
  }

  #emit(name, detail) {
    if (name === "ready") this.#ready.resolve();
    this.#listeners.emit(name, detail);
  }

  #live() {
    if (!this.#app) throw new Error("This Taskdesk was unmounted; mount it again to use it.");
    return this.#app;
  }

  /** Calls `callback(detail)` on each `name` event; returns a function that stops it. */
  on(name, callback) {
    return this.#listeners.on(name, callback);
  }

  configure(options) {
    this.#call(() => this.#live().configure(options));
  }
  openTask(idOrNumber) {
    this.#call(() => this.#live().openTask(String(idOrNumber)));
  }
  createTask(task) {
    return this.#call(() => this.#live().createTask(task));
  }
  screenPop(who) {
    this.#call(() => this.#live().screenPop(who));
  }
  ingest(event) {
    return this.#call(() => this.#live().ingest(event));
  }

  #call(f) {
    try {
      return f();
    } catch (e) {
      throw failure(e);
    }
  }

  /** Unmounts: everything the widget held on the page is let go. */
  unmount() {
    if (!this.#app) return;
    const desk = this.#app;
    this.#app = null;
    desk.unmount();
    desk.free();
    this.#mountPoint?.remove();
    this.#listeners.clear();
    mounted.delete(this.#element);
  }
}

const mounted = new WeakMap();

/** Mounts Taskdesk into `element`; resolves once its workspace is loaded. */
async function mount(element, options = {}) {
  if (!(element instanceof HTMLElement)) throw new Error("TaskDesk.mount needs an element of the page to show Taskdesk in.");
  if (mounted.has(element)) throw new Error("This element already holds a Taskdesk; unmount it first.");
  const desk = new Desk(element);
  mounted.set(element, desk);
  try {
    const [glue, styles] = await Promise.all([loadApp(), widgetSheet()]);
    return await desk.start(options, glue, styles);
  } catch (e) {
    mounted.delete(element);
    throw failure(e);
  }
}

/** `<task-desk database user theme simulator>`: attributes alone mount it. */
class TaskDeskElement extends HTMLElement {
  static observedAttributes = ["database", "user", "theme", "simulator"];
  #desk = null;
  #mounting = null;
  #leaving = null;
  // Attributes changed while mounting, applied once the desk is ready.
  #changed = new Set();

  /** The mounted desk, once ready (its methods and `on`). */
  get desk() {
    return this.#desk;
  }

  #options() {
    const options = {};
    for (const name of ["database", "user", "theme"]) if (this.hasAttribute(name)) options[name] = this.getAttribute(name);
    if (this.hasAttribute("simulator")) options.simulator = this.getAttribute("simulator") !== "false";
    return options;
  }

  connectedCallback() {
    clearTimeout(this.#leaving);
    if (!this.#desk && !this.#mounting) this.#mount();
  }

  // Moving the element in the page (a single-page host re-rendering) must not reset it:
  // it unmounts only if it stays out of the page a moment.
  disconnectedCallback() {
    this.#leaving = setTimeout(() => {
      if (!this.isConnected) this.#unmount();
    }, 1000);
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (this.#mounting) this.#changed.add(name);
    else if (this.#desk) this.#follow([name]);
  }

  #follow(names) {
    if (names.includes("database")) {
      this.#unmount();
      this.#mount();
      return;
    }
    const options = this.#options();
    try {
      this.#desk.configure(Object.fromEntries(names.map((name) => [name, options[name] ?? null])));
    } catch (e) {
      this.#report(e);
    }
  }

  /** Resolves to the mounted desk once it is ready (null when mounting failed). */
  get ready() {
    return this.#mounting ?? Promise.resolve(this.#desk);
  }

  #mount() {
    const mounting = mount(this, this.#options())
      .then((desk) => {
        this.#desk = desk;
        const changed = [...this.#changed];
        this.#changed.clear();
        if (!this.isConnected) this.#unmount();
        else if (changed.length) this.#follow(changed);
        return this.#desk;
      })
      .catch((e) => {
        this.#report(e);
        return null;
      })
      .finally(() => {
        if (this.#mounting === mounting) this.#mounting = null;
      });
    this.#mounting = mounting;
  }

  #unmount() {
    this.#desk?.unmount();
    this.#desk = null;
  }

  #report(e) {
    console.error(`<task-desk>: ${failure(e).message}`);
    this.dispatchEvent(new CustomEvent("taskdesk:error", { detail: { message: failure(e).message }, bubbles: true, composed: true }));
  }
}

// ---- Frame mode: the host's side -------------------------------------------------------------

/** The same API over postMessage, to a Taskdesk framed from `src` (its embed.html). */
class FramedDesk {
  #frame;
  #origin;
  #calls = new Map();
  #listeners;
  #next = 1;
  #onMessage;

  constructor(element, frame, origin) {
    this.#listeners = new Listeners(element);
    this.#frame = frame;
    this.#origin = origin;
    this.#onMessage = (event) => this.#hear(event);
    window.addEventListener("message", this.#onMessage);
  }

  #hear(event) {
    // Only the frame we made, from the origin we framed, is listened to.
    if (event.source !== this.#frame.contentWindow || event.origin !== this.#origin) return;
    const m = event.data;
    if (m?.taskdesk === "result" && this.#calls.has(m.id)) {
      const { resolve, reject } = this.#calls.get(m.id);
      this.#calls.delete(m.id);
      if (m.ok) resolve(m.value);
      else reject(new Error(m.error));
    } else if (m?.taskdesk === "event" && EVENTS.includes(m.name)) {
      this.#listeners.emit(m.name, m.detail);
    }
  }

  call(method, argument) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#frame.contentWindow.postMessage({ taskdesk: "call", id, method, argument }, this.#origin);
    });
  }

  on(name, callback) {
    return this.#listeners.on(name, callback);
  }

  configure(options) {
    return this.call("configure", options);
  }
  openTask(idOrNumber) {
    return this.call("openTask", String(idOrNumber));
  }
  createTask(task) {
    return this.call("createTask", task);
  }
  screenPop(who) {
    return this.call("screenPop", who);
  }
  ingest(event) {
    return this.call("ingest", event);
  }

  unmount() {
    window.removeEventListener("message", this.#onMessage);
    for (const { reject } of this.#calls.values()) reject(new Error("This Taskdesk was unmounted."));
    this.#calls.clear();
    this.#frame.remove();
  }
}

/** Frames Taskdesk (`src`: its embed.html) into `element`; resolves once it is ready. Every
 * method returns a promise. A host backend's functions cannot cross into a frame: use `mount`. */
async function frame(element, { src, ...options } = {}) {
  if (!(element instanceof HTMLElement)) throw new Error("TaskDesk.frame needs an element of the page to show Taskdesk in.");
  let origin;
  try {
    origin = new URL(src, location.href).origin;
  } catch {
    throw new Error("TaskDesk.frame needs src: the address of Taskdesk's embed.html.");
  }
  if (options.backend?.kind === "host") throw new Error("A framed Taskdesk cannot use a host backend (functions do not cross into a frame); use TaskDesk.mount, or a couchdb backend.");
  const iframe = document.createElement("iframe");
  iframe.src = new URL(src, location.href).href;
  iframe.title = "Taskdesk";
  iframe.style.cssText = "border:0;width:100%;height:100%;display:block";
  const desk = new FramedDesk(element, iframe, origin);
  const loaded = new Promise((resolve) => iframe.addEventListener("load", resolve, { once: true }));
  element.append(iframe);
  await loaded;
  try {
    await answersWithin(desk.call("hello"), FRAME_HELLO_MS, `Taskdesk at ${origin} did not answer this page: ${location.origin} must be one of the hosts it allows (its frame-origins.json and frame-ancestors; scripts/serve.mjs --frame-origin ${location.origin}).`);
    await desk.call("mount", options);
  } catch (e) {
    desk.unmount();
    throw failure(e);
  }
  return desk;
}

/** How long a framed Taskdesk has to greet its host once loaded: it only needs its list of hosts. */
const FRAME_HELLO_MS = 10_000;

function answersWithin(promise, ms, silence) {
  let timer;
  const silent = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(silence)), ms)));
  return Promise.race([promise, silent]).finally(() => clearTimeout(timer));
}

// ---- Frame mode: the frame's side (embed.html) -----------------------------------------------

/** Serves a host allowed by frame-origins.json: mounts when it says so and runs its calls. */
function serveHost() {
  // Listening starts at once (the host may call as soon as the frame has loaded); each message
  // waits for the list of allowed hosts.
  const origins = fetch(here("frame-origins.json"))
    .then((r) => (r.ok ? r.json() : []))
    .catch(() => []);
  const target = document.getElementById("taskdesk");
  let host = null;
  let desk = null;
  window.addEventListener("message", async (event) => {
    const allowed = await origins;
    // Only the page that framed us, from an allowed origin (and always the same one), is heard.
    if (event.source !== window.parent || !allowed.includes(event.origin) || (host && event.origin !== host)) {
      console.warn(`Taskdesk ignored a message from ${event.origin}: not an allowed host.`);
      return;
    }
    const m = event.data;
    if (m?.taskdesk !== "call") return;
    host = event.origin;
    const reply = (answer) => window.parent.postMessage({ taskdesk: "result", id: m.id, ...answer }, host);
    try {
      let value;
      if (m.method === "hello") {
        // The host checks that it is heard before it waits for the app to load.
      } else if (m.method === "mount") {
        if (desk) throw new Error("This Taskdesk is mounted already.");
        desk = await mount(target, m.argument ?? {});
        for (const name of EVENTS) desk.on(name, (detail) => window.parent.postMessage({ taskdesk: "event", name, detail }, host));
      } else if (COMMANDS.includes(m.method) && desk) {
        value = desk[m.method](m.argument);
      } else {
        throw new Error(desk ? `“${m.method}” is not a Taskdesk command.` : "Taskdesk is not mounted yet.");
      }
      reply({ ok: true, value: value ?? null });
    } catch (e) {
      reply({ ok: false, error: failure(e).message });
    }
  });
}

// ---- Start -----------------------------------------------------------------------------------

const TaskDesk = Object.freeze({ mount, frame, events: EVENTS });
window.TaskDesk ??= TaskDesk;
if (!customElements.get("task-desk")) customElements.define("task-desk", TaskDeskElement);

const role = document.documentElement.dataset.taskdesk;
if (role === "app") {
  const boot = document.querySelector(".td-boot");
  const glue = await loadApp().catch((e) => {
    const words = `Taskdesk could not start (${e?.message ?? e}). Check the connection, then reload the page.`;
    boot?.querySelector("[role=status]")?.replaceChildren(words);
    return null;
  });
  if (glue) {
    boot?.remove();
    const desk = new Desk(document.body).startStandalone(glue);
    // The standalone page is Taskdesk's own: its scripts may drive the app directly.
    window.TaskDesk = Object.freeze({ ...TaskDesk, app: desk });
  }
} else if (role === "frame") {
  serveHost();
}
