/* Atlaas map: counts of actions per région, département or commune, asked to the
   aggregate API with the page's own filters. The list beside the map is the page itself;
   the map only adds a view of it, so any failure here leaves the page complete. */
(function () {
  "use strict";

  var FRANCE = [46.6, 2.4];
  var REGION_MAX_ZOOM = 5;
  var DEPARTEMENT_MAX_ZOOM = 7;

  function levelFor(zoom) {
    if (zoom <= REGION_MAX_ZOOM) return "region";
    if (zoom <= DEPARTEMENT_MAX_ZOOM) return "departement";
    return "commune";
  }

  function withParam(query, name, value) {
    var params = new URLSearchParams(query);
    params.set(name, value);
    params.delete("page");
    return params.toString();
  }

  function countIcon(count) {
    var size = Math.round(28 + Math.min(28, Math.sqrt(count) * 2));
    var span = document.createElement("span");
    span.textContent = String(count);
    return L.divIcon({ className: "atlaas-count", html: span.outerHTML, iconSize: [size, size] });
  }

  function baseMap(element) {
    var map = L.map(element, { center: FRANCE, zoom: 5, minZoom: 3, maxZoom: 14, zoomSnap: 1 });
    var tiles = element.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    return map;
  }

  function atlaasMap(element) {
    var map = baseMap(element);
    var query = element.dataset.query || "";
    var listUrl = element.dataset.listUrl;
    var counter = document.getElementById("atlaas-map-count");
    var words = { one: element.dataset.labelAction, many: element.dataset.labelActions };
    var centres = {};
    var outlines = { region: null, departement: null };
    var markers = L.layerGroup().addTo(map);
    var clusters = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
    map.addLayer(clusters);
    var pending = null;
    var shown = null;

    function fail() {
      element.classList.add("atlaas-map-failed");
      counter.textContent = element.dataset.labelError;
    }

    function placeOf(row, level) {
      var centre = centres[level + ":" + row.code];
      if (centre) return centre;
      if (row.lat !== null && row.lon !== null) return [row.lat, row.lon];
      return null;
    }

    function draw(rows, level) {
      markers.clearLayers();
      clusters.clearLayers();
      var total = 0;
      rows.forEach(function (row) {
        total += row.count;
        var place = placeOf(row, level);
        if (!place || row.code === null) return;
        var label = row.name + " : " + row.count + " " + (row.count > 1 ? words.many : words.one);
        var marker = L.marker(place, { icon: countIcon(row.count), title: label, alt: label, keyboard: true, riseOnHover: true });
        var param = level === "commune" ? "territory" : level;
        var open = function () { window.location.href = listUrl + "?" + withParam(query, param, row.code); };
        marker.on("click", open);
        marker.on("keypress", function (event) {  // Leaflet turns Enter on a focused marker into keypress, not click
          var key = event.originalEvent.key;
          if (key === "Enter" || key === " ") { event.originalEvent.preventDefault(); open(); }
        });
        (level === "commune" ? clusters : markers).addLayer(marker);
      });
      counter.dataset.total = String(total);
      counter.dataset.level = level;
      var where = level === "commune" ? " " + element.dataset.labelInView : "";
      counter.textContent = element.dataset.labelOnMap + " " + total.toLocaleString(document.documentElement.lang) + " " + (total > 1 ? words.many : words.one) + where + ".";
      element.dataset.ready = "1";
    }

    function refresh() {
      var level = levelFor(map.getZoom());
      var params = withParam(query, "level", level);
      if (level === "commune") {
        params = withParam(params, "bbox", map.getBounds().toBBoxString());
      } else if (shown === level) {
        return;  // counts per région or département do not depend on the view
      }
      shown = level;
      if (outlines.departement) {
        if (level === "region") map.removeLayer(outlines.departement);
        else outlines.departement.addTo(map);
      }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(element.dataset.aggregateUrl + "?" + params, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (rows) { draw(rows, level); })
        .catch(function (error) { if (error.name !== "AbortError") fail(); });
    }

    fetch(element.dataset.outlinesUrl)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (collection) {
        if (collection) {
          ["region", "departement"].forEach(function (level) {
            var layer = L.geoJSON(collection, {
              filter: function (feature) { return feature.properties.level === level; },
              style: level === "region"
                ? { color: "#1d3f72", weight: 1.5, fillColor: "#e8eef7", fillOpacity: 0.5, interactive: false }
                : { color: "#5b7bb0", weight: 0.6, fill: false, interactive: false },
              onEachFeature: function (feature, featureLayer) {
                centres[level + ":" + feature.properties.code] = featureLayer.getBounds().getCenter();
              },
            });
            outlines[level] = layer;
          });
          outlines.region.addTo(map);
          outlines.region.bringToBack();
        }
      })
      .catch(function () { /* the outlines are a backdrop: counts still show */ })
      .then(function () { shown = null; refresh(); map.on("moveend", refresh); });
  }

  function actorMap(element) {
    var source = document.getElementById("actor-points");
    var points = source ? JSON.parse(source.textContent) : [];
    if (!points.length) return;
    var map = baseMap(element);
    var bounds = [];
    if (element.dataset.outlinesUrl) {
      fetch(element.dataset.outlinesUrl)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) {
          if (!collection) return;
          L.geoJSON(collection, {
            filter: function (feature) { return feature.properties.level === "departement"; },
            style: { color: "#5b7bb0", weight: 0.8, fillColor: "#e8eef7", fillOpacity: 0.5, interactive: false },
          }).addTo(map).bringToBack();
        })
        .catch(function () { /* a backdrop only */ });
    }
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], { radius: 7, color: "#1d3f72", fillOpacity: 0.8 });
      // A title is text typed by a member: a text node, never HTML (Leaflet reads a string as HTML).
      var label = document.createElement("span");
      label.textContent = point.title;
      marker.bindTooltip(label);
      marker.on("click", function () { window.location.href = point.url; });
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { maxZoom: 11, padding: [20, 20] });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    var atlaas = document.getElementById("atlaas-map");
    if (atlaas) atlaasMap(atlaas);
    var actor = document.getElementById("actor-map");
    if (actor) actorMap(actor);
  });
})();
