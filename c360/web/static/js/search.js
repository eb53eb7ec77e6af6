// Search as you type over names, emails, phones, organizations and ids (searchProfiles).

import { gql } from "./api.js";
import { h, replace } from "./ui.js";

const QUERY = `query Search($q: String!) {
  searchProfiles(query: $q, first: 20) {
    totalCount
    edges { node { id pid displayName email phone address { city country } sources recordCount
                   organizations { organization { name } } } }
  }
}`;

let built = false;
let timer = null;
let seq = 0;
let lastQuery = "";

export async function show(section, _params, ctx) {
  if (!built) {
    built = true;
    const input = h("input", {
      id: "search-input", type: "search", placeholder: "Name, email, phone, organization, id…",
      autocomplete: "off", "aria-label": "Search",
    });
    const results = h("div", { id: "search-results" });
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => run(input.value, results, ctx), 200);
    });
    replace(section, h("h1", {}, "Search"), input, results);
  }
  section.querySelector("#search-input").focus();
}

async function run(text, results, ctx) {
  const q = text.trim();
  if (q === lastQuery) return;
  lastQuery = q;
  const mine = ++seq;
  if (q.length < 2) {
    replace(results);
    return;
  }
  let data;
  try {
    data = await gql(QUERY, { q });
  } catch (error) {
    replace(results, h("p", { class: "error" }, error.message));
    return;
  }
  if (mine !== seq) return; // a newer keystroke's answer wins
  const { totalCount, edges } = data.searchProfiles;
  replace(
    results,
    h("p", { class: "muted" }, `${totalCount} found`),
    h(
      "ul",
      { class: "results" },
      edges.map(({ node }) =>
        h(
          "li",
          {},
          h("button", { class: "link result", onclick: () => ctx.go("profile", { id: node.id }) }, node.displayName || node.pid),
          h(
            "span",
            { class: "snippet" },
            [node.email, node.phone, [node.address?.city, node.address?.country].filter(Boolean).join(", "),
             node.organizations.map((o) => o.organization.name).join(", "),
             `${node.recordCount} records: ${node.sources.join(", ")}`, node.pid]
              .filter(Boolean)
              .join(" · "),
          ),
        ),
      ),
    ),
  );
}
