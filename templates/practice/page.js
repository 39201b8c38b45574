/* quizgen practice page: quizgen drill's questions, grading and teaching in a browser.
 *
 * Reads the page's JSON document (<script id="quizgen-data">, built by quizgen/exporters/page.py),
 * grades with QuizgenGrader (grader.js: the drill's rule, held to quizgen/grading.py by
 * tests/shared/grading-table.json and a property test), and keeps progress through a backend:
 * window.QuizgenBackend when scorm.js found an LMS, else this page's localStorage backend.
 *
 * HTML from the document (prompts, options, answers, feedback, explanations) was rendered and
 * escaped by quizgen; everything else (titles, messages, what a student typed) goes in as text.
 *
 * Saved state (the same string in localStorage and in SCORM's cmi.suspend_data, at most 4,096
 * characters): "q1;<mode d|q>;<filter: a all, m missed, t<topic number, base 36>>;<position>;<status per skill: 0 new, 1 right, 2 wrong>;
 * <variant shown per skill, base 36, '.'-separated>;<the 'missed' round's skills, base 36, '.'-separated>"
 */
(function () {
  "use strict";

  var doc = document;

  function fail(message) {
    var box = doc.getElementById("notice");
    box.textContent = message;
    box.hidden = false;
  }

  // The document is JSON; each skill's variants travel gzip-compressed and base64-encoded
  // ("packed", with their "count"), unpacked by inflate() below when the skill is first shown: the
  // first question is on screen at once, and every browser reads it (no DecompressionStream needed).
  function load() {
    var data = JSON.parse(doc.getElementById("quizgen-data").textContent);
    if (data && data.format === 1) data.skills.forEach(lazyVariants);
    return data;
  }

  function lazyVariants(skill) {
    var unpacked = null;
    Object.defineProperty(skill, "variants", {
      get: function () {
        if (unpacked === null) {
          var binary = atob(skill.packed);
          var bytes = new Uint8Array(binary.length);
          for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i); // 10x Uint8Array.from
          unpacked = JSON.parse(new TextDecoder().decode(gunzip(bytes)));
          if (unpacked.length !== skill.count) throw new Error("skill " + skill.id + " is damaged");
        }
        return unpacked;
      },
    });
  }

  function gunzip(data) {
    if (data[0] !== 31 || data[1] !== 139 || data[2] !== 8) throw new Error("not gzip data");
    var flags = data[3];
    var at = 10;
    if (flags & 4) at += 2 + (data[at] | (data[at + 1] << 8));
    if (flags & 8) while (data[at++]);
    if (flags & 16) while (data[at++]);
    if (flags & 2) at += 2;
    return inflate(data.subarray(at));
  }

  // RFC 1951 inflate after Mark Adler's puff.c: canonical Huffman codes decoded a bit at a time.
  var LBASE = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
    227, 258,
  ];
  var LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DBASE = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
    4097, 6145, 8193, 12289, 16385, 24577,
  ];
  var DEXT = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
  ];
  var ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  function inflate(data) {
    var pos = 0;
    var buffer = 0;
    var held = 0;
    var out = new Uint8Array(data.length * 8 + 1024);
    var size = 0;

    function room(n) {
      if (size + n <= out.length) return;
      var bigger = new Uint8Array(Math.max(out.length * 2, size + n));
      bigger.set(out.subarray(0, size));
      out = bigger;
    }
    function bits(n) {
      while (held < n) {
        if (pos >= data.length) throw new Error("the compressed data ends too soon");
        buffer |= data[pos++] << held;
        held += 8;
      }
      var value = buffer & ((1 << n) - 1);
      buffer >>>= n;
      held -= n;
      return value;
    }
    // A canonical Huffman code as a lookup table: the next `max` bits (least significant first, as
    // deflate packs codes reversed) index an entry holding symbol << 4 | code length (0: no code).
    function huffman(lengths, n) {
      var count = new Uint16Array(16);
      var next = new Uint16Array(16);
      var max = 1;
      for (var i = 0; i < n; i++) {
        count[lengths[i]]++;
        if (lengths[i] > max) max = lengths[i];
      }
      count[0] = 0;
      for (var code = 0, length = 1; length < 16; length++) {
        code = (code + count[length - 1]) << 1;
        next[length] = code;
      }
      var table = new Int32Array(1 << max);
      for (i = 0; i < n; i++) {
        var bitsOf = lengths[i];
        if (!bitsOf) continue;
        var forward = next[bitsOf]++;
        var reversed = 0;
        for (var k = 0; k < bitsOf; k++) reversed = (reversed << 1) | ((forward >> k) & 1);
        for (var j = reversed; j < table.length; j += 1 << bitsOf) table[j] = (i << 4) | bitsOf;
      }
      return { table: table, max: max };
    }
    function decode(h) {
      while (held < h.max) {
        if (pos < data.length) buffer |= data[pos] << held;
        pos++; // past the end: zero bits, caught below if they are used
        held += 8;
      }
      var entry = h.table[buffer & ((1 << h.max) - 1)];
      var length = entry & 15;
      if (!length) throw new Error("a bad Huffman code in the compressed data");
      buffer >>>= length;
      held -= length;
      if (pos - (held >> 3) > data.length) throw new Error("the compressed data ends too soon");
      return entry >> 4;
    }
    function codes(lit, dist) {
      for (;;) {
        var symbol = decode(lit);
        if (symbol < 256) {
          room(1);
          out[size++] = symbol;
        } else if (symbol === 256) {
          return;
        } else {
          symbol -= 257;
          if (symbol >= 29) throw new Error("a bad length in the compressed data");
          var length = LBASE[symbol] + bits(LEXT[symbol]);
          var d = decode(dist);
          var distance = DBASE[d] + bits(DEXT[d]);
          if (distance > size) throw new Error("a distance too far back in the compressed data");
          room(length);
          for (var i = 0; i < length; i++, size++) out[size] = out[size - distance];
        }
      }
    }
    var fixedLit = null;
    var fixedDist = null;
    var last;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {
        pos -= held >> 3; // whole bytes read ahead by decode() belong to the stored block
        buffer = 0;
        held = 0;
        var length = data[pos] | (data[pos + 1] << 8);
        pos += 4;
        room(length);
        out.set(data.subarray(pos, pos + length), size);
        size += length;
        pos += length;
      } else if (type === 1) {
        if (!fixedLit) {
          var l = new Uint8Array(288);
          for (var i = 0; i < 288; i++) l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
          fixedLit = huffman(l, 288);
          var dl = new Uint8Array(30).fill(5);
          fixedDist = huffman(dl, 30);
        }
        codes(fixedLit, fixedDist);
      } else if (type === 2) {
        var nlen = bits(5) + 257;
        var ndist = bits(5) + 1;
        var ncode = bits(4) + 4;
        var lengths = new Uint8Array(19);
        for (i = 0; i < ncode; i++) lengths[ORDER[i]] = bits(3);
        var lencode = huffman(lengths, 19);
        var all = new Uint8Array(nlen + ndist);
        var index = 0;
        while (index < nlen + ndist) {
          var symbol = decode(lencode);
          if (symbol < 16) {
            all[index++] = symbol;
          } else {
            var repeat = 0;
            var times;
            if (symbol === 16) {
              if (index === 0) throw new Error("a repeat with nothing to repeat in the compressed data");
              repeat = all[index - 1];
              times = 3 + bits(2);
            } else if (symbol === 17) {
              times = 3 + bits(3);
            } else {
              times = 11 + bits(7);
            }
            if (index + times > nlen + ndist) throw new Error("too many code lengths in the compressed data");
            while (times--) all[index++] = repeat;
          }
        }
        codes(huffman(all.subarray(0, nlen), nlen), huffman(all.subarray(nlen), ndist));
      } else {
        throw new Error("a bad block type in the compressed data");
      }
    } while (!last);
    return out.subarray(0, size);
  }

  function run(DATA) {
    var LIMIT = 4096;
    var main = doc.getElementById("practice");
    var statusBar = doc.getElementById("status");
    var noticeBox = doc.getElementById("notice");

    var skills = DATA.skills;
    var total = skills.length;
    var passMark = typeof DATA.passMark === "number" ? DATA.passMark : null;
    var status = [];
    var shown = [];
    for (var k = 0; k < total; k++) {
      status.push(0);
      shown.push(0);
    }
    var mode = DATA.mode === "quiz" ? "quiz" : "drill";
    var filter = "all"; // "all", "missed" or a topic's id
    var topicIds = Object.keys(DATA.topics);
    var topicChooser = doc.getElementById("topic");
    var missedRound = [];
    var position = 0;
    var answeredNow = 0;
    var started = {};
    var backend = window.QuizgenBackend || localBackend();

    function notice(message) {
      noticeBox.textContent = message;
      noticeBox.hidden = !message;
    }

    // -- keeping progress ---------------------------------------------------------------------

    function localBackend() {
      var key = "quizgen:" + DATA.set;
      var store = null;
      try {
        store = window.localStorage;
        store.setItem(key + ":probe", "1");
        store.removeItem(key + ":probe");
      } catch (error) {
        store = null;
      }
      return {
        name: "local",
        available: store !== null,
        start: function () {
          try {
            return store ? store.getItem(key) : null;
          } catch (error) {
            return null;
          }
        },
        save: function (state) {
          if (!store) return;
          try {
            store.setItem(key, state);
          } catch (error) {
            notice(
              "Your progress could not be kept in this browser (" +
                error.name +
                "); the page still checks answers.",
            );
          }
        },
        clear: function () {
          try {
            if (store) store.removeItem(key);
          } catch (error) {
            /* nothing kept, nothing to clear */
          }
        },
        record: function () {},
        score: function () {},
        finish: function () {},
      };
    }

    function encode() {
      var parts = [
        "q1",
        mode === "quiz" ? "q" : "d",
        filter === "missed" ? "m" : filter === "all" ? "a" : "t" + topicIds.indexOf(filter).toString(36),
        position.toString(36),
        status.join(""),
        shown
          .map(function (v) {
            return v.toString(36);
          })
          .join("."),
        missedRound
          .map(function (v) {
            return v.toString(36);
          })
          .join("."),
      ];
      var state = parts.join(";");
      if (state.length > LIMIT) {
        parts[6] = ""; // the round can be rebuilt from the statuses
        parts[2] = "a";
        state = parts.join(";");
      }
      return state.length > LIMIT ? state.slice(0, 0) : state;
    }

    function decode(state) {
      if (typeof state !== "string" || state.slice(0, 3) !== "q1;") return false;
      var parts = state.split(";");
      if (parts.length !== 7 || parts[4].length !== total || !/^[012]*$/.test(parts[4])) return false;
      var variants = parts[5]
        ? parts[5].split(".").map(function (v) {
            return parseInt(v, 36);
          })
        : [];
      if (variants.length !== total) return false;
      for (var i = 0; i < total; i++) {
        if (!(variants[i] >= 0 && variants[i] < skills[i].count)) return false;
      }
      var round = parts[6]
        ? parts[6].split(".").map(function (v) {
            return parseInt(v, 36);
          })
        : [];
      if (
        round.some(function (v) {
          return !(v >= 0 && v < total);
        })
      )
        return false;
      mode = parts[1] === "q" ? "quiz" : "drill";
      var topic = parts[2].charAt(0) === "t" ? topicIds[parseInt(parts[2].slice(1), 36)] : undefined;
      filter = parts[2] === "m" && round.length ? "missed" : topic !== undefined ? topic : "all";
      missedRound = round;
      status = parts[4].split("").map(Number);
      shown = variants;
      var at = parseInt(parts[3], 36);
      position = at >= 0 ? at : 0;
      return true;
    }

    function progress() {
      var right = 0;
      var answered = 0;
      for (var i = 0; i < total; i++) {
        if (status[i]) answered++;
        if (status[i] === 1) right++;
      }
      return { right: right, answered: answered, total: total, finished: answered === total };
    }

    function percent(p) {
      return Math.round((100 * p.right) / p.total);
    }

    // -- the status line and tools ---------------------------------------------------------------

    function showStatus() {
      var p = progress();
      statusBar.textContent = "";
      var score = el("span", "score", "Score " + p.right + " of " + p.total + " (" + percent(p) + "%)");
      statusBar.appendChild(score);
      var missed = p.answered - p.right;
      var rest = " · " + p.answered + " answered" + (missed ? " · " + missed + " to practise again" : "");
      if (passMark !== null) rest += " · pass mark " + passMark + "%";
      statusBar.appendChild(doc.createTextNode(rest));
      if (p.finished) {
        var passed = passMark === null || percent(p) >= passMark;
        statusBar.appendChild(doc.createTextNode(" · "));
        statusBar.appendChild(
          el(
            "span",
            passed ? "done" : "failed",
            passMark === null ? "all answered" : passed ? "passed" : "not passed yet",
          ),
        );
      }
      doc.getElementById("btn-missed").disabled = missed === 0;
      doc.getElementById("btn-mode").textContent =
        mode === "drill" ? "Show all questions at once" : "One question at a time";
      doc.getElementById("btn-all").hidden = filter !== "missed";
      topicChooser.value = filter === "missed" || filter === "all" ? "" : filter;
    }

    function el(tag, className, text) {
      var node = doc.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function html(tag, className, markup) {
      var node = el(tag, className);
      node.innerHTML = markup; // rendered and escaped by quizgen
      return node;
    }

    function button(text, action, primary) {
      var node = el("button", primary ? "primary" : "", text);
      node.type = "button";
      node.addEventListener("click", action);
      return node;
    }

    // -- the order of questions ------------------------------------------------------------------

    function order() {
      if (filter === "missed") return missedRound;
      if (filter !== "all") {
        var chosen = [];
        for (var t = 0; t < total; t++) if (skills[t].topic === filter) chosen.push(t);
        return chosen;
      }
      var all = [];
      for (var i = 0; i < total; i++) all.push(i);
      return all;
    }

    // -- one question ------------------------------------------------------------------------------

    var CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

    function circled(n) {
      return n >= 1 && n <= 20 ? CIRCLED.charAt(n - 1) : "(" + n + ")";
    }

    function card(index, place, count) {
      var skill = skills[index];
      var q = skill.variants[shown[index]];
      var id = "q" + index;
      var box = el("section", "card");
      box.id = "card-" + index;
      box.dataset.place = String(place);
      box.dataset.count = String(count || 0);
      box.setAttribute("aria-labelledby", id + "-title");
      box.appendChild(el("h2", "", "Question " + place + (count ? " of " + count : "")));
      box.lastChild.id = id + "-title";
      var where = el("p", "where");
      where.appendChild(el("span", "", DATA.topics[skill.topic] || skill.topic));
      where.appendChild(el("span", "", q.label));
      if (skill.count > 1)
        where.appendChild(el("span", "", "variant " + (shown[index] + 1) + " of " + skill.count));
      if (status[index])
        where.appendChild(el("span", "", status[index] === 1 ? "last answer: right" : "last answer: wrong"));
      box.appendChild(where);
      box.appendChild(html("div", "prompt", q.prompt));
      box.lastChild.id = id + "-prompt";

      var form = el("form");
      form.noValidate = true;
      var inputs = [];
      var typed = null;
      if (q.options.length) {
        var set = el("fieldset");
        var multi = q.type === "multi";
        set.appendChild(
          el(
            "legend",
            "",
            (multi ? "Select all that apply" : "Choose one") + " (click, or press the option's number)",
          ),
        );
        var list = el("ul", "options");
        q.options.forEach(function (text, i) {
          var item = el("li");
          var label = el("label");
          var input = el("input");
          input.type = multi ? "checkbox" : "radio";
          input.name = id + "-option";
          input.value = String(i + 1);
          input.setAttribute("aria-describedby", id + "-problem");
          label.appendChild(input);
          label.appendChild(el("span", "num", circled(i + 1)));
          label.appendChild(html("span", "", text));
          item.appendChild(label);
          list.appendChild(item);
          inputs.push(input);
        });
        set.appendChild(list);
        form.appendChild(set);
      } else {
        var field = el("div", "typed");
        var label2 = el("label", "", "Your answer");
        label2.htmlFor = id + "-answer";
        typed = el("input");
        typed.type = "text";
        typed.id = id + "-answer";
        typed.name = "answer";
        typed.autocomplete = "off";
        typed.setAttribute("autocapitalize", "off");
        typed.setAttribute("autocorrect", "off");
        typed.spellcheck = false;
        typed.setAttribute("enterkeyhint", "done");
        var described = [id + "-problem"];
        field.appendChild(label2);
        field.appendChild(typed);
        if (q.form) {
          field.appendChild(el("p", "form", q.form));
          field.lastChild.id = id + "-form";
          described.unshift(id + "-form");
        }
        typed.setAttribute("aria-describedby", described.join(" "));
        form.appendChild(field);
      }
      var problem = el("p", "problem");
      problem.id = id + "-problem";
      problem.setAttribute("role", "alert");
      form.appendChild(problem);
      var hint = null;
      if (q.hint) {
        hint = html("p", "hint", "Hint: " + q.hint);
        hint.hidden = true;
        form.appendChild(hint);
      }
      var actions = el("div", "actions");
      var check = el("button", "primary", "Check");
      check.type = "submit";
      actions.appendChild(check);
      if (hint) {
        actions.appendChild(
          button("Hint", function () {
            hint.hidden = false;
          }),
        );
      }
      if (mode === "drill")
        actions.appendChild(
          button("Skip", function () {
            go(1);
          }),
        );
      form.appendChild(actions);
      box.appendChild(form);
      var verdict = el("div", "verdict");
      verdict.hidden = true;
      verdict.tabIndex = -1;
      verdict.setAttribute("aria-live", "polite");
      box.appendChild(verdict);

      started[index] = Date.now();
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        answer(index, q, typed, inputs, problem, form, verdict);
      });
      box.addEventListener("keydown", function (event) {
        if (event.target === typed || event.altKey || event.ctrlKey || event.metaKey) return;
        if (!inputs.length || inputs[0].disabled) return;
        if (/^[1-9]$/.test(event.key) && Number(event.key) <= inputs.length) {
          var input = inputs[Number(event.key) - 1];
          input.checked = input.type === "radio" ? true : !input.checked;
          input.focus();
          event.preventDefault();
        } else if (event.key === "Enter" && event.target.tagName === "INPUT") {
          event.preventDefault();
          answer(index, q, typed, inputs, problem, form, verdict);
        }
      });
      return { box: box, focus: typed || inputs[0] };
    }

    function typedAnswer(q, typed, inputs) {
      if (typed) return typed.value;
      var chosen = inputs
        .filter(function (input) {
          return input.checked;
        })
        .map(function (input) {
          return input.value;
        });
      if (!chosen.length) return null;
      if (q.type === "true_false") return chosen[0] === "1" ? "true" : "false";
      return chosen.join(",");
    }

    function answer(index, q, typed, inputs, problem, form, verdictBox) {
      if (!form.isConnected || form.dataset.done) return;
      var text = typedAnswer(q, typed, inputs);
      if (text === null) {
        problem.textContent = "Choose an option first: click it, or press its number.";
        return;
      }
      var result = QuizgenGrader.grade(q.grade, text);
      if (result.verdict === "unreadable") {
        // not graded, nothing recorded: the answer stays in the box to be corrected
        problem.textContent = sentence(result.message) + ".";
        if (typed) typed.setAttribute("aria-invalid", "true");
        return;
      }
      problem.textContent = "";
      if (typed) typed.removeAttribute("aria-invalid");
      form.dataset.done = "1";
      var correct = result.verdict === "correct";
      status[index] = correct ? 1 : 2;
      answeredNow++;
      inputs.forEach(function (input) {
        input.disabled = true;
        if (input.checked)
          input.parentNode.className = isRight(q, Number(input.value)) ? "chosen-right" : "chosen-wrong";
      });
      if (typed) typed.readOnly = true;
      form.querySelectorAll("button").forEach(function (b) {
        b.disabled = true;
      });
      teach(index, q, result, verdictBox);
      save();
      backend.record({
        n: answeredNow - 1,
        id: q.id,
        skill: skills[index].id,
        type: q.type,
        spec: q.grade,
        value: result.value,
        result: correct ? "correct" : "wrong",
        latency: (Date.now() - started[index]) / 1000,
        when: new Date(),
      });
      report();
    }

    function isRight(q, number) {
      if (q.type === "choice") return q.grade.answer === number;
      if (q.type === "multi") return q.grade.answers.indexOf(number) >= 0;
      return (number === 1) === q.grade.answer;
    }

    function sentence(text) {
      return text.charAt(0).toUpperCase() + text.slice(1);
    }

    function teach(index, q, result, box) {
      var correct = result.verdict === "correct";
      box.className = "verdict " + (correct ? "right" : "wrong");
      box.textContent = "";
      if (correct) {
        box.appendChild(el("p", "head", "✓ Correct."));
      } else {
        var head = el("p", "head", "✗ Not quite. The answer: ");
        if (q.type === "multi") {
          box.appendChild(head);
          box.appendChild(html("div", "answer", q.answer));
        } else {
          head.appendChild(html("span", "answer", q.answer));
          box.appendChild(head);
        }
        if (q.type === "multi") {
          var parts = ["You chose " + result.chosen.map(circled).join("")];
          if (result.missed.length) parts.push("missed " + result.missed.map(circled).join(""));
          var line = el("p", "why", parts.join("; "));
          result.wrong.forEach(function (n) {
            line.appendChild(doc.createTextNode("; " + circled(n) + " is wrong"));
            var info = optionTeaching(q, n);
            if (info && info.feedback) {
              line.appendChild(doc.createTextNode(": "));
              line.appendChild(html("span", "", info.feedback));
            }
          });
          box.appendChild(line);
        }
        var named =
          q.type === "choice" ? optionTeaching(q, result.option) : mistakeTeaching(q, result.mistake);
        if (named && named.title) {
          var what = q.type === "choice" || q.type === "multi" ? "option" : "answer";
          box.appendChild(
            html("p", "why", "That " + what + " reflects a common mistake: " + named.title + "."),
          );
        }
        if (named && named.feedback) box.appendChild(html("p", "why", named.feedback));
      }
      box.appendChild(html("div", "explanation", q.explanation));
      var next = el("div", "actions");
      var skill = skills[index];
      if (skill.count > 1) {
        next.appendChild(
          button("Another variant", function () {
            another(index, 1);
          }),
        );
      } else {
        next.appendChild(
          button("Try again", function () {
            another(index, 0);
          }),
        );
      }
      var ahead = null;
      if (mode === "drill") {
        ahead = button(
          atEnd() ? "See my score" : "Next question",
          function () {
            go(1);
          },
          true,
        );
        next.appendChild(ahead);
      }
      box.appendChild(next);
      box.hidden = false;
      (ahead || next.firstChild).focus({ preventScroll: true });
      box.scrollIntoView({ block: "nearest" });
    }

    function optionTeaching(q, n) {
      return q.optionNotes && n ? q.optionNotes[n - 1] : null;
    }

    function mistakeTeaching(q, i) {
      return typeof i === "number" && q.mistakeNotes ? q.mistakeNotes[i] : null;
    }

    // -- moving through the set ----------------------------------------------------------------

    function atEnd() {
      return position >= order().length - 1;
    }

    function another(index, step) {
      var count = skills[index].count;
      shown[index] = (shown[index] + step) % count;
      save();
      var old = doc.getElementById("card-" + index);
      if (mode === "quiz" && old) {
        // only this card changes: answers typed in the others stay where they are
        var made = card(index, Number(old.dataset.place), Number(old.dataset.count));
        old.replaceWith(made.box);
        if (made.focus) made.focus.focus();
        return;
      }
      draw();
    }

    function go(step) {
      position += step;
      save();
      draw();
    }

    function draw() {
      main.textContent = "";
      var list = order();
      if (mode === "quiz") {
        var heading = el(
          "h2",
          "",
          filter === "missed"
            ? "The questions you missed"
            : filter === "all"
              ? "All questions"
              : DATA.topics[filter],
        );
        main.appendChild(heading);
        list.forEach(function (index, i) {
          main.appendChild(card(index, i + 1, list.length).box);
        });
        if (progress().finished) main.appendChild(summary(false));
      } else if (position >= list.length) {
        main.appendChild(summary());
      } else {
        var made = card(list[position], position + 1, list.length);
        main.appendChild(made.box);
        if (made.focus && drawn) made.focus.focus({ preventScroll: true });
      }
      drawn = true;
      showStatus();
    }

    var drawn = false;

    function summary(focus) {
      var p = progress();
      var box = el("section", "card summary");
      box.setAttribute("aria-labelledby", "summary-title");
      box.appendChild(
        el(
          "h2",
          "",
          filter === "missed" ? "Round finished" : filter === "all" ? "Set finished" : "Topic finished",
        ),
      );
      box.lastChild.id = "summary-title";
      var line = "You have " + p.right + " of " + p.total + " right (" + percent(p) + "%)";
      if (p.answered < p.total) line += "; " + (p.total - p.answered) + " not answered yet (skipped)";
      box.appendChild(el("p", "", line + "."));
      if (passMark !== null && p.finished) {
        var passed = percent(p) >= passMark;
        box.appendChild(
          el(
            "p",
            passed ? "done" : "failed",
            passed
              ? "Passed (pass mark " + passMark + "%)."
              : "Not passed yet: the pass mark is " + passMark + "%.",
          ),
        );
      }
      var missed = [];
      for (var i = 0; i < total; i++) if (status[i] === 2) missed.push(i);
      if (missed.length) {
        box.appendChild(el("p", "", "To practise again:"));
        var list = el("ul");
        missed.forEach(function (i) {
          list.appendChild(el("li", "", skills[i].title));
        });
        box.appendChild(list);
      }
      var actions = el("div", "actions");
      if (missed.length) actions.appendChild(button("Practise what I missed", practiseMissed, true));
      actions.appendChild(
        button("Start again from question 1", function () {
          filter = "all";
          position = 0;
          save();
          draw();
        }),
      );
      if (backend.name === "scorm") actions.appendChild(button("Finish and send my score", leave));
      box.appendChild(actions);
      if (focus !== false) {
        setTimeout(function () {
          var first = actions.querySelector("button");
          if (first) first.focus({ preventScroll: true });
        }, 0);
      }
      return box;
    }

    function practiseMissed() {
      missedRound = [];
      for (var i = 0; i < total; i++) if (status[i] === 2) missedRound.push(i);
      if (!missedRound.length) return;
      filter = "missed";
      position = 0;
      missedRound.forEach(function (i) {
        if (skills[i].count > 1) shown[i] = (shown[i] + 1) % skills[i].count;
      });
      save();
      draw();
    }

    function save() {
      backend.save(encode());
    }

    function report() {
      var p = progress();
      backend.score(p);
      if (mode === "quiz" && p.finished && !main.querySelector("section.summary")) {
        main.appendChild(summary(false));
      }
      showStatus();
    }

    var left = false;

    function leave() {
      if (left) return;
      left = true;
      try {
        backend.finish();
      } catch (error) {
        /* the page keeps working */
      }
      notice(backend.name === "scorm" ? "Your score has been sent. You can close this window." : "");
    }

    // -- start -----------------------------------------------------------------------------------------

    var resumed = false;
    try {
      resumed = decode(
        backend.start({
          set: DATA.set,
          title: DATA.title,
          total: total,
          passMark: passMark,
          mode: DATA.mode,
        }),
      );
    } catch (error) {
      resumed = false;
    }
    if (backend.name === "local" && !backend.available) {
      notice(
        "This browser does not let the page keep your progress (private browsing, or storage turned off); answers are still checked.",
      );
    }
    doc.getElementById("tools").hidden = false;
    topicIds.forEach(function (id) {
      var count = skills.filter(function (skill) {
        return skill.topic === id;
      }).length;
      var option = el("option", "", DATA.topics[id] + " (" + count + ")");
      option.value = id;
      topicChooser.appendChild(option);
    });
    doc.getElementById("topic-chooser").hidden = topicIds.length < 2;
    topicChooser.addEventListener("change", function () {
      filter = topicChooser.value || "all";
      position = 0;
      save();
      draw();
    });
    doc.getElementById("btn-all").addEventListener("click", function () {
      filter = "all";
      position = 0;
      save();
      draw();
    });
    doc.getElementById("btn-missed").addEventListener("click", practiseMissed);
    doc.getElementById("btn-mode").addEventListener("click", function () {
      mode = mode === "drill" ? "quiz" : "drill";
      save();
      draw();
    });
    var confirmBox = doc.getElementById("confirm-clear");
    doc.getElementById("btn-clear").addEventListener("click", function () {
      confirmBox.hidden = false;
      doc.getElementById("btn-clear-no").focus();
    });
    doc.getElementById("btn-clear-no").addEventListener("click", function () {
      confirmBox.hidden = true;
      doc.getElementById("btn-clear").focus();
    });
    doc.getElementById("btn-clear-yes").addEventListener("click", function () {
      for (var i = 0; i < total; i++) {
        status[i] = 0;
        shown[i] = 0;
      }
      filter = "all";
      missedRound = [];
      position = 0;
      if (backend.clear) backend.clear();
      else save();
      confirmBox.hidden = true;
      notice("Progress cleared.");
      report();
      draw();
    });
    window.addEventListener("pagehide", leave);
    if (resumed) notice("Welcome back: your earlier answers are kept.");
    backend.score(progress());
    draw();
    window.QuizgenPractice = { encode: encode, progress: progress, ready: true };
    doc.documentElement.setAttribute("data-quizgen-ready", "");
  }

  // after every table and function above is defined
  var data;
  try {
    data = load();
  } catch (error) {
    fail("This page's questions cannot be read (" + error.message + "). Export it again with quizgen.");
    return;
  }
  if (!data || data.format !== 1) {
    fail("This page was made by another version of quizgen; export it again.");
    return;
  }
  run(data);
})();
