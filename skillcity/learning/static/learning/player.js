/* The lesson player's statements (issue 18 §2; docs/learning.md, "The statement endpoint").
 *
 * Video: `initialized` at the first play, `progressed` every 30 s while playing and on pause, seek,
 * the page being hidden and closed, `completed` at the end, `terminated` on close. Document: the same
 * beats while the page is visible. Every statement gets its UUID here, once, and waits in localStorage
 * (per learner) until the server has answered it 2xx: a statement that could not be sent (offline, a
 * server restart, a page closed mid-request) is sent again later with the same UUID, and the server
 * stores it once. A quiz is graded and logged by the server; nothing is sent from here for it.
 */
(function () {
  "use strict";
  var root = document.getElementById("sc-player");
  if (!root || root.dataset.track !== "1") return;

  var VERBS = "http://adlnet.gov/expapi/verbs/";
  var TIME = "https://w3id.org/xapi/video/extensions/time";
  var EVENT = "https://w3id.org/xapi/video/extensions/event";
  var HEARTBEAT_MS = 30000;
  var BATCH = 50; // the endpoint takes at most 50 statements a request
  var QUEUE_MAX = 2000; // oldest dropped past this: a queue that cannot grow without bound
  var endpoint = root.dataset.endpoint;
  var iri = root.dataset.lessonIri;
  var kind = root.dataset.kind;
  var queueKey = "sc-learning-queue:" + (root.dataset.learner || "");
  var csrfInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var status = document.getElementById("sc-player-status");

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID(); // secure contexts only (https, localhost)
    }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b); // everywhere, also over plain http on a LAN address
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function loadQueue() {
    try {
      var q = JSON.parse(window.localStorage.getItem(queueKey) || "[]");
      return Array.isArray(q) ? q : [];
    } catch (e) {
      return [];
    }
  }
  var memoryQueue = null; // when localStorage is unavailable (private mode on some phones)
  function saveQueue(q) {
    if (q.length > QUEUE_MAX) q = q.slice(q.length - QUEUE_MAX);
    try {
      window.localStorage.setItem(queueKey, JSON.stringify(q));
      memoryQueue = null;
    } catch (e) {
      memoryQueue = q;
    }
  }
  function queue() { return memoryQueue || loadQueue(); }

  function round(x) { return Math.round(x * 100) / 100; }

  // Seconds actually played since the last statement (wall clock while playing, so a seek is not play).
  var playedSince = 0;
  var playingFrom = null;
  function takePlayed() {
    var now = Date.now();
    if (playingFrom !== null) { playedSince += (now - playingFrom) / 1000; playingFrom = now; }
    var s = playedSince;
    playedSince = 0;
    return s;
  }

  function statement(verb, position, event, withDuration) {
    var result = {};
    if (position !== null && isFinite(position)) {
      result.extensions = {};
      result.extensions[TIME] = round(Math.max(0, position));
    }
    if (withDuration) result.duration = "PT" + round(takePlayed()) + "S";
    var s = {
      id: uuid(),
      verb: { id: VERBS + verb },
      object: { objectType: "Activity", id: iri },
      result: result,
      timestamp: new Date().toISOString()
    };
    if (event) {
      s.context = { extensions: {} };
      s.context.extensions[EVENT] = event;
    }
    return s;
  }

  var sending = false;
  function flush(closing) {
    var q = queue();
    if (!q.length || (sending && !closing)) return;
    var batch = q.slice(0, BATCH);
    var ids = batch.map(function (s) { return s.id; });
    sending = true;
    var request;
    try {
      request = fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!closing, // finishes after the page is gone (body ≤ 64 KB: 50 statements fit)
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(batch)
      });
    } catch (e) {
      sending = false;
      return;
    }
    request.then(function (response) {
      sending = false;
      // Answered 2xx: stored. 400/413/422: the server will never take these (malformed); drop them
      // rather than send them forever. Anything else (401/403 after a sign-out, 429, 5xx) waits.
      if (response.ok || response.status === 400 || response.status === 413 || response.status === 422) {
        var done = {};
        ids.forEach(function (id) { done[id] = true; });
        saveQueue(queue().filter(function (s) { return !done[s.id]; }));
        if (response.ok && queue().length) flush(false);
      }
    }, function () {
      sending = false; // offline: kept, sent again at the next beat or the next page
    });
  }

  function enqueue(verb, position, event, withDuration) {
    var q = queue();
    q.push(statement(verb, position, event, withDuration));
    saveQueue(q);
  }

  function send(verb, position, event, withDuration, closing) {
    enqueue(verb, position, event, withDuration);
    flush(closing);
  }

  // What an earlier page could not send goes first.
  flush(false);
  window.addEventListener("online", function () { flush(false); });

  var timer = null;
  var closed = false;

  if (kind === "video") {
    var video = document.getElementById("sc-video");
    if (!video) return;
    var started = false;
    var ended = false;
    var resume = parseFloat(root.dataset.resume || "0");
    video.addEventListener("loadedmetadata", function () {
      if (resume > 0 && resume < (video.duration || 0) - 2) video.currentTime = resume;
    });
    video.addEventListener("play", function () {
      playingFrom = Date.now();
      ended = false;
      if (!started) {
        started = true;
        send("initialized", video.currentTime, null, false, false);
      }
      if (timer === null) {
        timer = window.setInterval(function () {
          if (!video.paused) send("progressed", video.currentTime, "heartbeat", true, false);
        }, HEARTBEAT_MS);
      }
    });
    video.addEventListener("pause", function () {
      if (video.ended || video.seeking) return; // `ended` and `seeked` send their own
      send("progressed", video.currentTime, "pause", true, false);
      playingFrom = null;
    });
    video.addEventListener("seeking", function () {
      if (playingFrom !== null) takePlayedUntilNow();
    });
    video.addEventListener("seeked", function () {
      if (!started) return;
      send("progressed", video.currentTime, "seek", true, false);
      if (video.paused) playingFrom = null;
    });
    video.addEventListener("ended", function () {
      if (ended) return;
      ended = true;
      send("completed", video.duration || video.currentTime, null, true, false);
      playingFrom = null;
      if (status && status.dataset.done) status.textContent = status.dataset.done;
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && started && !closed) {
        send("progressed", video.currentTime, "hidden", true, true);
      }
    });
    window.addEventListener("pagehide", function () {
      if (!started || closed) return;
      closed = true;
      enqueue("progressed", video.currentTime, "close", true);
      send("terminated", video.currentTime, "close", false, true);
    });
  } else if (kind === "document") {
    // Time on the page while it is visible is the reading time (the server caps it by real time).
    var visibleSeconds = 0;
    var visibleFrom = null;
    var position = function () {
      return visibleSeconds + (visibleFrom !== null ? (Date.now() - visibleFrom) / 1000 : 0);
    };
    var startBeats = function () {
      visibleFrom = Date.now();
      playingFrom = Date.now();
      if (timer === null) {
        timer = window.setInterval(function () { send("progressed", position(), "heartbeat", true, false); }, HEARTBEAT_MS);
      }
    };
    var stopBeats = function () {
      visibleSeconds = position();
      visibleFrom = null;
      if (timer !== null) { window.clearInterval(timer); timer = null; }
    };
    var docStarted = false;
    var shown = function () {
      if (!docStarted) {
        docStarted = true; // a page opened in a background tab starts when it is first shown
        send("initialized", 0, null, false, false);
      }
      startBeats();
    };
    if (document.visibilityState === "visible") shown();
    document.addEventListener("visibilitychange", function () {
      if (closed) return;
      if (document.visibilityState === "hidden") {
        if (!docStarted) return;
        send("progressed", position(), "hidden", true, true);
        playingFrom = null;
        stopBeats();
      } else {
        shown();
      }
    });
    window.addEventListener("pagehide", function () {
      if (closed || !docStarted) return;
      closed = true;
      enqueue("progressed", position(), "close", true);
      send("terminated", position(), "close", false, true);
    });
  }

  function takePlayedUntilNow() {
    // Bank the play before a seek so the seek's statement carries it, then restart the clock.
    var now = Date.now();
    if (playingFrom !== null) { playedSince += (now - playingFrom) / 1000; playingFrom = now; }
  }
})();
