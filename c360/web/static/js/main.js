// Sign-in, role and navigation. Where the user is lives in history.state (in the tab), never in
// the URL: the address stays /app/ whatever profile is open.

import { ApiError, gql, session } from "./api.js";
import { status } from "./ui.js";
import * as search from "./search.js";
import * as profile from "./profile.js";
import * as graph from "./graph.js";
import * as review from "./review.js";
import * as quality from "./quality.js";
import * as audit from "./audit.js";

const PAGES = { search, profile, graph, review, quality, audit };
const RANK = { app: 0, steward: 1, admin: 2 };

export const ctx = {
  viewer: null,
  get steward() {
    return RANK[this.viewer?.role] >= RANK.steward;
  },
  get admin() {
    return RANK[this.viewer?.role] >= RANK.admin;
  },
  go,
};

function allowed(page) {
  const need = { review: "steward", quality: "steward", audit: "admin" }[page];
  return !need || RANK[ctx.viewer?.role] >= RANK[need];
}

function go(page, params = {}, { replace = false } = {}) {
  const state = { page, params };
  if (replace) history.replaceState(state, "", "/app/");
  else history.pushState(state, "", "/app/");
  render(state);
}

async function render(state) {
  status("");
  for (const section of document.querySelectorAll(".page")) section.hidden = true;
  if (!ctx.viewer) {
    document.getElementById("page-signin").hidden = false;
    return;
  }
  const page = PAGES[state?.page] && allowed(state.page) ? state.page : "search";
  const section = document.getElementById(`page-${page}`);
  section.hidden = false;
  for (const button of document.querySelectorAll("#nav [data-page]")) {
    button.classList.toggle("active", button.dataset.page === page);
  }
  try {
    await PAGES[page].show(section, state?.params || {}, ctx);
  } catch (error) {
    failed(error);
  }
}

export function failed(error) {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
    signOut();
    status(error.message, "error");
    return;
  }
  status(error.message || String(error), "error");
  console.warn(error);
}

async function signIn(token) {
  session.save(token);
  try {
    const data = await gql("{ viewer { name role } }");
    ctx.viewer = data.viewer;
  } catch (error) {
    session.clear();
    ctx.viewer = null;
    throw error;
  }
  document.getElementById("who").textContent = `${ctx.viewer.name} (${ctx.viewer.role})`;
  document.getElementById("who").dataset.role = ctx.viewer.role;
  document.getElementById("nav").hidden = false;
  document.getElementById("signout").hidden = false;
  for (const button of document.querySelectorAll("#nav [data-role]")) {
    button.hidden = RANK[ctx.viewer.role] < RANK[button.dataset.role];
  }
}

function signOut() {
  session.clear();
  ctx.viewer = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("signout").hidden = true;
  document.getElementById("who").textContent = "";
  go("signin", {}, { replace: true });
}

document.getElementById("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("signin-token");
  try {
    await signIn(input.value.trim());
    input.value = "";
    go("search", {}, { replace: true });
  } catch (error) {
    status(`Sign-in failed: ${error.message}`, "error");
  }
});
document.getElementById("signout").addEventListener("click", signOut);
document.getElementById("nav").addEventListener("click", (event) => {
  const page = event.target.closest("[data-page]")?.dataset.page;
  if (page) go(page);
});
window.addEventListener("popstate", (event) => render(event.state));

(async () => {
  if (session.token) {
    try {
      await signIn(session.token);
    } catch (error) {
      status(error.message, "error");
    }
  }
  render(history.state || { page: "search" });
})();
