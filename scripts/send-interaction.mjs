// Plays a telephony or messaging integration: writes one interaction event into a Taskdesk
// database, as an integration would. Every device syncing the database takes it in, and it
// becomes exactly one task (further messages with the same --id join its conversation).
//
//   node scripts/send-interaction.mjs <server URL with credentials> <database> --kind <kind>
//        --contact <phone or email> [--id <interaction id>] [--body <text>] [--subject <text>]
//        [--queue Billing|Support|Sales|Retention] [--outcome connected|no_answer|voicemail|...]
//
// <kind>: email, chat, sms, call, voicemail or web_callback (the same fields as Taskdesk.ingest).
// The credentials are an integration's (a server user with the role taskdesk:integration) or an
// admin's, such as http://admin:taskdesk-admin@127.0.0.1:5984 with `make sync-server`.
import { fileURLToPath } from "node:url";
import { fetchAgain, serverOf } from "./couch-setup.mjs";

/** Writes one interaction event; returns its document id. */
export async function sendInteraction({ url, database, event }) {
  const server = serverOf(url);
  const id = event.id ?? `CLI-${Date.now().toString(36)}`;
  const doc = { _id: `interaction:${id}:${Date.now()}`, type: "interaction", ...event, id };
  const headers = { "content-type": "application/json", ...(server.auth ? { authorization: server.auth } : {}) };
  const res = await fetchAgain(`${server.address}/${encodeURIComponent(database)}/${encodeURIComponent(doc._id)}`, { method: "PUT", headers, body: JSON.stringify(doc) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`The server refused the interaction (${res.status}): ${answer.reason ?? answer.error ?? "no reason given"}`);
  return doc._id;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const [url, database] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  const event = { id: value("--id"), kind: value("--kind"), contact: value("--contact"), body: value("--body") ?? "", subject: value("--subject") ?? "", queue: value("--queue"), outcome: value("--outcome") };
  if (!url || !database || !event.kind || !event.contact) {
    console.error("Usage: node scripts/send-interaction.mjs <server URL with credentials> <database> --kind <email|chat|sms|call|voicemail|web_callback> --contact <phone or email> [--id ID] [--body TEXT] [--subject TEXT] [--queue QUEUE] [--outcome OUTCOME]");
    process.exit(2);
  }
  for (const k of Object.keys(event)) if (event[k] === undefined) delete event[k];
  try {
    console.log(`Sent ${await sendInteraction({ url, database, event })}.`);
  } catch (e) {
    console.error(`send-interaction: ${e.message}`);
    process.exit(1);
  }
}
