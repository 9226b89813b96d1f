// `make run`: serves the built app on 127.0.0.1:8080 (PORT), under its strict CSP, allowed to
// call the local sync server of `make sync-server` (127.0.0.1:5984), with the demo CRM at
// /demo-crm/; and the demo CRM again on the next port, another origin, with Taskdesk framed.
import { serve } from "./serve.mjs";

const port = Number(process.env.PORT ?? 8080);
const app = `http://127.0.0.1:${port}`;
const crm = `http://127.0.0.1:${port + 1}`;
await serve({ dir: "dist", port, connect: ["http://127.0.0.1:5984"], frameOrigins: [crm] });
await serve({ dir: "dist/demo-crm", port: port + 1, embeds: [app] });
console.log(`Taskdesk:                       ${app}/`);
console.log(`Demo CRM with the <task-desk> element: ${app}/demo-crm/`);
console.log(`Demo CRM on another origin, framed:    ${crm}/framed.html?app=${encodeURIComponent(app)}`);
