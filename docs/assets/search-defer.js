/* Messenger Defense Scorecard: load site search only when a reader opens it.
   Material's bundle starts its search worker and downloads the whole search index on every
   page load. Loaded before the bundle (overrides/main.html), this file holds both back until
   the reader focuses the search field or opens the search dialog, then serves the theme's
   index merged with search/data_index.json (entries the generator writes from the data).
   Every other request and worker is passed through untouched. Same-origin files only. */
(function () {
  "use strict";

  var configElement = document.getElementById("__config");
  if (!configElement || !window.XMLHttpRequest || !window.Worker || !window.fetch) return;
  var config = JSON.parse(configElement.textContent);
  var base = new URL(config.base, location.href);
  var indexUrl = new URL("search/search_index.json", base).href;
  var dataUrl = new URL("search/data_index.json", base).href;
  var workerUrl = config.search ? new URL(config.search, location.href).href : null;

  var opened = false;
  var waiting = [];
  function whenOpen(callback) {
    if (opened) callback();
    else waiting.push(callback);
  }
  function open() {
    if (opened) return;
    opened = true;
    waiting.splice(0).forEach(function (callback) { callback(); });
  }
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches("[data-md-component=search-query]")) open();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) open();
  });

  function absolute(url) {
    try { return new URL(String(url), location.href).href; } catch (error) { return null; }
  }

  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  // The theme's index plus the generated entries, as one index in the theme's format.
  function mergedIndex() {
    return Promise.all([json(indexUrl), json(dataUrl).catch(function () { return { docs: [] }; })])
      .then(function (parts) {
        var index = parts[0];
        index.docs = (index.docs || []).concat(parts[1].docs || []);
        return new Blob([JSON.stringify(index)], { type: "application/json" });
      });
  }

  // The bundle requests the index with XMLHttpRequest; answer that request once search opens.
  var xhrOpen = XMLHttpRequest.prototype.open;
  var xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.scSearchIndex = String(method).toUpperCase() === "GET" && absolute(url) === indexUrl;
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.scSearchIndex) return xhrSend.apply(this, arguments);
    var request = this;
    whenOpen(function () {
      mergedIndex().then(function (blob) {
        Object.defineProperty(request, "status", { value: 200 });
        Object.defineProperty(request, "response", { value: blob });
        request.dispatchEvent(new ProgressEvent("load"));
      }, function () {
        request.dispatchEvent(new ProgressEvent("error"));
      });
    });
  };

  // The search worker script itself is fetched only when search opens; messages wait until then.
  var RealWorker = window.Worker;
  window.Worker = function (url, options) {
    if (!workerUrl || absolute(url) !== workerUrl) return new RealWorker(url, options);
    var proxy = new EventTarget();
    var worker = null;
    var queue = [];
    proxy.postMessage = function (message) {
      if (worker) worker.postMessage(message);
      else queue.push(message);
    };
    proxy.terminate = function () {
      if (worker) worker.terminate();
      queue = [];
    };
    whenOpen(function () {
      worker = new RealWorker(url, options);
      worker.addEventListener("message", function (event) {
        proxy.dispatchEvent(new MessageEvent("message", { data: event.data }));
      });
      worker.addEventListener("error", function () {
        proxy.dispatchEvent(new Event("error"));
      });
      queue.splice(0).forEach(function (message) { worker.postMessage(message); });
    });
    return proxy;
  };
  window.Worker.prototype = RealWorker.prototype;
})();
