// Scroll the raw text (not the page) to where this article starts.
// Loaded right after the raw text, so both elements exist when it runs.
(function () {
  var pre = document.getElementById("phnews-raw"), here = document.getElementById("phnews-here");
  if (pre && here && here.textContent) { pre.scrollTop = Math.max(0, here.offsetTop - pre.offsetTop - 60); }
})();
