// The residents' pages' only script: works out the proof-of-work challenge of a public form by itself, so no one has
// to read a puzzle. Without this script a form still submits (the server then applies a stricter per-address limit).
// SHA-256 is written out here because crypto.subtle exists only on HTTPS pages, and intranet pages are often HTTP.
(function () {
  "use strict";
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  // SHA-256 of a byte array; returns the 32-byte digest.
  function sha256(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var bitLength = bytes.length * 8;
    var padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
    view.setUint32(padded.length - 4, bitLength >>> 0);
    var w = new Uint32Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
      for (i = 16; i < 64; i++) {
        var a = w[i - 15], b = w[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      var x0 = h[0], x1 = h[1], x2 = h[2], x3 = h[3], x4 = h[4], x5 = h[5], x6 = h[6], x7 = h[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((x4 >>> 6) | (x4 << 26)) ^ ((x4 >>> 11) | (x4 << 21)) ^ ((x4 >>> 25) | (x4 << 7));
        var ch = (x4 & x5) ^ (~x4 & x6);
        var t1 = (x7 + S1 + ch + K[i] + w[i]) >>> 0;
        var S0 = ((x0 >>> 2) | (x0 << 30)) ^ ((x0 >>> 13) | (x0 << 19)) ^ ((x0 >>> 22) | (x0 << 10));
        var maj = (x0 & x1) ^ (x0 & x2) ^ (x1 & x2);
        var t2 = (S0 + maj) >>> 0;
        x7 = x6; x6 = x5; x5 = x4; x4 = (x3 + t1) >>> 0; x3 = x2; x2 = x1; x1 = x0; x0 = (t1 + t2) >>> 0;
      }
      h[0] = (h[0] + x0) >>> 0; h[1] = (h[1] + x1) >>> 0; h[2] = (h[2] + x2) >>> 0; h[3] = (h[3] + x3) >>> 0;
      h[4] = (h[4] + x4) >>> 0; h[5] = (h[5] + x5) >>> 0; h[6] = (h[6] + x6) >>> 0; h[7] = (h[7] + x7) >>> 0;
    }
    var out = new Uint8Array(32);
    var ov = new DataView(out.buffer);
    for (i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]);
    return out;
  }

  function zeroBits(digest, bits) {
    var whole = bits >> 3;
    for (var i = 0; i < whole; i++) if (digest[i] !== 0) return false;
    var rest = bits & 7;
    return rest === 0 || (digest[whole] >> (8 - rest)) === 0;
  }

  // Finds the answer in slices, yielding between them so the page stays responsive on a slow phone.
  function solve(token, difficulty, done) {
    var counter = 0;
    function slice() {
      var end = counter + 4000;
      for (; counter < end; counter++) {
        if (zeroBits(sha256(utf8(token + ":" + counter)), difficulty)) {
          done(String(counter));
          return;
        }
      }
      setTimeout(slice, 0);
    }
    slice();
  }

  function arm(form) {
    var token = form.getAttribute("data-challenge");
    var difficulty = parseInt(form.getAttribute("data-difficulty"), 10);
    var answer = form.querySelector("input[name='challenge-answer']");
    var status = form.querySelector(".challenge-status");
    var ready = false, waiting = false;
    if (status) status.textContent = "正在进行安全校验，无需您操作……";
    solve(token, difficulty, function (value) {
      answer.value = value;
      ready = true;
      if (status) status.textContent = "安全校验已完成，可以提交。";
      if (waiting) form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    form.addEventListener("submit", function (e) {
      if (ready) return;
      e.preventDefault();
      waiting = true;
      if (status) status.textContent = "正在完成安全校验，完成后自动提交……";
    });
  }

  // 适老化 switches flip in place (the form post, for browsers without script, reloads the page and would lose a
  // half-filled form). The cookie is the one the server reads; see DisplayPreferences.
  function armDisplay(form) {
    form.addEventListener("click", function (e) {
      var button = e.target.closest("button[name='toggle']");
      if (!button) return;
      e.preventDefault();
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      document.documentElement.classList.toggle(button.value === "large" ? "text-large" : "contrast-high", on);
      var modes = [];
      form.querySelectorAll("button[name='toggle'][aria-pressed='true']").forEach(function (b) { modes.push(b.value); });
      document.cookie = "shiliu-display=" + modes.sort().join("_") + "; path=/; max-age=31536000; samesite=lax" +
        (location.protocol === "https:" ? "; secure" : "");
    });
  }

  window.shiliuPublic = { sha256: sha256, solve: solve };
  document.querySelectorAll("form[data-challenge]").forEach(arm);
  document.querySelectorAll("form.pub-display").forEach(armDisplay);
  // After a refused post the summary of what went wrong takes focus, so a screen reader reads it first.
  var problem = document.querySelector(".ap-alert[role='alert']");
  if (problem) problem.focus();
})();
