// Demo page entry: plain ESM, no bundler. "caldav-sched" is mapped to /pkg/index.js (the
// package's browser entry) by the import map in index.html, so this code reads like an app that
// installed the package.

import init, { version } from "caldav-sched";
import { setupPlayground } from "./playground.js";
import { setupStory } from "./story.js";

const $ = (id) => document.getElementById(id);

/** Accessible tabs: arrow keys move between them, the selected one owns the focus order. */
function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length]);
      if (e.key === "ArrowLeft") select(tabs[(i + tabs.length - 1) % tabs.length]);
    });
  });
}

/** The server's public config; a page served without the demo server has none. */
async function loadConfig() {
  try {
    const res = await fetch("config.json", { cache: "no-store" });
    return res.ok ? await res.json() : { caldav: null, users: [] };
  } catch {
    return { caldav: null, users: [] };
  }
}

await init();
$("version").textContent = version();
setupTabs();
setupPlayground();
setupStory(await loadConfig());
document.body.dataset.ready = "true";
