// Graph explorer (Cytoscape.js): the neighbourhood of an entity, expand and collapse, filter by
// relationship type, shortest path between two entities, and why two records are one person.

import { gql, globalId } from "./api.js";
import { h, reasonDialog, replace, status } from "./ui.js";

const NEIGHBORHOOD = `query N($id: ID!, $depth: Int!) { neighborhood(id: $id, depth: $depth, limit: 80) {
  truncated nodes { id type label } edges { type source target } } }`;
const PATH = `query P($a: ID!, $b: ID!) { path(fromId: $a, toId: $b, maxDepth: 6) { nodes { id type label } edges { type source target } } }`;
const EXPLAIN = `query E($a: ID!, $b: ID!) { explainLink(recordA: $a, recordB: $b) {
  linked steps { kind recordId source identifierKey identifierKind rule } } }`;

const COLORS = {
  Profile: "#2b6cb0", SourceRecord: "#38a169", Identifier: "#d69e2e", Household: "#805ad5",
  Organization: "#c53030", Account: "#dd6b20", Device: "#718096", Touchpoint: "#a0aec0",
};

let cy = null;
let state = { root: null, picked: [] };
let els = {};

export async function show(section, params, ctx) {
  if (!cy) build(section, ctx);
  if (params.id && params.id !== state.root) {
    state.root = params.id;
    await load(params.id, ctx);
  } else if (!state.root) {
    els.info.textContent = "Open a profile and choose “Show in graph”, or search first.";
  }
  cy.resize();
}

function build(section, ctx) {
  els.canvas = h("div", { id: "cy", role: "img", "aria-label": "Relationship graph" });
  els.filters = h("fieldset", { class: "filters" }, h("legend", {}, "Relationships"));
  els.info = h("div", { id: "graph-info", class: "muted" });
  els.picked = h("div", { id: "graph-picked" });
  els.explain = h("ol", { id: "graph-explain" });
  els.depth = h("select", { "aria-label": "Depth" }, [1, 2, 3].map((d) => h("option", { value: d }, `depth ${d}`)));
  replace(
    section,
    h("h1", {}, "Graph explorer"),
    h("div", { class: "graph-layout" },
      els.canvas,
      h("aside", {},
        h("p", { class: "hint" }, "Click a node to select it (two at most); double-click to expand or collapse it."),
        h("p", {}, els.depth, " ", h("button", { id: "graph-reload", onclick: () => state.root && load(state.root, ctx) }, "Reload")),
        els.filters,
        h("h3", {}, "Selected"),
        els.picked,
        els.info,
        h("ol", { id: "graph-explain-list" }),
        els.explain)),
  );
  cy = cytoscape({
    container: els.canvas,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": (n) => COLORS[n.data("type")] || "#999",
        width: 18, height: 18, color: "#222", "text-valign": "bottom", "text-wrap": "ellipsis", "text-max-width": 110 } },
      { selector: "node[type = 'Profile']", style: { width: 28, height: 28, shape: "round-rectangle" } },
      { selector: "node.root", style: { "border-width": 3, "border-color": "#1a202c" } },
      { selector: "node:selected, node.picked", style: { "border-width": 4, "border-color": "#e53e3e" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#cbd5e0", "target-arrow-shape": "triangle",
        "target-arrow-color": "#cbd5e0", "curve-style": "bezier", label: "data(type)", "font-size": 7, color: "#718096" } },
      { selector: ".hl", style: { "line-color": "#e53e3e", "target-arrow-color": "#e53e3e", width: 3, "border-width": 4, "border-color": "#e53e3e" } },
      { selector: ".filtered", style: { display: "none" } },
    ],
  });
  window.c360 = { cy }; // for the browser tests and the console: the live graph
  cy.on("tap", "node", (e) => pick(e.target, ctx));
  cy.on("dbltap", "node", (e) => toggle(e.target, ctx));
}

