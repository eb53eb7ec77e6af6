// One profile: golden values with provenance, identifiers, source records, touchpoints,
// consents, household, organizations and history; steward actions each with a reason.

import { gql } from "./api.js";
import { h, reasonDialog, replace, status, table, when } from "./ui.js";

const APP_FIELDS = `id pid displayName firstName lastName birthDate email phone recordCount sources createdAt updatedAt
  address { street city postcode country }
  golden { field value source rule at recordId candidates { value source at recordId } }
  identifiers { id key kind value sources firstSeen lastSeen heldOut }
  consents { purpose channel status at source }
  household { id hid address size evidence members { id pid displayName } }
  organizations { relation title role since until organization { id name } }`;

const STEWARD_FIELDS = `restricted
  consents { purpose channel status at source evidence by }
  records { id uid source sourceId fullName birthDate city updatedAt raw }
  mergeHistory { id at kind reason by recordIds fromProfileIds }`;

const TOUCHPOINTS = `query Touchpoints($id: ID!, $channel: String) {
  profile(id: $id) { touchpoints(first: 50, channel: $channel) {
    totalCount edges { node { id channel type at amount currency campaign subject page } } } }
}`;

const GOLDEN_FIELDS = ["FIRST_NAME", "LAST_NAME", "BIRTH_DATE", "STREET", "CITY", "POSTCODE", "COUNTRY", "EMAIL", "PHONE"];

export async function show(section, params, ctx) {
  const query = `query Profile($id: ID!) { profile(id: $id) { ${APP_FIELDS} ${ctx.steward ? STEWARD_FIELDS : ""} } }`;
  replace(section, h("p", { class: "muted" }, "Loading…"));
  const { profile: p } = await gql(query, { id: params.id });
  if (!p) {
    replace(section, h("h1", {}, "Profile"), h("p", {}, "No such profile (or not visible to you)."));
    return;
  }
  const reload = () => show(section, { id: p.id }, ctx);
  replace(
    section,
    h(
      "h1",
      {},
      p.displayName || p.pid,
      " ",
      h("small", { class: "muted" }, p.pid),
      p.restricted ? h("span", { class: "badge warn" }, "restricted") : null,
    ),
    h(
      "p",
      { class: "actions" },
      h("button", { onclick: () => ctx.go("graph", { id: p.id, label: p.displayName || p.pid }) }, "Show in graph"),
      ctx.steward ? h("button", { id: "split-profile", onclick: () => split(p, reload) }, "Split profile…") : null,
    ),
    h(
      "dl",
      { class: "facts" },
      fact("Email", p.email),
      fact("Phone", p.phone),
      fact("Birth date", p.birthDate),
      fact("Address", [p.address?.street, p.address?.postcode, p.address?.city, p.address?.country].filter(Boolean).join(", ")),
      fact("Records", `${p.recordCount} from ${p.sources.join(", ")}`),
      fact("Created / updated", `${when(p.createdAt)} / ${when(p.updatedAt)}`),
    ),
    h("h2", {}, "Golden values"),
    goldenTable(p, ctx, reload),
    h("h2", {}, "Identifiers"),
    table(
      ["Kind", "Value", "Sources", "First seen", "Last seen", ""],
      p.identifiers.map((i) => [i.kind, i.value, i.sources.join(", "), when(i.firstSeen), when(i.lastSeen),
        i.heldOut ? h("span", { class: "badge warn", title: "Shared by too many records: not used for merging" }, "held out") : ""]),
      { id: "identifiers" },
    ),
    ctx.steward ? recordsSection(p, reload) : null,
    h("h2", {}, "Touchpoints"),
    touchpointsSection(p),
    h("h2", {}, "Consents"),
    p.consents.length
      ? table(["Purpose", "Channel", "Status", "At", "Source", ...(ctx.steward ? ["Evidence", "By"] : [])],
          p.consents.map((c) => [c.purpose, c.channel, c.status, when(c.at), c.source, ...(ctx.steward ? [c.evidence, c.by] : [])]))
      : h("p", { class: "muted" }, "No consent statements."),
    h("h2", {}, "Household"),
    p.household
      ? h("div", {}, h("p", {}, `${p.household.hid} · ${p.household.address || ""} · evidence: ${p.household.evidence.join(", ")}`),
          h("ul", {}, p.household.members.map((m) =>
            h("li", {}, m.id === p.id ? `${m.displayName} (this profile)` :
              h("button", { class: "link", onclick: () => ctx.go("profile", { id: m.id }) }, m.displayName || m.pid)))))
      : h("p", { class: "muted" }, "No household."),
    h("h2", {}, "Organizations"),
    p.organizations.length
      ? table(["Organization", "Relation", "Title / role", "Since", "Until"],
          p.organizations.map((o) => [o.organization.name, o.relation, o.title || o.role, o.since, o.until]))
      : h("p", { class: "muted" }, "None."),
    ctx.steward ? h("h2", {}, "Merge and split history") : null,
    ctx.steward
      ? table(["At", "Kind", "By", "Reason", "Records"],
          p.mergeHistory.map((e) => [when(e.at), e.kind, e.by, e.reason, e.recordIds.length]), { id: "history" })
      : null,
  );
}

