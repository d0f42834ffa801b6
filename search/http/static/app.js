// news-search: progressive enhancement only; every page works without this file.
// "/" puts the cursor in the search box, unless the reader is already typing somewhere.
(function () {
  "use strict";

  function typing(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    if (target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")) {
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var box = document.getElementById("q");
    if (!box) {
      return;
    }
    event.preventDefault();
    box.focus();
    if (typeof box.select === "function") {
      box.select();
    }
  });
})();
