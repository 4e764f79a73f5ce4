// The desk page: a masked phone is shown in full only on a click, through the API, which records the reading.
import { api } from "./api.js";

export function startDesk(root = document) {
  for (const button of root.querySelectorAll("button[data-reveal]")) {
    button.addEventListener("click", () => reveal(button));
  }
  return { root };
}

export async function reveal(button) {
  const shown = button.parentElement.querySelector(".phone");
  try {
    const { phone } = await api(button.dataset.reveal, { method: "POST" });
    shown.textContent = phone;
    const link = document.createElement("a");
    link.href = `tel:${phone}`;
    link.textContent = " ☎";
    shown.after(link);
    button.remove();
  } catch (error) {
    button.textContent = error.message;
  }
}