function fact(name, value) {
  return [h("dt", {}, name), h("dd", {}, value || "—")];
}

function goldenTable(p, ctx, reload) {
  return table(
    ["Field", "Value", "Rule", "Source", "Candidates", ...(ctx.steward ? [""] : [])],
    p.golden.map((g) => [
      g.field,
      g.value,
      g.rule,
      g.source,
      h("details", {}, h("summary", {}, `${g.candidates.length}`),
        h("ul", {}, g.candidates.map((c) => h("li", {}, `${c.value ?? "∅"} — ${c.source || ""} ${when(c.at)}`)))),
      ...(ctx.steward && GOLDEN_FIELDS.includes(g.field.toUpperCase())
        ? [h("button", { class: "small", onclick: () => override(p, g, reload) }, "Override…")]
        : ctx.steward ? [""] : []),
    ]),
    { id: "golden" },
  );
}

async function override(p, g, reload) {
  const value = prompt(`New value for ${g.field} (empty withdraws the override)`, g.value || "");
  if (value === null) return;
  const reason = await reasonDialog(`Override ${g.field}`);
  if (!reason) return;
  await act(
    `mutation($id: ID!, $f: GoldenField!, $v: String, $r: String) { setGoldenValue(profileId: $id, field: $f, value: $v, reason: $r) { id } }`,
    { id: p.id, f: g.field.toUpperCase(), v: value.trim() || null, r: reason },
    "Golden value saved.",
    reload,
  );
}

async function split(p, reload) {
  const reason = await reasonDialog(`Split ${p.displayName || p.pid} into one profile per record`);
  if (!reason) return;
  await act(`mutation($id: ID!, $r: String) { splitProfile(id: $id, reason: $r) { profileIds } }`,
    { id: p.id, r: reason }, "Profile split.", reload);
}

async function act(mutation, variables, done, reload) {
  try {
    await gql(mutation, variables);
    await reload();
    status(done, "ok");
  } catch (error) {
    status(error.message, "error");
  }
}

function recordsSection(p, reload) {
  const chosen = new Set();
  const buttons = [
    h("button", { id: "unlink-records", disabled: true, onclick: () => pair("unlinkRecords", "Keep these two records apart (not the same person)") }, "Not the same person (unlink)…"),
    h("button", { id: "link-records", disabled: true, onclick: () => pair("linkRecords", "Keep these two records together (same person)") }, "Same person (link)…"),
  ];
  async function pair(name, title) {
    const [a, b] = [...chosen];
    const reason = await reasonDialog(title);
    if (!reason) return;
    await act(`mutation($a: ID!, $b: ID!, $r: String) { ${name}(recordA: $a, recordB: $b, reason: $r) { profileIds } }`,
      { a, b, r: reason }, name === "unlinkRecords" ? "Records unlinked." : "Records linked.", reload);
  }
  const rows = p.records.map((r) => {
    const box = h("input", { type: "checkbox", "aria-label": `Select ${r.uid}`, dataset: { uid: r.uid } });
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(r.id);
      else chosen.delete(r.id);
      buttons.forEach((b) => (b.disabled = chosen.size !== 2));
    });
    return h("tr", {}, h("td", {}, box), h("td", {}, r.uid), h("td", {}, r.fullName || ""), h("td", {}, r.birthDate || ""),
      h("td", {}, r.city || ""), h("td", {}, when(r.updatedAt)),
      h("td", {}, h("details", {}, h("summary", {}, "raw"), h("pre", {}, pretty(r.raw)))));
  });
  return [
    h("h2", {}, "Source records"),
    table(["", "Record", "Name", "Birth date", "City", "Updated", "Raw row"], rows, { id: "records" }),
    h("p", { class: "actions" }, "Select two records: ", buttons),
  ];
}

function pretty(raw) {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw || "";
  }
}

function touchpointsSection(p) {
  const list = h("div", { id: "touchpoints" });
  const select = h("select", { "aria-label": "Channel" }, h("option", { value: "" }, "All channels"));
  const load = async (channel) => {
    const data = await gql(TOUCHPOINTS, { id: p.id, channel: channel || null });
    const { totalCount, edges } = data.profile.touchpoints;
    if (!channel) {
      const channels = [...new Set(edges.map((e) => e.node.channel).filter(Boolean))].sort();
      select.replaceChildren(h("option", { value: "" }, "All channels"), ...channels.map((c) => h("option", { value: c }, c)));
    }
    replace(list, h("p", { class: "muted" }, `${totalCount} touchpoints${totalCount > edges.length ? `, newest ${edges.length} shown` : ""}`),
      h("ol", { class: "timeline" }, edges.map(({ node: t }) =>
        h("li", {}, h("time", {}, when(t.at)), h("span", { class: "badge" }, t.channel || "?"), " ", t.type || "",
          t.amount != null ? ` ${t.amount} ${t.currency || ""}` : "", t.campaign ? ` · ${t.campaign}` : "",
          t.subject ? ` · ${t.subject}` : "", t.page ? ` · ${t.page}` : ""))));
  };
  select.addEventListener("change", () => load(select.value).catch((e) => status(e.message, "error")));
  load("").catch((e) => status(e.message, "error"));
  return h("div", {}, h("label", {}, "Channel ", select), list);
}