function add(view, owner) {
  const added = [];
  cy.batch(() => {
    for (const n of view.nodes) {
      if (cy.getElementById(n.id).empty()) {
        added.push(cy.add({ group: "nodes", data: { id: n.id, type: n.type, label: `${n.type}: ${n.label}`, owner } }));
      }
    }
    for (const e of view.edges) {
      const id = `${e.source}|${e.type}|${e.target}`;
      if (cy.getElementById(id).empty()) added.push(cy.add({ group: "edges", data: { id, source: e.source, target: e.target, type: e.type, owner } }));
    }
  });
  return added;
}

function layout() {
  cy.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true, randomize: false }).run();
}

async function load(id, ctx) {
  status("");
  const data = await gql(NEIGHBORHOOD, { id, depth: Number(els.depth.value) });
  cy.elements().remove();
  state.picked = [];
  els.explain.replaceChildren();
  if (!data.neighborhood) {
    els.info.textContent = "Nothing to show (no such entity, or not visible to you).";
    return;
  }
  add(data.neighborhood, null);
  cy.getElementById(id).addClass("root");
  filters();
  layout();
  cy.fit(undefined, 30);
  els.info.textContent = `${cy.nodes().length} nodes, ${cy.edges().length} relationships${data.neighborhood.truncated ? " (cut short)" : ""}`;
  showPicked(ctx);
}

async function toggle(node, ctx) {
  const id = node.id();
  const owned = cy.elements().filter((el) => el.data("owner") === id);
  if (owned.length) {
    // Collapse: remove what expanding this node added, and what expanding those added.
    const gone = new Set([id]);
    let grew = true;
    while (grew) {
      grew = false;
      cy.elements().forEach((el) => {
        if (gone.has(el.data("owner")) && el.isNode() && !gone.has(el.id())) {
          gone.add(el.id());
          grew = true;
        }
      });
    }
    cy.elements().filter((el) => gone.has(el.data("owner"))).remove();
    node.data("expanded", false);
  } else {
    const data = await gql(NEIGHBORHOOD, { id, depth: 1 });
    if (data.neighborhood) add(data.neighborhood, id);
    node.data("expanded", true);
    filters();
    layout();
  }
  els.info.textContent = `${cy.nodes().length} nodes, ${cy.edges().length} relationships`;
  showPicked(ctx);
}

function filters() {
  const types = [...new Set(cy.edges().map((e) => e.data("type")))].sort();
  const checked = new Set([...els.filters.querySelectorAll("input:checked")].map((i) => i.value));
  const known = new Set([...els.filters.querySelectorAll("input")].map((i) => i.value));
  els.filters.replaceChildren(h("legend", {}, "Relationships"), ...types.map((t) => {
    const box = h("input", { type: "checkbox", value: t, checked: !known.has(t) || checked.has(t) });
    box.addEventListener("change", apply);
    return h("label", {}, box, ` ${t}`);
  }));
  apply();
}

function apply() {
  const on = new Set([...els.filters.querySelectorAll("input:checked")].map((i) => i.value));
  cy.batch(() => {
    cy.edges().forEach((e) => e.toggleClass("filtered", !on.has(e.data("type"))));
    // A node that only hidden relationships reach is hidden too (the root never is).
    cy.nodes().forEach((n) => n.toggleClass("filtered", !n.hasClass("root") && n.connectedEdges(":visible").length === 0 && n.connectedEdges().length > 0));
  });
}

function pick(node, ctx) {
  const id = node.id();
  state.picked = state.picked.includes(id) ? state.picked.filter((x) => x !== id) : [...state.picked, id].slice(-2);
  cy.nodes().removeClass("picked");
  state.picked.forEach((p) => cy.getElementById(p).addClass("picked"));
  showPicked(ctx);
}

