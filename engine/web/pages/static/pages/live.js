// The grid's live part (htmx) is replaced after each answer. Two things must survive that:
// a failed save must not look saved (no network, a server error or a refusal leaves the
// clicked radio button checked), and a keyboard user must not be thrown back to the top of
// the page: the focus goes to the same answer (htmx, by id) or, when answering settled
// that question away, to the question now in its place.
(function () {
  var place = null;

  function notSaved() {
    var region = document.querySelector("main [role=status]");
    var text = document.body.getAttribute("data-not-saved");
    if (!region || !text) { return; }
    var notice = document.createElement("p");
    notice.className = "notice error";
    notice.textContent = text;
    region.replaceChildren(notice);
  }

  function questions() {
    return Array.prototype.slice.call(document.querySelectorAll("#live fieldset[data-question]"));
  }

  document.addEventListener("htmx:responseError", notSaved);
  document.addEventListener("htmx:sendError", notSaved);
  document.addEventListener("htmx:beforeSwap", function () {
    var focused = document.activeElement;
    var question = focused && focused.closest ? focused.closest("fieldset[data-question]") : null;
    place = question ? questions().indexOf(question) : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var lost = !document.activeElement || document.activeElement === document.body;
    if (place === null || !lost) { place = null; return; }
    var left = questions();
    var target = left.length ? left[Math.min(place, left.length - 1)] : null;
    var answer = target && (target.querySelector("input:checked") || target.querySelector("input"));
    var fallback = document.querySelector("#live button, #live h2");
    if (answer) {
      answer.focus();
    } else if (fallback) {
      if (fallback.tagName === "H2") { fallback.setAttribute("tabindex", "-1"); }
      fallback.focus();
    }
    place = null;
  });
})();
