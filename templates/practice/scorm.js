/* quizgen practice page: the SCORM 1.2 side (inlined before page.js in the SCORM package only).
 *
 * Finds the LMS's API object the standard way (ADL's findAPI: up window.parent, then window.opener's
 * chain), initialises it and defines window.QuizgenBackend, through which page.js saves its state
 * (cmi.suspend_data), records each graded answer (one cmi.interactions.n), reports the score and status
 * and finishes the session. Without an API it defines nothing: the page keeps progress in localStorage.
 *
 * Every value written is within SCORM 1.2's data types (RTE 3.4): CMIDecimal scores 0-100, the
 * interaction vocabularies (choice letters, t/f, a positional decimal, fill-in of at most 255
 * characters), CMIIdentifier ids, CMITime and CMITimespan times, suspend_data of at most 4,096
 * characters. A value that cannot be written that way is left out, never sent invalid. Every call is
 * followed by LMSGetLastError; an LMS error is kept in QuizgenBackend.errors and never thrown into the
 * page, so practice goes on whatever the LMS does.
 */
(function () {
  "use strict";

  var MAX_PARENTS = 500;
  var SUSPEND_LIMIT = 4096;
  var TEXT_LIMIT = 255;
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";

  function apiIn(win) {
    // A cross-origin window throws on reading its properties: it holds no API we can use.
    try {
      var api = win.API;
      if (api && typeof api.LMSInitialize === "function" && typeof api.LMSSetValue === "function") {
        return api;
      }
    } catch (e) {
      /* cross-origin */
    }
    return null;
  }

  function parentOf(win) {
    try {
      var up = win.parent;
      return up && up !== win ? up : null;
    } catch (e) {
      return null;
    }
  }

  function findAPI(win) {
    // ADL's findAPI: this window, then its parents, at most MAX_PARENTS levels up.
    for (var level = 0; win && level <= MAX_PARENTS; level++) {
      var api = apiIn(win);
      if (api) return api;
      win = parentOf(win);
    }
    return null;
  }

  function getAPI() {
    var api = findAPI(window);
    if (!api) {
      var opener = null;
      try {
        opener = window.opener || null;
      } catch (e) {
        opener = null;
      }
      if (opener) api = findAPI(opener);
    }
    return api;
  }

  // -- SCORM 1.2's data types ----------------------------------------------------------

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  /** CMITimespan (HHHH:MM:SS.SS) of a number of seconds; hours capped at 9999. */
  function timespan(seconds) {
    var cs = Math.round((isFinite(seconds) && seconds > 0 ? seconds : 0) * 100);
    var max = (9999 * 3600 + 59 * 60 + 59) * 100 + 99;
    if (cs > max) cs = max;
    var hours = Math.floor(cs / 360000);
    var minutes = Math.floor((cs % 360000) / 6000);
    var secs = Math.floor((cs % 6000) / 100);
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(secs, 2) + "." + pad(cs % 100, 2);
  }

  /** CMITime (HH:MM:SS) of a Date, in the learner's local time. */
  function clock(when) {
    var date = when instanceof Date && !isNaN(when.getTime()) ? when : new Date();
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  /** A CMIIdentifier: letters, digits, '-' and '_' only, at most 255 characters, never empty. */
  function identifier(text) {
    var id = String(text == null ? "" : text).replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, TEXT_LIMIT);
    return id || "question";
  }

  /** A number as a CMIDecimal: positional (no exponent), or null when not finite or too long. */
  function decimal(value) {
    if (typeof value === "string") {
      var text = value.trim().replace(/^\+/, "");
      if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
      var sign = text.charAt(0) === "-" ? "-" : "";
      var digits = sign ? text.slice(1) : text;
      digits = digits.replace(/^0+(?=\d)/, "");
      if (/^0(\.0*)?$/.test(digits)) sign = "";
      text = sign + digits;
      return text.length <= TEXT_LIMIT ? text : null;
    }
    if (typeof value !== "number" || !isFinite(value)) return null;
    var repr = String(value);
    if (repr.indexOf("e") >= 0) repr = expand(repr);
    if (repr === "-0") repr = "0";
    return repr.length <= TEXT_LIMIT ? repr : null;
  }

  /** '3.5e-7' -> '0.00000035', '1.2e+21' -> '1200000000000000000000'. */
  function expand(repr) {
    var match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(repr);
    if (!match) return repr;
    var sign = match[1];
    var digits = match[2] + (match[3] || "");
    var point = match[2].length + parseInt(match[4], 10);
    var text;
    if (point <= 0) {
      text = "0." + "0".repeat(-point) + digits;
    } else if (point >= digits.length) {
      text = digits + "0".repeat(point - digits.length);
    } else {
      text = digits.slice(0, point) + "." + digits.slice(point);
    }
    text = text.replace(/^0+(?=\d)/, "");
    if (text.indexOf(".") >= 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return sign + text;
  }

  /** CMIString255: at most 255 characters, a surrogate pair never cut in two. */
  function string255(text) {
    var chars = Array.from(String(text == null ? "" : text));
    var out = "";
    for (var i = 0; i < chars.length; i++) {
      if (out.length + chars[i].length > TEXT_LIMIT) break;
      out += chars[i];
    }
    return out;
  }

  /** An option number (1-based) as a choice response character, or null beyond 26 options. */
  function letter(number) {
    return Number.isInteger(number) && number >= 1 && number <= LETTERS.length ? LETTERS.charAt(number - 1) : null;
  }

  function letters(numbers) {
    if (!Array.isArray(numbers)) return null;
    var out = [];
    var sorted = numbers.slice().sort(function (a, b) {
      return a - b;
    });
    for (var i = 0; i < sorted.length; i++) {
      var one = letter(sorted[i]);
      if (one === null) return null;
      out.push(one);
    }
    return out.join(","); // an empty choice is the empty response
  }

  /** The interaction's SCORM type, the student's response and the correct pattern, in SCORM 1.2's
   * vocabulary for that type; a response or pattern that cannot be written validly is null. */
  function interaction(answer) {
    var spec = answer.spec || {};
    var value = answer.value;
    switch (spec.type || answer.type) {
      case "choice":
        return { type: "choice", response: letter(value), pattern: letter(spec.answer) };
      case "multi":
        return { type: "choice", response: letters(value), pattern: letters(spec.answers) };
      case "true_false":
        return {
          type: "true-false",
          response: typeof value === "boolean" ? (value ? "t" : "f") : null,
          pattern: typeof spec.answer === "boolean" ? (spec.answer ? "t" : "f") : null,
        };
      case "integer":
        return { type: "numeric", response: decimal(String(value)), pattern: decimal(String(spec.answer)) };
      case "numeric":
        return { type: "numeric", response: decimal(value), pattern: decimal(spec.answer) };
      case "text":
        return {
          type: "fill-in",
          response: typeof value === "string" ? string255(value) : null,
          pattern: spec.forms && spec.forms.length ? string255(spec.forms[0]) : null,
        };
      default:
        return null;
    }
  }

  // -- the LMS session -----------------------------------------------------------------

  function connect(api) {
    var errors = [];

    function lastError(call, element) {
      var code = "0";
      try {
        code = String(api.LMSGetLastError());
      } catch (e) {
        code = "exception";
      }
      if (code !== "0" && code !== "") {
        var text = "";
        try {
          text = code === "exception" ? "" : String(api.LMSGetErrorString(code));
        } catch (e) {
          text = "";
        }
        var line = call + (element ? "(" + element + ")" : "") + ": SCORM error " + code + (text ? " (" + text + ")" : "");
        errors.push(line);
        if (window.console && console.warn) console.warn("quizgen SCORM: " + line);
        return false;
      }
      return true;
    }

    function call(name, element, args) {
      try {
        var result = api[name].apply(api, args);
        var ok = lastError(name, element);
        return { ok: ok && result !== "false" && result !== false, value: result };
      } catch (e) {
        var line = name + (element ? "(" + element + ")" : "") + ": " + String((e && e.message) || e);
        errors.push(line);
        return { ok: false, value: null };
      }
    }

    function get(element) {
      var result = call("LMSGetValue", element, [element]);
      return result.ok && result.value != null ? String(result.value) : "";
    }

    var dirty = false;
    function set(element, value) {
      if (value === null || value === undefined) return false;
      dirty = true;
      return call("LMSSetValue", element, [element, String(value)]).ok;
    }

    function commit() {
      dirty = false;
      return call("LMSCommit", "", [""]).ok;
    }

    if (!call("LMSInitialize", "", [""]).ok) return null;

    var startedAt = Date.now();
    var entry = get("cmi.core.entry");
    var suspended = get("cmi.suspend_data");
    var lessonMode = get("cmi.core.lesson_mode");
    var review = lessonMode === "review" || lessonMode === "browse";
    var status = get("cmi.core.lesson_status");
    var reported = get("cmi.core.score.raw") !== ""; // a score the LMS already holds (an earlier session)
    var passMark = null;
    var finishedSet = false;
    var done = false;
    var pending = false;

    function masteryScore(info) {
      // The LMS's mastery score (from the manifest's adlcp:masteryscore, or set by the LMS) wins.
      var fromLms = get("cmi.student_data.mastery_score");
      if (fromLms !== "" && isFinite(Number(fromLms))) return Number(fromLms);
      var fromPage = info && info.passMark;
      return typeof fromPage === "number" && isFinite(fromPage) ? fromPage : null;
    }

    function later() {
      // save() and record() commit once, after the page's current task (score() commits at once).
      if (pending) return;
      pending = true;
      setTimeout(function () {
        pending = false;
        if (dirty && !done) commit();
      }, 0);
    }

    var backend = {
      name: "scorm",
      errors: errors,
      entry: entry,

      start: function (info) {
        try {
          passMark = masteryScore(info);
          if (!review && (status === "not attempted" || status === "")) {
            set("cmi.core.lesson_status", "incomplete");
            commit();
          }
          return entry === "ab-initio" || suspended === "" ? null : suspended;
        } catch (e) {
          errors.push("start: " + e);
          return null;
        }
      },

      save: function (state) {
        try {
          if (done || typeof state !== "string") return false;
          if (state.length > SUSPEND_LIMIT) {
            errors.push("save: the state is " + state.length + " characters, over suspend_data's 4,096; not saved");
            return false;
          }
          var ok = set("cmi.suspend_data", state);
          later();
          return ok;
        } catch (e) {
          errors.push("save: " + e);
          return false;
        }
      },

      record: function (answer) {
        try {
          if (done || !answer || (answer.result !== "correct" && answer.result !== "wrong")) return false;
          var kind = interaction(answer);
          if (!kind) return false;
          var count = get("cmi.interactions._count");
          if (!/^\d+$/.test(count)) return false; // the LMS keeps no interactions
          var base = "cmi.interactions." + count + ".";
          var ok = set(base + "id", identifier(answer.id));
          if (!ok) return false;
          set(base + "type", kind.type);
          set(base + "time", clock(answer.when));
          if (kind.response !== null) set(base + "student_response", kind.response);
          set(base + "result", answer.result);
          set(base + "latency", timespan(answer.latency));
          if (kind.pattern !== null) set(base + "correct_responses.0.pattern", kind.pattern);
          later();
          return true;
        } catch (e) {
          errors.push("record: " + e);
          return false;
        }
      },

      score: function (progress) {
        try {
          if (done || !progress || review) return false;
          var total = Number(progress.total) || 0;
          var right = Math.max(0, Math.min(total, Number(progress.right) || 0));
          var raw = total > 0 ? Math.round((100 * right) / total) : 0;
          finishedSet = total > 0 && Boolean(progress.finished);
          if (!reported && !(Number(progress.answered) > 0)) return true; // nothing to report yet
          reported = true;
          set("cmi.core.score.min", "0");
          set("cmi.core.score.max", "100");
          set("cmi.core.score.raw", String(raw));
          var lesson = "incomplete";
          if (finishedSet) lesson = passMark === null ? "completed" : raw >= passMark ? "passed" : "failed";
          set("cmi.core.lesson_status", lesson);
          return commit();
        } catch (e) {
          errors.push("score: " + e);
          return false;
        }
      },

      finish: function () {
        if (done) return false;
        done = true;
        try {
          set("cmi.core.session_time", timespan((Date.now() - startedAt) / 1000));
          set("cmi.core.exit", finishedSet ? "" : "suspend");
          commit();
          return call("LMSFinish", "", [""]).ok;
        } catch (e) {
          errors.push("finish: " + e);
          return false;
        }
      },
    };

    function leave() {
      backend.finish();
    }
    window.addEventListener("pagehide", leave);
    window.addEventListener("unload", leave);
    return backend;
  }

  var api = getAPI();
  if (api) {
    var backend = connect(api);
    if (backend) window.QuizgenBackend = backend;
  }
  // For tests of the data types (no effect on the page).
  window.QuizgenScorm = { timespan: timespan, clock: clock, identifier: identifier, decimal: decimal, interaction: interaction };
})();
