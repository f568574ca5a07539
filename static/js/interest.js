// Report reader interest with a beacon: a view of the comparison page once it has loaded,
// a search once its first results page has loaded (the page's signed token), and a "search"
// when a search result is followed. Without JS nothing is counted.
"use strict";
(function () {
  function send(url, id, kind) {
    if (!navigator.sendBeacon || !url || !id) return;
    navigator.sendBeacon(url, new URLSearchParams({ comparison: id, kind: kind }));
  }

  window.addEventListener("load", function () {
    var article = document.querySelector("article[data-interest-id]");
    if (article) send(article.dataset.interestUrl, article.dataset.interestId, "view");
    var search = document.querySelector("[data-search-log]");
    if (search && navigator.sendBeacon && search.dataset.interestUrl) {
      navigator.sendBeacon(
        search.dataset.interestUrl,
        new URLSearchParams({ kind: "query", token: search.dataset.searchLog })
      );
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-interest-id]");
    if (link) send(link.dataset.interestUrl, link.dataset.interestId, "search");
  });
})();
