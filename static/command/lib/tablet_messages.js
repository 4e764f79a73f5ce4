// The tablet's messages from the command centre, each with the crew's replies under it and a reply
// box, and the broadcasts to the unit's platform or to all units, each marked read by the crew. A
// reply or a read mark still in the queue (tablet_queue.js) is shown as it will be.

import { wallTime } from "./clock.js";
import { escapeHtml } from "./dom.js";

const REPLY_MAX = 500;

export function renderMessages(element, tablet) {
  const { ui } = tablet;
  const open = openReply(element);
  const rows = [...tablet.messages.values()];
  const received = rows.filter((row) => !row.from_unit).sort((a, b) => b.sent_at.localeCompare(a.sent_at));
  if (!received.length) {
    element.innerHTML = `<p class="empty">${escapeHtml(ui.no_messages)}</p>`;
    return;
  }
  const reading = new Set(tablet.actions.of("read").map((entry) => entry.message));
  const queued = tablet.actions.of("reply");
  element.innerHTML = `<ol class="messages">${received.map((row) => messageHtml(row, {
    ui, read: row.read_at || reading.has(row.id), replies: rows.filter((reply) => reply.reply_to === row.id),
    pending: queued.filter((entry) => entry.message === row.id) })).join("")}</ol>`;
  wireMessages(element, tablet);
  if (open) restoreReply(element, open);
}

function messageHtml(row, { ui, read, replies, pending }) {
  const sent = replies.sort((a, b) => a.sent_at.localeCompare(b.sent_at)).map((reply) => `
    <li class="reply" data-reply="${reply.id}"><span class="muted">${escapeHtml(ui.you_replied)}</span>
      <span class="text">${escapeHtml(reply.text)}</span></li>`);
  const waiting = pending.map((entry) => `
    <li class="reply pending"><span class="muted">${escapeHtml(ui.you_replied)} (${escapeHtml(ui.pending)})</span>
      <span class="text">${escapeHtml(entry.text)}</span></li>`);
  return `
    <li data-message="${row.id}" class="${read ? "read" : "unread"}">
      <time>${wallTime(row.sent_at)}</time> <span class="text">${escapeHtml(row.text)}</span>
      ${read ? `<span class="muted">${escapeHtml(ui.read)}</span>`
             : `<button type="button" data-read="${row.id}">${escapeHtml(ui.mark_read)}</button>`}
      <button type="button" data-reply-open="${row.id}">${escapeHtml(ui.reply)}</button>
      ${sent.length || waiting.length ? `<ol class="replies">${[...sent, ...waiting].join("")}</ol>` : ""}
      <form class="reply-form" data-reply-to="${row.id}" hidden>
        <textarea name="text" rows="2" required aria-label="${escapeHtml(ui.reply)}"></textarea>
        <p class="form-error" role="alert"></p>
        <button type="submit">${escapeHtml(ui.send_reply)}</button>
      </form>
    </li>`;
}

function wireMessages(element, tablet) {
  element.querySelectorAll("[data-read]").forEach((button) => button.addEventListener("click", () => {
    tablet.markRead(Number(button.dataset.read));
    tablet.renderMessages();
  }));
  element.querySelectorAll("[data-reply-open]").forEach((button) => button.addEventListener("click", () => {
    const form = element.querySelector(`form[data-reply-to="${button.dataset.replyOpen}"]`);
    form.hidden = false;
    form.querySelector("textarea").focus();
  }));
  element.querySelectorAll("form.reply-form").forEach((form) => form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.querySelector("textarea").value.trim();
    // Refused here with the count rather than cut by a maxlength (a paste would be cut silently).
    form.querySelector(".form-error").textContent = text.length > REPLY_MAX
      ? tablet.ui.too_long.replace("%(over)s", text.length - REPLY_MAX) : "";
    if (!text || text.length > REPLY_MAX) return;
    form.hidden = true;
    form.querySelector("textarea").value = "";
    tablet.reply(Number(form.dataset.replyTo), text);
  }));
}

// A reply being written survives a redraw (a message arriving meanwhile redraws the list).
function openReply(element) {
  const form = element.querySelector("form.reply-form:not([hidden])");
  return form ? { to: form.dataset.replyTo, text: form.querySelector("textarea").value } : null;
}

function restoreReply(element, { to, text }) {
  const form = element.querySelector(`form[data-reply-to="${to}"]`);
  if (!form) return;
  form.hidden = false;
  form.querySelector("textarea").value = text;
}

export function renderBroadcasts(element, tablet) {
  const { ui } = tablet;
  const rows = [...tablet.broadcasts.values()].sort((a, b) => b.sent_at.localeCompare(a.sent_at));
  const reading = new Set(tablet.actions.of("broadcast_read").map((entry) => entry.broadcast));
  const unread = rows.filter((row) => !row.read_at && !reading.has(row.id)).length;
  const count = document.getElementById("broadcasts-unread");
  if (count) count.textContent = unread ? `${unread} ${ui.unread}` : "";
  element.innerHTML = rows.length ? `<ol class="broadcasts">${rows.map((row) => {
    const read = row.read_at || reading.has(row.id);
    return `<li data-broadcast="${row.id}" class="${read ? "read" : "unread"}">
      <time>${wallTime(row.sent_at)}</time>
      <span class="badge">${escapeHtml(row.platform ? ui.to_platform : ui.to_all_units)}</span>
      <span class="text">${escapeHtml(row.text)}</span>
      ${read ? `<span class="muted">${escapeHtml(ui.read)}</span>`
             : `<button type="button" data-broadcast-read="${row.id}">${escapeHtml(ui.mark_read)}</button>`}</li>`;
  }).join("")}</ol>` : `<p class="empty">${escapeHtml(ui.no_broadcasts)}</p>`;
  element.querySelectorAll("[data-broadcast-read]").forEach((button) => button.addEventListener("click", () => {
    tablet.markBroadcastRead(Number(button.dataset.broadcastRead));
    tablet.renderBroadcasts();
  }));
}
