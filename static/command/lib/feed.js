// The live feed the console, the supervisor's map and the tablet share (DESIGN §4): open the
// websocket, then load the REST snapshot, then apply the events that arrived meanwhile and every
// later one, each only if newer than what is held. A dropped socket reconnects with backoff and
// resyncs from a fresh snapshot: delivery through the channel layer is at most once, so the
// snapshot is what makes a missed event harmless. Each snapshot also sets the server clock offset.

import { api } from "./api.js";

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
    this.offsetMs = 0;  // the server's clock minus this browser's, as of the last snapshot
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
      if (snapshot.server_time) this.offsetMs = Date.parse(snapshot.server_time) - Date.now();
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

  // The server's time now, in ms: countdowns run on the server's clock, not the device's.
  now() {
    return Date.now() + this.offsetMs;
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

// A live page's feed, started: `page.load(snapshot)` takes each snapshot, `page.apply(message)`
// each event or reply, `page.showState(state)` each change between "online" and "offline".
export function openFeed(page, { socketPath, snapshotUrl }) {
  return new LiveFeed({
    socketPath, snapshotUrl,
    onSnapshot: (snapshot) => page.load(snapshot), onEvent: (message) => page.apply(message),
    onState: (state) => page.showState(state),
  }).start();
}

// The page's connection line (#live-state), in the page's words.
export function showFeedState(state, ui) {
  const element = document.getElementById("live-state");
  element.dataset.state = state;
  element.textContent = state === "online" ? ui.online : ui.offline;
}
