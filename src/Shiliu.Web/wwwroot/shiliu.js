// Small browser helpers for the staff UI (served from our own origin; CSP allows no inline script).
window.shiliu = {
  isNarrow: () => window.matchMedia("(max-width: 991px)").matches,
  print: () => window.print(),
};
