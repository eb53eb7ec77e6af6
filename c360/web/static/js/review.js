// Review queue (steward): possible matches when the server scores them (reviewQueue), conflicts,
// and held-out identifiers; each opens the profiles concerned, where link, unlink, split and
// golden overrides are done with a reason.

import { gql, queryFields } from "./api.js";
import { h, reasonDialog, replace, status, table } from "./ui.js";

const QUEUE = `{ conflicts(first: 100) { profileId displayName conflicts records }
  heldOutIdentifiers(first: 100) { key kind records } }`;

export async function show(section, _params, ctx) {
  replace(section, h("h1", {}, "Review queue"), h("p", { class: "muted" }, "Loading…"));
  const fields = await queryFields();
  const data = await gql(QUEUE);
  const parts = [h("h1", {}, "Review queue")];
  if (fields.has("reviewQueue")) parts.push(await matches(ctx));
  parts.push(
    h("h2", {}, `Conflicts (${data.conflicts.length})`),
    data.conflicts.length
      ? table(["Profile", "Conflicts", "Records"], data.conflicts.map((c) => [
          h("button", { class: "link", onclick: () => ctx.go("profile", { id: c.profileId }) }, c.displayName || c.profileId),
          c.conflicts.join(", "), c.records]), { id: "conflicts" })
      : h("p", { class: "muted" }, "No conflicting profiles."),
    h("h2", {}, `Held-out identifiers (${data.heldOutIdentifiers.length})`),
    h("p", { class: "hint" }, "Shared by more records than their kind allows, so they never merge people. Open one to see who holds it."),
    data.heldOutIdentifiers.length
      ? table(["Identifier", "Kind", "Records", ""], data.heldOutIdentifiers.map((i) => {
          const holders = h("div", {});
          return [i.key, i.kind, i.records, h("div", {},
            h("button", { class: "small", onclick: () => holdersOf(i, holders, ctx) }, "Profiles…"), holders)];
        }), { id: "held-out" })
      : h("p", { class: "muted" }, "No held-out identifiers."),
  );
  replace(section, ...parts);
}

async function holdersOf(identifier, target, ctx) {
  const value = identifier.key.slice(identifier.kind.length + 1);
  const data = await gql(`query($k: String!, $v: String!) { profilesByIdentifier(kind: $k, value: $v) { id pid displayName } }`,
    { k: identifier.kind, v: value });
  replace(target, h("ul", {}, data.profilesByIdentifier.map((p) =>
    h("li", {}, h("button", { class: "link", onclick: () => ctx.go("profile", { id: p.id }) }, p.displayName || p.pid)))));
}

// Possible matches from scoring (reviewQueue): shown only when the server has the field, so the
// page works with and without scoring. Accept / reject (acceptMatch / rejectMatch) need a reason.
async function matches(ctx) {
  const box = h("div", { id: "possible-matches" }, h("h2", {}, "Possible matches"));
  let data;
  try {
    data = await gql(`{ reviewQueue(first: 50) { totalCount edges { node { recordAId recordBId
      recordA { uid fullName } recordB { uid fullName } score { probability matchWeight } } } } }`);
  } catch (error) {
    box.append(h("p", { class: "muted" }, `Possible matches could not be read: ${error.message}`));
    return box;
  }
  const edges = data.reviewQueue?.edges || [];
  const decide = async (name, a, b) => {
    const reason = await reasonDialog(name === "acceptMatch" ? "Same person: link" : "Not the same person: keep apart");
    if (!reason) return;
    try {
      await gql(`mutation($a: ID!, $b: ID!, $r: String) { ${name}(recordA: $a, recordB: $b, reason: $r) { profileIds } }`, { a, b, r: reason });
      status("Decision saved.", "ok");
      ctx.go("review", {}, { replace: true });
    } catch (error) {
      status(error.message, "error");
    }
  };
  box.firstChild.textContent = `Possible matches (${data.reviewQueue?.totalCount ?? 0})`;
  box.append(edges.length
    ? table(["Record A", "Record B", "Probability", "Weight", ""], edges.map(({ node: m }) => [
        `${m.recordA?.uid || ""} ${m.recordA?.fullName || ""}`, `${m.recordB?.uid || ""} ${m.recordB?.fullName || ""}`,
        m.score.probability.toFixed(3), m.score.matchWeight.toFixed(2),
        h("span", {}, h("button", { class: "small", onclick: () => decide("acceptMatch", m.recordAId, m.recordBId) }, "Accept"),
          h("button", { class: "small", onclick: () => decide("rejectMatch", m.recordAId, m.recordBId) }, "Reject"))]), { id: "matches" })
    : h("p", { class: "muted" }, "No possible matches waiting."));
  return box;
}
