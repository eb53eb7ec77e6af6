// Data-quality and customer-base dashboard (steward): counts and charts from dataQuality.

import { gql } from "./api.js";
import { h, replace, table } from "./ui.js";

const QUERY = `{ dataQuality {
  profiles records households identifiers heldOutIdentifiers conflicts restricted touchpoints duplicateRate
  sources { source records fields { field present } }
  sourceOverlap { sources profiles }
  profileSizes { size profiles }
  daily { day records profiles }
  quarantine { file rows } } }`;

const charts = [];

export async function show(section) {
  replace(section, h("h1", {}, "Data quality"), h("p", { class: "muted" }, "Loading…"));
  const { dataQuality: q } = await gql(QUERY);
  charts.splice(0).forEach((c) => c.destroy());
  const canvas = (id) => h("div", { class: "chart-box" }, h("canvas", { id }));
  const fields = q.sources[0]?.fields.map((f) => f.field) || [];
  replace(
    section,
    h("h1", {}, "Data quality"),
    h("div", { class: "cards", id: "quality-cards" },
      card("Profiles", q.profiles), card("Records", q.records), card("Duplicate rate", `${(q.duplicateRate * 100).toFixed(1)} %`),
      card("Households", q.households), card("Identifiers", q.identifiers), card("Held out", q.heldOutIdentifiers),
      card("Conflicts", q.conflicts), card("Restricted", q.restricted), card("Touchpoints", q.touchpoints),
      card("Quarantined rows", q.quarantine.reduce((n, f) => n + f.rows, 0))),
    h("div", { class: "charts" },
      h("figure", {}, h("figcaption", {}, "Records per source"), canvas("chart-sources")),
      h("figure", {}, h("figcaption", {}, "Profiles by number of records"), canvas("chart-sizes")),
      h("figure", {}, h("figcaption", {}, "Source overlap (profiles per combination of sources)"), canvas("chart-overlap")),
      h("figure", {}, h("figcaption", {}, "Growth: records and profiles per day"), canvas("chart-daily"))),
    h("h2", {}, "Completeness per field and source"),
    table(["Source", "Records", ...fields], q.sources.map((s) => [s.source, s.records,
      ...s.fields.map((f) => pct(f.present, s.records))]), { id: "completeness" }),
    h("h2", {}, "Quarantine (rows per load file, newest first)"),
    q.quarantine.length ? table(["File", "Rows"], q.quarantine.map((f) => [f.file, f.rows]), { id: "quarantine" })
      : h("p", { class: "muted" }, "Nothing quarantined."),
  );
  const bar = (id, labels, data, label, horizontal = false) =>
    charts.push(new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels, datasets: [{ label, data, backgroundColor: "#4299e1" }] },
      options: { animation: false, indexAxis: horizontal ? "y" : "x", plugins: { legend: { display: false } }, maintainAspectRatio: false },
    }));
  bar("chart-sources", q.sources.map((s) => s.source), q.sources.map((s) => s.records), "records");
  bar("chart-sizes", q.profileSizes.map((s, i, all) => (i === all.length - 1 && s.size >= 6 ? `${s.size}+` : String(s.size))),
    q.profileSizes.map((s) => s.profiles), "profiles");
  bar("chart-overlap", q.sourceOverlap.map((o) => o.sources.join(" + ")), q.sourceOverlap.map((o) => o.profiles), "profiles", true);
  charts.push(new Chart(document.getElementById("chart-daily"), {
    type: "line",
    data: { labels: q.daily.map((d) => d.day), datasets: [
      { label: "records", data: q.daily.map((d) => d.records), borderColor: "#38a169" },
      { label: "profiles", data: q.daily.map((d) => d.profiles), borderColor: "#2b6cb0" }] },
    options: { animation: false, maintainAspectRatio: false },
  }));
}

function card(name, value) {
  return h("div", { class: "card" }, h("div", { class: "value" }, value), h("div", { class: "name" }, name));
}

function pct(n, of) {
  return of ? `${Math.round((100 * n) / of)} %` : "—";
}
