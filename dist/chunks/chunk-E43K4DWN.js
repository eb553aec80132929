import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// server/review-page/html.ts
var ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
var Html = class {
  #markup;
  constructor(markup) {
    this.#markup = markup;
  }
  toString() {
    return this.#markup;
  }
};
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}
function render(value) {
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return value.map((item) => render(item)).join("");
  if (value === null || value === void 0 || value === false) return "";
  return escapeHtml(String(value));
}
function html(strings, ...values) {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}
function unsafeRaw(markup) {
  return new Html(markup);
}

export {
  escapeHtml,
  html,
  unsafeRaw
};
