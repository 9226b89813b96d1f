// The email frame's one script (T3). The frame is sandboxed without same-origin, so this page is
// an opaque origin that can reach nothing of the app. It asks the page that framed it for the
// email ({ taskdesk: "email-frame-ready" }); that page answers once per frame address with one message,
// { taskdesk: "email", html, policy, theme }: the policy goes in first (a <meta> Content-Security-Policy:
// nothing runs or loads, images only once the agent allowed them), then the app's colours
// (light, dark, or the system's), then the sanitised email, parsed inert and moved in; no later
// message is heard.
addEventListener("message", function show(event) {
  const m = event.data;
  if (event.source !== parent || m?.taskdesk !== "email" || typeof m.html !== "string" || typeof m.policy !== "string") return;
  removeEventListener("message", show);
  const lock = document.createElement("meta");
  lock.httpEquiv = "Content-Security-Policy";
  lock.content = m.policy;
  document.head.append(lock);
  document.documentElement.style.colorScheme = m.theme === "dark" ? "dark" : m.theme === "light" ? "light" : "light dark";
  const email = new DOMParser().parseFromString(m.html, "text/html");
  document.body.replaceChildren(...email.body.childNodes);
});
parent.postMessage({ taskdesk: "email-frame-ready" }, "*");
