/* Publication lists: a "Copy" button on each opened BibTeX block. Without a script the BibTeX still opens
   and can be selected by hand. */
(function () {
  "use strict";
  var blocks = document.querySelectorAll(".pub-bibtex");
  for (var i = 0; i < blocks.length; i++) {
    (function (block) {
      if (!navigator.clipboard) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pub-copy";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        var code = block.querySelector("code");
        navigator.clipboard.writeText(code ? code.textContent : "").then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1600);
        }, function () { button.textContent = "Copy failed"; });
      });
      block.insertBefore(button, block.firstChild);
    })(blocks[i]);
  }
})();
