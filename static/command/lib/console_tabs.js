// The console's side panel shows one tab at a time (the queue stays above them, always in view).

export class PanelTabs {
  constructor(root) {
    this.tabs = [...root.querySelectorAll('[role="tab"]')];
    for (const tab of this.tabs) {
      tab.addEventListener("click", () => this.show(tab.id.replace(/^tab-/, "")));
      tab.addEventListener("keydown", (event) => this.arrow(event, tab));
    }
  }

  show(name) {
    for (const tab of this.tabs) {
      const selected = tab.id === `tab-${name}`;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    }
  }

  arrow(event, tab) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = this.tabs[(this.tabs.indexOf(tab) + step + this.tabs.length) % this.tabs.length];
    this.show(next.id.replace(/^tab-/, ""));
    next.focus();
  }
}
