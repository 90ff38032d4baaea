// Copying is an extra: the citation stays selectable text without script.
(function () {
  var actions = document.querySelector(".copy-actions");
  if (!actions || !navigator.clipboard) return;
  actions.hidden = false;
  actions.querySelector("button").addEventListener("click", function () {
    var source = document.getElementById(this.dataset.copy);
    var status = actions.querySelector(".copy-status");
    navigator.clipboard.writeText(source.value).then(
      function () { status.textContent = "已复制"; },
      function () { source.select(); status.textContent = "请按 Ctrl+C 复制"; }
    );
  });
})();
