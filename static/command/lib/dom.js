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

// A visible count for a length-limited text (its data-counter names the counter's id in the same
// form), so nothing is ever cut without the writer seeing it coming.
export function bindCounter(field) {
  const counter = field.form?.querySelector(`#${field.dataset.counter}`) || document.getElementById(field.dataset.counter);
  if (!counter) return;
  const show = () => {
    counter.textContent = `${field.value.length} / ${field.maxLength}`;
    counter.classList.toggle("late", field.value.length >= field.maxLength);
  };
  field.addEventListener("input", show);
  show();
}

// A form's one-line answer in its status line: a success reads as one (green), a refusal as an error.
export function say(form, text, ok) {
  const line = form.querySelector(".form-error");
  line.textContent = text;
  line.classList.toggle("sent", ok);
}
