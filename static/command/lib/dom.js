// What every page reads from and writes into its HTML: the server's JSON script tags, escaped text.

export function readJson(id) {
  const tag = document.getElementById(id);
  return tag ? JSON.parse(tag.textContent) : null;
}

export function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = String(text ?? "");
  return span.innerHTML;
}
