// Small browser helpers for the staff UI (served from our own origin; CSP allows no inline script).
window.shiliu = {
  isNarrow: () => window.matchMedia("(max-width: 991px)").matches,
  print: () => window.print(),
  // Saves a file the server streamed over the circuit (exports are made and audited by the service, then handed over here).
  saveFile: async (name, streamRef) => {
    const blob = new Blob([await streamRef.arrayBuffer()]);
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
