// Acme CRM, a made-up CRM that embeds Taskdesk (W1), as an integrator would write it: a contact
// list and page, an incoming call that screen-pops the caller in Taskdesk, "New task" for a
// contact, and a line on the contact's timeline whenever Taskdesk says a task was resolved.
// index.html uses the <task-desk> element; framed.html (another origin) frames Taskdesk.
const contacts = [
  { name: "Jana Dvorak", company: "Nordlicht s.r.o.", phone: "+420 777 123 456", email: "jana.dvorak@example.com" },
  { name: "Karel Novy", company: "Brno Bikes", phone: "+420 603 555 010", email: "karel@brnobikes.example" },
  { name: "Ines Silva", company: "Porto Cafe", phone: "+351 912 345 678", email: "ines@portocafe.example" },
];
const timeline = new Map(contacts.map((c) => [c.name, [`${c.name} became a customer.`]]));
const framed = document.documentElement.dataset.mode === "frame";
const digits = (text) => String(text ?? "").replace(/\D/g, "");
let current = contacts[0];
// Taskdesk once mounted: a click before then waits for it rather than failing.
let mounted;
const desk = new Promise((resolve) => (mounted = resolve));

/** The contact a Taskdesk customer is, matched by phone or email. */
function contactOf(customer) {
  if (!customer) return null;
  return contacts.find((c) => customer.phones?.some((p) => digits(p) === digits(c.phone)) || customer.emails?.includes(c.email)) ?? null;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function showContacts() {
  const list = document.getElementById("contacts");
  list.replaceChildren(
    ...contacts.map((c) => {
      const button = el("button", { type: "button", textContent: c.name });
      if (c === current) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => show(c));
      return el("li", {}, button);
    }),
  );
}

function show(contact, note = "") {
  current = contact;
  showContacts();
  const pop = el("button", { type: "button", className: "crm-button", textContent: "Show in Taskdesk" });
  pop.addEventListener("click", () => run((d) => d.screenPop({ phone: contact.phone })));
  const task = el("button", { type: "button", className: "crm-button", textContent: `New task for ${contact.name}` });
  task.addEventListener("click", () => run((d) => d.createTask({ subject: `Follow up with ${contact.name}`, channel: "other", customer: { phone: contact.phone } })));
  const facts = el("dl", {}, el("dt", { textContent: "Company" }), el("dd", { textContent: contact.company }), el("dt", { textContent: "Phone" }), el("dd", { textContent: contact.phone }), el("dt", { textContent: "Email" }), el("dd", { textContent: contact.email }));
  const lines = timeline.get(contact.name).map((line) => el("li", { textContent: line }));
  document.getElementById("contact").replaceChildren(
    ...(note ? [el("p", { className: "crm-events", role: "status", textContent: note })] : []),
    el("h1", { textContent: contact.name }),
    facts,
    el("div", { className: "crm-actions" }, pop, task),
    el("h2", { id: "timeline-title", textContent: "Timeline" }),
    el("ol", { className: "crm-timeline", ariaLabel: "Timeline" }, ...lines.reverse()),
  );
}

/** Runs a Taskdesk command on the mounted desk; a refusal is shown, as a CRM would. */
async function run(command) {
  try {
    const mountedDesk = await desk;
    if (!mountedDesk) throw new Error("Taskdesk did not start; the browser's console says why.");
    await command(mountedDesk);
  } catch (e) {
    show(current, `Taskdesk said: ${e.message}`);
  }
}

function listen(target) {
  // The element (or the panel of a framed Taskdesk) hears every event as a DOM event.
  target.addEventListener("taskdesk:task-resolved", (event) => {
    const contact = contactOf(event.detail.customer);
    if (!contact) return;
    timeline.get(contact.name).push(`Task ${event.detail.number} “${event.detail.subject}” resolved in Taskdesk.`);
    if (contact === current) show(contact);
  });
  target.addEventListener("taskdesk:task-created", (event) => {
    const contact = contactOf(event.detail.customer);
    if (contact === current) show(contact, `Taskdesk created task ${event.detail.number}.`);
  });
}

document.getElementById("incoming").addEventListener("click", () => {
  const caller = "+420 777 123 456";
  const contact = contacts.find((c) => digits(c.phone) === digits(caller));
  if (contact) show(contact, `Incoming call from ${caller}.`);
  run((d) => d.screenPop({ phone: caller }));
});

show(current);
if (framed) {
  const app = new URLSearchParams(location.search).get("app") ?? "http://127.0.0.1:8080";
  const panel = document.getElementById("panel");
  listen(panel);
  try {
    await import(`${app}/embed.js`);
    mounted(await window.TaskDesk.frame(panel, { src: `${app}/embed.html`, database: "acme-crm-framed", user: "7d000000-0000-7000-8000-000000000001", simulator: false }));
  } catch (e) {
    panel.replaceChildren(el("p", { className: "crm-events", role: "alert", textContent: `Taskdesk could not start. ${e.message}` }));
    mounted(null);
  }
} else {
  const element = document.querySelector("task-desk");
  listen(element);
  await customElements.whenDefined("task-desk");
  mounted(await element.ready);
}
