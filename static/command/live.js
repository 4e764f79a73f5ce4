// The live feed both pages share (DESIGN §4): open the websocket, then load the REST snapshot, then
// apply the events that arrived meanwhile and every later one, each only if newer than what is held.
// A dropped socket reconnects with backoff and resyncs from a fresh snapshot: delivery through the
// channel layer is at most once, so the snapshot is what makes a missed event harmless.

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// JSON over fetch with the session cookie and the CSRF token; throws an Error carrying `status` and `body`.
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

function messageOf(data) {
  if (!data) return "";
  if (typeof data.detail === "string") return data.detail;
  return Object.entries(data).map(([key, value]) => `${key}: ${[].concat(value).join(" ")}`).join("; ");
}

// Rows by id, each kept only if its version is not older than the one held.
export class Versioned extends Map {
  offer(row) {
    const held = this.get(row.id);
    if (held && row.version !== undefined && held.version !== undefined && row.version < held.version) return false;
    this.set(row.id, held ? { ...held, ...row } : row);
    return true;
  }
}

export class LiveFeed {
  constructor({ socketPath, snapshotUrl, onSnapshot, onEvent, onState = () => {} }) {
    Object.assign(this, { socketPath, snapshotUrl, onSnapshot, onEvent, onState });
    this.socket = null;
    this.synced = false;
    this.backlog = [];
    this.retries = 0;
    this.stopped = false;
    this.resyncs = 0;
  }

  start() {
    this.stopped = false;
    this.open();
    return this;
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}${this.socketPath}`);
    this.socket = socket;
    this.synced = false;
    this.backlog = [];
    socket.addEventListener("open", () => this.resync(socket));
    socket.addEventListener("message", (message) => this.receive(JSON.parse(message.data)));
    socket.addEventListener("close", () => this.closed(socket));
  }

  async resync(socket) {
    try {
      const snapshot = await api(this.snapshotUrl);
      if (socket !== this.socket) return;
      this.onSnapshot(snapshot);
      this.synced = true;
      this.retries = 0;
      this.resyncs += 1;
      for (const message of this.backlog.splice(0)) this.onEvent(message);
      this.onState("online");
    } catch (error) {
      socket.close();  // try again from the start: a new socket, a new snapshot
    }
  }

  receive(message) {
    if (!message.event) { this.onEvent(message); return; }  // replies (fixes.result, errors)
    if (this.synced) this.onEvent(message);
    else this.backlog.push(message);
  }

  closed(socket) {
    if (socket !== this.socket) return;
    this.synced = false;
    this.onState("offline");
    if (this.stopped) return;
    const delay = Math.min(10000, 500 * 2 ** this.retries);
    this.retries += 1;
    setTimeout(() => { if (!this.stopped) this.open(); }, delay);
  }

  get online() {
    return this.synced && this.socket && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.online) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  // Drop the connection as a network cut would; it comes back by itself (used by the browser tests).
  drop() {
    if (this.socket) this.socket.close();
  }

  // Stay off until resume(): a longer cut, during which the server moves on without us.
  pause() {
    this.stopped = true;
    this.drop();
  }

  resume() {
    if (!this.stopped) return;
    this.retries = 0;
    this.start();
  }
}

export function readJson(id) {
  const tag = document.getElementById(id);
  return tag ? JSON.parse(tag.textContent) : null;
}

export function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = String(text ?? "");
  return span.innerHTML;
}

// "2:05" or "-0:40" for a number of seconds.
export function clock(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const whole = Math.abs(Math.round(seconds));
  return `${sign}${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
