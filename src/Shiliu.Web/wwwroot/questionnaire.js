// Show-if rules of a questionnaire, applied as the resident answers: a question whose rule points at an earlier
// question is shown only while that question (itself shown) has one of the rule's options chosen. Hidden questions'
// inputs are disabled so they are not sent; the server applies the same rules again and drops what is hidden.
(function () {
  "use strict";
  var form = document.querySelector("form[data-questionnaire]");
  if (!form) return;
  var questions = Array.prototype.slice.call(form.querySelectorAll(".qn-question"));
  function chosen(key) {
    var out = [];
    form.querySelectorAll("input[name='" + key + "']").forEach(function (i) { if (i.checked && !i.disabled) out.push(i.value); });
    return out;
  }
  function apply() {
    var shown = {};
    questions.forEach(function (q) {
      var on = q.getAttribute("data-show-if");
      var visible = true;
      if (on) {
        var any = (q.getAttribute("data-show-any") || "").split(" ");
        visible = !!shown[on] && chosen(on).some(function (v) { return any.indexOf(v) >= 0; });
      }
      shown[q.getAttribute("data-key")] = visible;
      q.hidden = !visible;
      q.querySelectorAll("input, textarea").forEach(function (i) { i.disabled = !visible; });
      var cond = q.querySelector(".qn-cond");
      if (cond) cond.hidden = true;
    });
  }
  form.addEventListener("change", apply);
  apply();
})();
