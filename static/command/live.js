// Not a module to build on: the browser tests call the API through this URL. Re-exports only;
// modules import from lib/ directly.
export { api, csrfToken } from "./lib/api.js";
export { clock } from "./lib/clock.js";
export { escapeHtml, readJson } from "./lib/dom.js";
export { LiveFeed, Versioned } from "./lib/feed.js";
