// A live save (htmx) that fails must not look saved: no network, a server error or a
// refusal leaves the radio button the user clicked checked, so say it was not saved.
(function () {
  function notSaved() {
    var region = document.querySelector("main [role=status]");
    var text = document.body.getAttribute("data-not-saved");
    if (!region || !text) { return; }
    var notice = document.createElement("p");
    notice.className = "notice error";
    notice.textContent = text;
    region.replaceChildren(notice);
  }
  document.addEventListener("htmx:responseError", notSaved);
  document.addEventListener("htmx:sendError", notSaved);
})();
