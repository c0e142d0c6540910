// quorum: the search page. It loads search/meta.json, then only the index
// chunks a query needs (gzip-compressed JSON, see docs/search.md): the
// word-to-stem map and postings of each word, the filter arrays, and the
// fragments of the results shown.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "../";
  var base = root + "search/";
  var PAGE = 10;
  var FACETS = [
    { key: "kind", label: "Kind" },
    { key: "status", label: "Status" },
    { key: "group", label: "Group", top: 12 },
    { key: "person", label: "Person", top: 12 },
    { key: "year", label: "Year" }
  ];
  var form = document.querySelector("form.search-page");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filtersBox = document.getElementById("search-filters");
  var more = document.getElementById("search-more");
  var filtersFold = document.getElementById("search-filters-box");
  var sortBox = document.getElementById("search-sort");
  if (!form || !input || !list) return;
  // Filters fold under a button on a phone; on a wide screen they stay open.
  var wide = window.matchMedia("(min-width: 48.01rem)");
  function unfold() { if (filtersFold && wide.matches) filtersFold.open = true; }
  wide.addEventListener("change", unfold);

  var cache = {};
  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path)
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status + " for " + path);
          return r.arrayBuffer();
        })
        .then(function (buf) {
          var b = new Uint8Array(buf);
          if (b.length > 1 && b[0] === 0x1f && b[1] === 0x8b) {
            var stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"));
            return new Response(stream).text();
          }
          return new TextDecoder().decode(b);
        })
        .then(JSON.parse);
    }
    return cache[path];
  }

  // The same words as the index: letters and digits, lowercased, no single letters.
  var SPLIT = /[^\p{Alphabetic}\p{N}]+/u;
  function words(text) {
    return text.toLowerCase().split(SPLIT).filter(function (w) {
      return w && (Array.from(w).length > 1 || /^[0-9]$/.test(w));
    });
  }
  // Index of the chunk whose range holds key: the last first-key <= key.
  function chunkOf(firsts, key) {
    var lo = 0, hi = firsts.length - 1, at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= key) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return at;
  }
  function stemOf(meta, word) {
    var i = chunkOf(meta.words, word);
    if (i < 0) return Promise.resolve(word);
    return load("w/" + i + ".jz").then(function (m) {
      return Object.prototype.hasOwnProperty.call(m, word) ? m[word] : word;
    });
  }
  function entry(meta, stem) {
    var i = chunkOf(meta.stems, stem);
    if (i < 0) return Promise.resolve(null);
    return load("p/" + i + ".jz").then(function (c) {
      return Object.prototype.hasOwnProperty.call(c, stem) ? c[stem] : null;
    });
  }
  // Words the index never saw: try the plain forms a stemmer would give.
  function candidates(word) {
    var out = [];
    [["ies", "i"], ["es", ""], ["s", ""], ["ing", ""], ["ed", ""], ["ly", ""]].forEach(function (r) {
      if (word.length > r[0].length + 2 && word.slice(-r[0].length) === r[0]) out.push(word.slice(0, -r[0].length) + r[1]);
    });
    return out;
  }
  function exact(meta, word) {
    return stemOf(meta, word).then(function (stem) {
      return entry(meta, stem).then(function (e) {
        if (e) return e;
        var tries = candidates(word);
        return Promise.all(tries.map(function (c) { return entry(meta, c); })).then(function (es) {
          return es.filter(Boolean)[0] || null;
        });
      });
    });
  }
  // Stems starting with a word being typed (at most 8, most used first).
  function prefixed(meta, word) {
    var from = Math.max(chunkOf(meta.stems, word), 0), to = from;
    while (to + 1 < meta.stems.length && meta.stems[to + 1] <= word + "\uffff") to++;
    var loads = [];
    for (var i = from; i <= to; i++) loads.push(load("p/" + i + ".jz"));
    return Promise.all(loads).then(function (cs) {
      var found = [];
      cs.forEach(function (c) {
        Object.keys(c).forEach(function (k) {
          if (k.indexOf(word) === 0) found.push(c[k]);
        });
      });
      found.sort(function (a, b) { return b[1].length - a[1].length; });
      return found.slice(0, 8);
    });
  }
  function decode(e) {
    var m = new Map(), p = e[1], doc = 0;
    for (var i = 0; i < p.length; i += 2) { doc += p[i]; m.set(doc, p[i + 1]); }
    return m;
  }

  // One query: for each word, its documents and scores; documents must match every word.
  function match(meta, q, typing) {
    var ws = Array.from(new Set(words(q)));
    return Promise.all(ws.map(function (w, i) {
      var last = typing && i === ws.length - 1 && Array.from(w).length >= 3;
      return exact(meta, w).then(function (e) {
        var more = last ? prefixed(meta, w) : Promise.resolve([]);
        return more.then(function (ps) {
          var parts = [];
          if (e) parts.push({ e: e, weight: 1 });
          ps.forEach(function (p) { if (p !== e) parts.push({ e: p, weight: 0.5 }); });
          return parts;
        });
      });
    })).then(function (perWord) {
      var forms = new Set(), prefixes = [];
      var scores = null;
      perWord.forEach(function (parts, i) {
        var mine = new Map();
        parts.forEach(function (part) {
          part.e[0].forEach(function (f) { forms.add(f); });
          var postings = decode(part.e);
          var idf = Math.log(1 + meta.n / Math.max(postings.size, 1));
          postings.forEach(function (s, doc) {
            var v = s * idf * part.weight;
            if (!(mine.get(doc) >= v)) mine.set(doc, v);
          });
        });
        if (typing && i === perWord.length - 1) prefixes.push(ws[i]);
        if (scores === null) scores = mine;
        else {
          var next = new Map();
          scores.forEach(function (v, doc) { if (mine.has(doc)) next.set(doc, v + mine.get(doc)); });
          scores = next;
        }
      });
      return { scores: scores || new Map(), forms: forms, prefixes: prefixes, words: ws };
    });
  }

  // Filters: read from and written to the address, by value name.
  function params() { return new URLSearchParams(location.search); }
  function selected(meta, facets) {
    var p = params(), sel = {};
    FACETS.forEach(function (f) {
      var names = valueNames(meta, f.key);
      sel[f.key] = new Set(p.getAll(f.key).map(function (v) { return names.indexOf(v); }).filter(function (i) { return i >= 0; }));
    });
    return sel;
  }
  function valueNames(meta, key) {
    return { kind: meta.kinds, status: meta.statuses, group: meta.groups, person: meta.people,
             year: meta.years.map(String) }[key];
  }
  function valuesOf(facets, key, doc) {
    switch (key) {
      case "kind": return [facets.f.k[doc]];
      case "group": return facets.f.g[doc] >= 0 ? [facets.f.g[doc]] : [];
      case "year": return facets.f.y[doc] >= 0 ? [facets.f.y[doc]] : [];
      case "person": return (facets.pp && facets.pp[doc]) || [];
      default:
        var bits = facets.f.s[doc], out = [];
        for (var i = 0; bits; i++, bits >>= 1) if (bits & 1) out.push(i);
        return out;
    }
  }
  function passes(facets, sel, doc, except) {
    return FACETS.every(function (f) {
      if (f.key === except || sel[f.key].size === 0) return true;
      return valuesOf(facets, f.key, doc).some(function (v) { return sel[f.key].has(v); });
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var TOKEN = /[\p{Alphabetic}\p{N}]+/gu;
  function hits(m, word) {
    var w = word.toLowerCase();
    if (m.forms.has(w)) return true;
    return m.prefixes.some(function (p) { return w.indexOf(p) === 0; });
  }
  function highlight(text, m) {
    var out = "", at = 0, t;
    TOKEN.lastIndex = 0;
    while ((t = TOKEN.exec(text))) {
      if (hits(m, t[0])) {
        out += escapeHtml(text.slice(at, t.index)) + "<mark>" + escapeHtml(t[0]) + "</mark>";
        at = t.index + t[0].length;
      }
    }
    return out + escapeHtml(text.slice(at));
  }
  // About 30 words around the densest run of matches.
  function excerpt(text, m) {
    var toks = [], t;
    TOKEN.lastIndex = 0;
    while ((t = TOKEN.exec(text))) toks.push({ at: t.index, end: t.index + t[0].length, hit: hits(m, t[0]) });
    if (!toks.length) return "";
    var span = 30, best = 0, bestAt = 0, n = 0;
    for (var i = 0; i < toks.length; i++) {
      if (toks[i].hit) n++;
      if (i >= span && toks[i - span].hit) n--;
      if (n > best) { best = n; bestAt = Math.max(0, i - span + 1); }
    }
    if (best > 0) bestAt = Math.max(0, bestAt - 5);
    var last = Math.min(toks.length - 1, bestAt + span - 1);
    var start = toks[bestAt].at, end = toks[last].end;
    return (/[\p{Alphabetic}\p{N}]/u.test(text.slice(0, start)) ? "… " : "") + highlight(text.slice(start, end), m) + (/[\p{Alphabetic}\p{N}]/u.test(text.slice(end)) ? " …" : "");
  }

  var seq = 0, state = null;
  function run(typing) {
    var q = input.value.trim();
    var mine = ++seq;
    if (!q) {
      list.innerHTML = "";
      filtersBox.innerHTML = "";
      if (filtersFold) filtersFold.hidden = true;
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return load("meta.json").then(function (meta) {
      // Who each document concerns is the largest filter file: it loads when
      // the person filter is used, not with every search.
      var people = params().has("person") ? load("pp.jz") : Promise.resolve(null);
      return Promise.all([match(meta, q, typing), load("f.jz"), people]).then(function (r) {
        if (mine !== seq) return;
        var m = r[0], facets = { f: r[1], pp: r[2] };
        var ranked = [];
        m.scores.forEach(function (s, doc) { ranked.push([doc, s]); });
        state = { meta: meta, m: m, facets: facets, ranked: ranked, q: q, shown: PAGE };
        rank();
        return show();
      });
    }).catch(function (e) {
      if (mine === seq) status.textContent = "Search failed: " + e.message;
    });
  }

  // Best match first, equal scores newest first (never by group); or newest
  // first, best match among the same day.
  function rank() {
    var d = state.facets.f.d || [], newest = sortBox && sortBox.value === "new";
    state.ranked.sort(function (a, b) {
      var byDate = (d[b[0]] || 0) - (d[a[0]] || 0), byScore = b[1] - a[1];
      return (newest ? byDate || byScore : byScore || byDate) || a[0] - b[0];
    });
  }

  function show() {
    var s = state, sel = selected(s.meta, s.facets);
    var docs = s.ranked.filter(function (r) { return passes(s.facets, sel, r[0]); });
    renderFilters(s, sel);
    var n = docs.length;
    var page = docs.slice(0, s.shown);
    var mine = seq;
    return Promise.all(page.map(function (r) {
      return load("d/" + Math.floor(r[0] / s.meta.frag) + ".jz").then(function (shard) {
        return shard[r[0] % s.meta.frag];
      });
    })).then(function (frags) {
      if (mine !== seq) return;
      list.innerHTML = "";
      frags.forEach(function (f, i) {
        var doc = page[i][0];
        var li = document.createElement("li");
        var kind = s.meta.kinds[s.facets.f.k[doc]];
        var g = s.facets.f.g[doc];
        var meta = [kind];
        if (f[2]) meta.push(f[2]);
        if (g >= 0 && kind !== "group") meta.push(s.meta.groups[g]);
        var st = valuesOf(s.facets, "status", doc).map(function (v) { return s.meta.statuses[v].replace("-", " "); });
        if (st.length) meta.push(st.join(", "));
        li.innerHTML = '<a href="' + escapeHtml(root + f[0]) + '">' + highlight(f[1], s.m) + "</a>" +
          '<p class="meta">' + escapeHtml(meta.join(" · ")) + "</p>" +
          (f[3] ? "<p>" + excerpt(f[3], s.m) + "</p>" : "");
        list.appendChild(li);
      });
      more.hidden = docs.length <= s.shown;
      // Said once the list shows them: until then the previous results stand.
      status.textContent = n === 0 ? "No results for “" + s.q + "”." :
        n + (n === 1 ? " result" : " results") + " for “" + s.q + "”.";
    });
  }

  function peopleButton() {
    var fs = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = "Person";
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = "Count by person";
    b.addEventListener("click", function () {
      b.disabled = true;
      load("pp.jz").then(function (pp) {
        if (state) { state.facets.pp = pp; show(); }
      });
    });
    fs.appendChild(legend);
    fs.appendChild(b);
    return fs;
  }

  function renderFilters(s, sel) {
    filtersBox.innerHTML = "";
    if (filtersFold) { filtersFold.hidden = s.ranked.length === 0; unfold(); }
    FACETS.forEach(function (f) {
      if (f.key === "person" && !s.facets.pp) {
        if (s.ranked.length) filtersBox.appendChild(peopleButton());
        return;
      }
      var counts = new Map();
      s.ranked.forEach(function (r) {
        if (!passes(s.facets, sel, r[0], f.key)) return;
        valuesOf(s.facets, f.key, r[0]).forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
      });
      var names = valueNames(s.meta, f.key);
      var vals = Array.from(new Set(Array.from(counts.keys()).concat(Array.from(sel[f.key]))));
      if (f.key === "year") vals.sort(function (a, b) { return b - a; });
      else if (f.top) vals.sort(function (a, b) { return (counts.get(b) || 0) - (counts.get(a) || 0) || a - b; });
      else vals.sort(function (a, b) { return a - b; });
      if (f.top) vals = vals.filter(function (v, i) { return i < f.top || sel[f.key].has(v); });
      if (!vals.length) return;
      var fs = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = f.label;
      fs.appendChild(legend);
      vals.forEach(function (v) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = f.key;
        box.value = names[v];
        box.checked = sel[f.key].has(v);
        box.addEventListener("change", function () { toggle(f.key, names[v], box.checked); });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + (f.key === "status" ? names[v].replace("-", " ") : names[v]) + " "));
        var c = document.createElement("span");
        c.className = "count";
        c.textContent = "(" + (counts.get(v) || 0) + ")";
        label.appendChild(c);
        fs.appendChild(label);
      });
      filtersBox.appendChild(fs);
    });
  }

  function toggle(key, value, on) {
    var p = params();
    var vals = p.getAll(key).filter(function (v) { return v !== value; });
    if (on) vals.push(value);
    p.delete(key);
    vals.forEach(function (v) { p.append(key, v); });
    history.replaceState(null, "", "?" + p.toString());
    if (state) { state.shown = PAGE; show(); }
  }

  function setQuery(q) {
    var p = params();
    if (q) p.set("q", q); else p.delete("q");
    history.replaceState(null, "", "?" + p.toString());
  }

  if (sortBox) {
    sortBox.value = params().get("sort") === "new" ? "new" : "";
    sortBox.addEventListener("change", function () {
      var p = params();
      if (sortBox.value) p.set("sort", sortBox.value); else p.delete("sort");
      history.replaceState(null, "", "?" + p.toString());
      if (state) { rank(); state.shown = PAGE; show(); }
    });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    setQuery(input.value.trim());
    run(false);
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { setQuery(input.value.trim()); run(true); }, 250);
  });
  more.addEventListener("click", function () {
    if (state) { state.shown += PAGE; show(); }
  });
  var q0 = params().get("q");
  if (q0) {
    input.value = q0;
    run(false);
  }
})();
