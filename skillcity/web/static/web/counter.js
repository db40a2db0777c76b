/* The voucher counter (training/counter.html): read a voucher's QR code with the camera, or from a
   photo, with jsQR (vendored, see vendor/README.md), and submit the code it carries. Typing the code
   works without any of this. No inline script: the CSP allows scripts from files only. */
(function () {
  "use strict";
  var form = document.getElementById("counter-form");
  if (!form || typeof window.jsQR !== "function") { return; }
  var input = document.getElementById("voucher-code");
  var tools = document.getElementById("scan-tools");
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var photo = document.getElementById("scan-photo");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", {willReadFrequently: true});
  var stream = null;
  var submitted = false;

  function say(key) { status.textContent = status.dataset[key] || ""; }

  // A voucher code is 17 symbols of Crockford base32 (dashes and spaces are dropped by the server).
  function looksLikeCode(text) { return /^[0-9A-Za-z*~$=\- ]{17,25}$/.test(text || ""); }

  function decode(width, height) {
    if (!width || !height) { return null; }
    var data = context.getImageData(0, 0, width, height);
    var found = window.jsQR(data.data, width, height, {inversionAttempts: "attemptBoth"});
    return found && looksLikeCode(found.data.trim()) ? found.data.trim() : null;
  }

  function use(code) {
    if (submitted) { return; }
    submitted = true;
    input.value = code;
    say("msgFound");
    stopCamera();
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function frame() {
    if (!stream) { return; }
    if (video.readyState >= 2) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var code = decode(canvas.width, canvas.height);
      if (code) { use(code); return; }
    }
    window.requestAnimationFrame(frame);
  }

  tools.hidden = false;
  var canStream = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.isSecureContext);
  if (!canStream) { start.hidden = true; }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        stop.hidden = false;
        start.hidden = true;
        say("msgLooking");
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(frame); })
      .catch(function () { stopCamera(); say("msgDenied"); });
  });
  stop.addEventListener("click", function () { stopCamera(); status.textContent = ""; });

  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (!file) { return; }
    // Read as a data: URI — the CSP allows data: images, not blob: ones.
    var reader = new FileReader();
    reader.onload = function () {
      var image = new Image();
      image.onload = function () {
        // Large phone photos are scaled down: jsQR is quick on ~1000 px and finds the code as well.
        var scale = Math.min(1, 1000 / Math.max(image.naturalWidth, image.naturalHeight));
        canvas.width = Math.round(image.naturalWidth * scale);
        canvas.height = Math.round(image.naturalHeight * scale);
        context.imageSmoothingEnabled = false;
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        var code = decode(canvas.width, canvas.height);
        if (code) { use(code); } else { say("msgNone"); }
      };
      image.onerror = function () { say("msgNone"); };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  });
})();
