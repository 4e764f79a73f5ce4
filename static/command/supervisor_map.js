// Not a module to build on: the browser tests reach the running supervisor's map through this URL.
// Re-exports only; the page loads pages/supervisor.js.
export { supervisorMap } from "./pages/supervisor.js";
