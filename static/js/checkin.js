// The check-in screen: scan a badge's QR code with the device's camera, where the browser has the
// BarcodeDetector API. Progressive enhancement: without it (or without a camera) the button stays
// hidden or says so, and the reference is typed in the search field.
(function () {
  "use strict";

  function start() {
    var button = document.getElementById("checkin-scan");
    var field = document.getElementById("checkin-q");
    var video = document.getElementById("checkin-video");
    if (!button || !field || !video) { return; }
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      button.hidden = true;  // nothing to offer: typing the reference works everywhere
      return;
    }
    button.hidden = false;
    var label = button.textContent;
    var stream = null;
    var timer = null;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });

    function stop() {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
      video.hidden = true;
      button.textContent = label;
      button.setAttribute("aria-pressed", "false");
    }

    function found(value) {
      stop();
      field.value = value;
      field.focus();
      // The same search as typing: htmx listens to "search" on the field; without htmx, submit.
      field.dispatchEvent(new Event("search", { bubbles: true }));
      if (!window.htmx) { field.form.submit(); }
    }

    function look() {
      detector.detect(video).then(function (codes) {
        var code = codes.find(function (c) { return /^CC-[0-9A-Z]{8}$/.test(c.rawValue); });
        if (code) { found(code.rawValue); } else { timer = window.setTimeout(look, 250); }
      }).catch(function () { timer = window.setTimeout(look, 500); });
    }

    function say(text) {
      var region = document.getElementById("checkin-announce");
      if (region) { region.textContent = text; }
    }

    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          button.textContent = button.getAttribute("data-stop");
          button.setAttribute("aria-pressed", "true");
          return video.play();
        })
        .then(look)
        .catch(function () { stop(); say(button.getAttribute("data-unavailable")); field.focus(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // A boosted navigation brings the page in without reloading scripts already loaded.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target === document.body) { start(); }
  });
})();
