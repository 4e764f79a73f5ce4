// Not a module to build on: the browser tests and the fan-out benchmark (command/bench/fanout.py)
// reach the running console through this URL. Re-exports only; the page loads pages/console.js.
export { liveConsole } from "./pages/console.js";
