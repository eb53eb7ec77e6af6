// Audit log (admin): who did what to whose data, filterable by time, actor and action.

import { gql } from "./api.js";
import { h, replace, table, when } from "./ui.js";

const QUERY = `query A($since: DateTime, $actor: String, $action: String) {
  auditLog(since: $since, actor: $actor, action: $action, first: 500) { id at actor action target reason details } }`;

let form = null;

export async function show(section) {
  if (!form) {
    const since = h("input", { type: "datetime-local", name: "since", "aria-label": "Since" });
    const actor = h("input", { type: "text", name: "actor", placeholder: "actor", "aria-label": "Actor" });
    const action = h("input", { type: "text", name: "action", placeholder: "action (steward, consent, api.read_pii…)", "aria-label": "Action" });
    const results = h("div", { id: "audit-results" });
    form = h("form", { class: "filters-row" }, since, actor, action, h("button", { type: "submit" }, "Filter"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load(results, {
        since: since.value ? new Date(since.value).toISOString() : null,
        actor: actor.value.trim() || null,
        action: action.value.trim() || null,
      });
    });
    replace(section, h("h1", {}, "Audit log"), form, results);
  }
  await load(section.querySelector("#audit-results"), {});
}

async function load(results, filter) {
  const data = await gql(QUERY, filter);
  const rows = data.auditLog.slice().reverse(); // newest first on screen
  const shown = Object.entries(filter).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(", ");
  replace(results, h("p", { class: "muted", id: "audit-summary" }, `${rows.length} entries, newest first${shown ? ` (${shown})` : ""}`),
    table(["At", "Actor", "Action", "Target", "Reason", "Details"], rows.map((e) => [when(e.at), e.actor, e.action,
      e.target.join(", "), e.reason, JSON.stringify(e.details)]), { id: "audit-table" }));
}
