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
