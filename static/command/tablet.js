// Not a module to build on: the browser tests reach the running tablet through this URL.
// Re-exports only; the page loads pages/tablet.js.
export { tablet } from "./pages/tablet.js";
