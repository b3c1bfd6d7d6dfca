/* relook: the little JavaScript the pages need. No inline scripts (the Content Security
   Policy forbids them); data for the graph arrives in a JSON <script> block. */
(function () {
  "use strict";

  var COLOURS = {
    urgent: "#b3261e", high: "#c05600", standard: "#2f5d8a", low: "#6b7a89", "": "#6b7a89"
  };

  function drawNetwork() {
    var holder = document.getElementById("network-graph");
    var source = document.getElementById("network-data");
    if (!holder || !source || typeof window.cytoscape !== "function") {
      return;
    }
    var elements = JSON.parse(source.textContent || "[]");
    var cy = window.cytoscape({
      container: holder,
      elements: elements,
      boxSelectionEnabled: false,
      layout: { name: "cose", animate: false, randomize: false, padding: 16, nodeRepulsion: 9000 },
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 9, "color": "#1d2733",
          "text-valign": "bottom", "text-margin-y": 3, "width": 18, "height": 18,
          "background-color": "#8a96a3" } },
        { selector: "node[kind = 'case']", style: {
          "shape": "round-rectangle", "width": 26, "height": 18,
          "background-color": function (node) { return COLOURS[node.data("band")] || "#6b7a89"; } } },
        { selector: "node[?current]", style: {
          "border-width": 4, "border-color": "#111", "width": 34, "height": 24, "font-weight": "bold" } },
        { selector: "node[kind = 'suspect']", style: { "shape": "ellipse", "background-color": "#7b3f9e" } },
        { selector: "node[kind = 'vrm']", style: { "shape": "diamond", "background-color": "#2e7d5b" } },
        { selector: "node[kind = 'phone']", style: { "shape": "triangle", "background-color": "#a07800" } },
        { selector: "edge", style: { "width": 1.5, "line-color": "#b8c2cc", "curve-style": "bezier" } }
      ]
    });
    cy.on("tap", "node", function (event) {
      var href = event.target.data("href");
      if (href) {
        window.location.assign(href);
      }
    });
    holder.setAttribute("data-nodes", String(cy.nodes().length));
    // For the browser tests and for anyone inspecting the page.
    window.relookNetwork = cy;
  }

  // A box in a table heading ticks every box of that name on the page.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var name = box && box.getAttribute && box.getAttribute("data-select-all");
    if (!name) {
      return;
    }
    var boxes = document.querySelectorAll("input[type=checkbox][name='" + name + "']");
    Array.prototype.forEach.call(boxes, function (each) { each.checked = box.checked; });
  });

  // A button that acts on more than the reader can see asks first.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // An assessment being typed is saved as a draft every few seconds, server-side, so a
  // session that ends loses nothing. Only a change is sent.
  function autosave() {
    var form = document.querySelector("form[data-autosave]");
    if (!form || typeof window.fetch !== "function") {
      return;
    }
    var status = form.querySelector("[data-testid=autosave-status]");
    var sent = new URLSearchParams(new FormData(form)).toString();
    window.setInterval(function () {
      var body = new URLSearchParams(new FormData(form)).toString();
      if (body === sent) {
        return;
      }
      window.fetch(form.getAttribute("data-autosave"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Relook-Autosave": "1" }
      }).then(function (response) {
        if (response.status === 204) {
          sent = body;
          if (status) { status.textContent = "Draft saved " + new Date().toLocaleTimeString(); }
        } else if (status) {
          status.textContent = "The draft could not be saved (sign in again: your text is still here).";
        }
      }).catch(function () {
        if (status) { status.textContent = "The draft could not be saved: check the connection."; }
      });
    }, AUTOSAVE_MS);
  }

  var AUTOSAVE_MS = 4000;
  document.addEventListener("DOMContentLoaded", autosave);

  // A reveal is the answer to a POST: reloading it would post the reason again and log a
  // second reveal. Replacing the history entry with the page's own address makes a
  // reload (and Back) fetch the page as it is without a reveal.
  function forgetReveal() {
    var banner = document.querySelector("[data-revealed]");
    if (banner && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", banner.getAttribute("data-revealed"));
    }
  }

  document.addEventListener("DOMContentLoaded", forgetReveal);
  document.addEventListener("DOMContentLoaded", drawNetwork);
})();
