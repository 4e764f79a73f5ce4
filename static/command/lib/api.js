// JSON over fetch with the session cookie, and Django's CSRF token on every write.

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// Throws an Error carrying `status` and `body` (no `status`: the network failed, not the server).
export async function api(url, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}),
               ...(method === "GET" ? {} : { "X-CSRFToken": csrfToken() }), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(messageOf(data) || `HTTP ${response.status}`);
    Object.assign(error, { status: response.status, body: data });
    throw error;
  }
  return data;
}

// The server's own words, without its field names: a form shows them beside its fields (error.body).
function messageOf(data) {
  if (!data) return "";
  if (typeof data.detail === "string") return data.detail;
  return Object.values(data).flatMap((value) => (typeof value === "object" && value !== null && !Array.isArray(value)
    ? [messageOf(value)] : [].concat(value))).join(" ");
}