function showPicked(ctx) {
  state.picked = state.picked.filter((id) => cy.getElementById(id).nonempty());
  const nodes = state.picked.map((id) => cy.getElementById(id));
  const both = nodes.length === 2;
  const records = both && nodes.every((n) => n.data("type") === "SourceRecord");
  replace(
    els.picked,
    nodes.length ? h("ul", {}, nodes.map((n) => h("li", {}, n.data("label")))) : h("p", { class: "muted" }, "None"),
    nodes.length === 1 && nodes[0].data("type") === "Profile"
      ? h("button", { onclick: () => ctx.go("profile", { id: nodes[0].id() }) }, "Open profile") : null,
    both ? h("button", { id: "graph-path", onclick: () => path(nodes).catch(fail) }, "Shortest path") : null,
    records && ctx.steward ? h("button", { id: "graph-explain-btn", onclick: () => explain(nodes).catch(fail) }, "Why one person?") : null,
    records && ctx.steward ? h("button", { id: "graph-unlink", onclick: () => unlink(nodes, ctx).catch(fail) }, "Not the same person (unlink)…") : null,
  );
}

function fail(error) {
  status(error.message, "error");
}

function highlight(view) {
  cy.elements().removeClass("hl");
  add(view, "path");
  filters();
  view.nodes.forEach((n) => cy.getElementById(n.id).addClass("hl"));
  view.edges.forEach((e) => cy.getElementById(`${e.source}|${e.type}|${e.target}`).addClass("hl"));
  layout();
}

async function path(nodes) {
  const data = await gql(PATH, { a: nodes[0].id(), b: nodes[1].id() });
  if (!data.path) {
    els.info.textContent = "No path within 6 steps.";
    return;
  }
  highlight(data.path);
  els.info.textContent = `Path: ${data.path.nodes.length - 1} steps`;
}

async function explain(nodes) {
  const data = await gql(EXPLAIN, { a: nodes[0].id(), b: nodes[1].id() });
  const e = data.explainLink;
  if (!e || !e.linked) {
    els.info.textContent = "These records are not linked.";
    replace(els.explain);
    return;
  }
  // The chain as a graph: record - identifier - record ..., highlighted over the view.
  const chain = { nodes: [], edges: [] };
  let last = null;
  for (const step of e.steps) {
    let id;
    if (step.kind === "RECORD") {
      id = step.recordId;
      chain.nodes.push({ id, type: "SourceRecord", label: cy.getElementById(id).data("label")?.replace(/^SourceRecord: /, "") || step.source || "record" });
    } else if (step.kind === "IDENTIFIER") {
      id = globalId("Identifier", step.identifierKey);
      chain.nodes.push({ id, type: "Identifier", label: step.identifierKey });
    } else {
      last = last && { ...last, steward: true };
      continue;
    }
    if (last && last.steward) chain.edges.push({ source: last.id, target: id, type: "SAME_AS" });
    else if (last) chain.edges.push(step.kind === "RECORD" ? { source: id, target: last.id, type: "HAS_IDENTIFIER" } : { source: last.id, target: id, type: "HAS_IDENTIFIER" });
    last = { id };
  }
  highlight(chain);
  replace(els.explain, e.steps.map((s) =>
    h("li", {}, s.kind === "RECORD" ? `record (${s.source})` : s.kind === "IDENTIFIER" ? `${s.identifierKey} — rule ${s.rule || s.identifierKind}` : "steward link")));
  els.info.textContent = "Why these records are one person:";
}

async function unlink(nodes, ctx) {
  const reason = await reasonDialog("Keep these two records apart (not the same person)");
  if (!reason) return;
  await gql(`mutation($a: ID!, $b: ID!, $r: String) { unlinkRecords(recordA: $a, recordB: $b, reason: $r) { profileIds } }`,
    { a: nodes[0].id(), b: nodes[1].id(), r: reason });
  await load(state.root, ctx);
  status("Records unlinked; the graph shows the profiles as they are now.", "ok");
}
