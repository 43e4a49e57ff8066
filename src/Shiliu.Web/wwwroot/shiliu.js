// Small browser helpers for the staff UI (served from our own origin; CSP allows no inline script).
window.shiliu = {
  isNarrow: () => window.matchMedia("(max-width: 991px)").matches,
  print: () => window.print(),
  // Saves a file the server streamed over the circuit (exports are made and audited by the service, then handed over here).
  saveFile: async (name, streamRef) => window.shiliu.saveBlob(name, new Blob([await streamRef.arrayBuffer()])),
  // Hands a blob made in the browser (the dashboard's PNG) or by the server to the user as a download.
  saveBlob: (name, blob) => {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },
};

// AntDesign renders every icon as <span role="img"> without a name (alerts, closes, arrows). In this app they are all
// decorative beside text that says the same, so they are hidden from screen readers rather than read as "image";
// an icon that must speak gets an aria-label, which this leaves alone. The buttons whose only content is such an icon
// get their name here instead.
(() => {
  // AntDesign's icon-only close buttons, named in Chinese (their icon was their only content).
  const names = [[".ant-alert-close-icon", "关闭提示"], [".ant-modal-close", "关闭对话框"], [".ant-drawer-close", "关闭"], [".ant-tag-close-icon", "移除"]];
  const all = (root, selector) => (root.matches(selector) ? [root] : []).concat([...root.querySelectorAll(selector)]);
  const hide = (root) => {
    if (!(root instanceof Element)) return;
    for (const icon of all(root, ".anticon[role=img]")) {
      if (!icon.hasAttribute("aria-label") && !icon.hasAttribute("aria-hidden")) icon.setAttribute("aria-hidden", "true");
    }
    for (const [selector, name] of names) {
      for (const button of all(root, selector)) button.setAttribute("aria-label", name);
    }
    // The pager's arrows: AntDesign writes the literal aria-disabled="prevDisabled" (the button's own disabled attribute
    // already says it) and leaves the arrow buttons unnamed.
    for (const [selector, name] of [[".ant-pagination-prev", "上一页"], [".ant-pagination-next", "下一页"]]) {
      for (const item of all(root, selector)) {
        item.removeAttribute("aria-disabled");
        item.querySelector("button")?.setAttribute("aria-label", name);
      }
    }
    // The compact pager (on phones) types the page number into an input with no label of its own.
    for (const input of all(root, ".ant-pagination-simple-pager input")) input.setAttribute("aria-label", "页码");
  };
  const start = () => {
    hide(document.body);
    new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(hide)))
      .observe(document.body, { childList: true, subtree: true });
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();

// The skip link moves focus, not only the view: Blazor's router would take the "#main" click as a navigation and
// leave focus on the link, so the next Tab would walk the menu after all.
document.addEventListener("click", (e) => {
  const link = e.target instanceof Element ? e.target.closest("a.skip-link") : null;
  const main = document.getElementById("main");
  if (!link || !main) return;
  e.preventDefault();
  main.focus();
  main.scrollIntoView();
}, true);

// Dialogs hold keyboard focus while open and hand it back when closed (WCAG 2.4.3). AntDesign moves focus into a
// dialog but lets Tab walk out of it through its focus sentinels, and leaves focus on the page's body after closing.
(() => {
  const openDialog = () => [...document.querySelectorAll(".ant-modal-wrap")].filter((w) => getComputedStyle(w).display !== "none" && w.querySelector(".ant-modal")).pop()?.querySelector(".ant-modal");
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const focusables = (root) => [...root.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
    .filter((e) => e.tabIndex >= 0 && !e.disabled && !e.closest("[aria-hidden=true]") && visible(e) && e.getAttribute("tabindex") !== "-1");
  let lastOutside = null;
  let opener = null;
  // Watches the page only while a dialog holds an opener: AntDesign animates styles all the time, and an old PC
  // should not pay for a watcher that has nothing to do.
  const watcher = new MutationObserver(() => setTimeout(giveBack, 0));
  const giveBack = () => {
    if (!opener || openDialog()) return;
    const a = document.activeElement;
    if (!a || a === document.body || !visible(a) || a.closest(".ant-modal-wrap")) {
      if (opener.isConnected && visible(opener)) opener.focus();
    }
    opener = null;
    watcher.disconnect();
  };
  document.addEventListener("focusin", (e) => {
    const dialog = openDialog();
    if (dialog && dialog.contains(e.target)) {
      if (!opener && lastOutside) {
        opener = lastOutside;
        watcher.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["style", "class"] });
      }
    } else if (!e.target.closest?.(".ant-modal-wrap")) {
      lastOutside = e.target;
    }
  }, true);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Tab") return;
    const dialog = openDialog();
    if (!dialog) return;
    const stops = focusables(dialog);
    if (stops.length === 0) return;
    const first = stops[0], last = stops[stops.length - 1];
    const inside = dialog.contains(document.activeElement) && stops.includes(document.activeElement);
    if (e.shiftKey && (!inside || document.activeElement === first)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
      e.preventDefault();
      first.focus();
    }
  }, true);
})();
