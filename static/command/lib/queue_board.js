// The queue display: the tickets called and their counters, fetched every few seconds from the API.
import { api } from "./api.js";
import { escapeHtml } from "./dom.js";

export function startQueueBoard(board, { everyMs = 3000 } = {}) {
  const state = { timer: null, last: null };
  const refresh = async () => {
    try {
      render(board, await api(board.dataset.url));
    } catch (error) {
      board.dataset.error = error.message;
    }
  };
  refresh();
  state.timer = setInterval(refresh, everyMs);
  return { stop: () => clearInterval(state.timer), refresh };
}

export function render(board, data) {
  const label = board.dataset.counterLabel;
  const rows = data.called.map((ticket) =>
    `<li data-ticket="${escapeHtml(ticket.number)}"><span class="number">${escapeHtml(ticket.number)}</span> ` +
    `<span class="counter">${escapeHtml(label)} ${escapeHtml(ticket.counter || "–")}</span></li>`);
  board.querySelector(".board").innerHTML = rows.join("") || board.querySelector(".board").innerHTML;
  board.querySelector(".waiting-count").textContent = `${data.waiting} ${board.dataset.waitingLabel}`;
}
