// Small DOM helpers: every value is set as text, never parsed as HTML (source data is untrusted).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function table(headers, rows, attrs = {}) {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((cells) => (cells instanceof Node ? cells : h("tr", {}, cells.map((c) => h("td", {}, c ?? "")))))),
  );
}

export function when(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace("T", " ").slice(0, 16);
}

export function status(message, kind = "info") {
  const el = document.getElementById("status");
  el.textContent = message || "";
  el.className = message ? kind : "";
}

/** Ask for a reason before a steward action; null when cancelled. */
export function reasonDialog(title) {
  return new Promise((resolve) => {
    const input = h("input", { type: "text", name: "reason", required: true, maxlength: 500, "aria-label": "Reason" });
    const dialog = h(
      "dialog",
      { class: "reason" },
      h(
        "form",
        { method: "dialog" },
        h("h3", {}, title),
        h("label", {}, "Reason ", input),
        h("menu", {}, h("button", { value: "cancel", formnovalidate: true }, "Cancel"), h("button", { value: "ok" }, "Confirm")),
      ),
    );
    dialog.addEventListener("close", () => {
      const ok = dialog.returnValue === "ok" && input.value.trim();
      dialog.remove();
      resolve(ok ? input.value.trim() : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
