/**
 * The HTML report's inline stylesheet and script. The script is plain ES2017 in a string (it runs
 * in the browser, not in Node); it draws each failure's heatmaps from the JSON embedded beside
 * them, switches slices, shows the value under the pointer, and copies code blocks.
 */

export const CSS = String.raw`
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --card: #fff;
  --fail: #b42318; --fail-bg: #fef3f2; --fail-line: #fda29b; --pass: #067647; --pass-bg: #ecfdf3;
  --known: #b54708; --known-bg: #fffaeb; --skip: #475467; --skip-bg: #f2f4f7; --accent: #3e4784; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
h1 .sub { color: var(--muted); font-weight: 500; }
h2 { font-size: 17px; margin: 32px 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; display: flex; align-items: center; gap: 8px; }
h4 { font-size: 13px; margin: 18px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
a { color: var(--accent); }
.top { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; }
.title { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.badge { font-weight: 600; font-size: 13px; padding: 3px 10px; border-radius: 999px; }
.badge.fail { color: var(--fail); background: var(--fail-bg); border: 1px solid var(--fail-line); }
.badge.pass { color: var(--pass); background: var(--pass-bg); border: 1px solid #abefc6; }
.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 3px 14px; margin: 14px 0 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.totals { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 16px; }
.total { border: 1px solid var(--line); border-radius: 8px; padding: 6px 14px; min-width: 104px; background: #fcfcfd; }
.total b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
.total span { color: var(--muted); font-size: 12px; }
.total.fail { border-color: var(--fail-line); background: var(--fail-bg); }
.total.fail b { color: var(--fail); }
.total.known b { color: var(--known); }
table.summary { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.summary th, .summary td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
.summary th { background: #f9fafb; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; }
.summary td.n, .summary th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.summary td.key { white-space: nowrap; }
.summary td.zero { color: #c0c5cf; }
.summary tr.first-of-oracle td { border-top: 2px solid var(--line); }
.summary tbody tr td.repeat { color: #b0b6c2; }
.summary tr.row-fail td { background: var(--fail-bg); }
.summary tr.row-fail td:first-child { box-shadow: inset 4px 0 0 var(--fail); }
.summary tr.row-fail td.failed-count { color: var(--fail); font-weight: 700; }
.summary tr.row-skip td { color: var(--skip); background: #fbfbfc; }
.summary td.note { color: var(--muted); font-size: 12.5px; max-width: 380px; overflow-wrap: anywhere; }
.chip { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 8px; border-radius: 999px; white-space: nowrap; text-decoration: none; }
.chip.fail { color: #fff; background: var(--fail); }
.chip.pass { color: var(--pass); background: var(--pass-bg); }
.chip.known { color: var(--known); background: var(--known-bg); border: 1px solid #fedf89; }
.chip.unavailable { color: #fff; background: #667085; }
.chip.not-applicable { color: var(--skip); background: var(--skip-bg); }
.known-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
.known-list li { background: var(--card); border: 1px solid var(--line); border-left: 4px solid #fdb022; border-radius: 8px; padding: 8px 12px; }
.known-list .where { color: var(--muted); font-size: 12.5px; }
.failure { background: var(--card); border: 1px solid var(--fail-line); border-left: 5px solid var(--fail); border-radius: 10px; padding: 16px 20px; margin: 14px 0; }
.message { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0 10px; font-size: 14.5px; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 0 0 8px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.ratio { color: var(--fail); font-weight: 700; }
.toolbar { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; margin: 12px 0 8px; color: var(--muted); font-size: 13px; }
.toolbar select { font: inherit; color: var(--fg); padding: 2px 6px; border: 1px solid #d0d5dd; border-radius: 6px; background: #fff; }
.panels { display: flex; gap: 22px; flex-wrap: wrap; align-items: flex-start; }
.panel { margin: 0; max-width: 100%; }
.panel .scroll { overflow-x: auto; max-width: 100%; }
.panel figcaption { font-weight: 600; font-size: 13px; margin-bottom: 6px; }
.panel figcaption span { color: var(--muted); font-weight: 400; }
.panel canvas { display: block; border: 1px solid #d0d5dd; cursor: crosshair; image-rendering: pixelated; }
.legend { margin-top: 6px; font-size: 11.5px; color: var(--muted); width: 180px; max-width: 100%; }
.legend .bar { height: 10px; border-radius: 2px; border: 1px solid #d0d5dd; }
.legend .ends { display: flex; justify-content: space-between; font-variant-numeric: tabular-nums; }
.legend .stats { margin-top: 2px; color: var(--fg); font-variant-numeric: tabular-nums; }
.legend .sw { display: inline-flex; align-items: center; gap: 4px; margin-right: 8px; }
.legend .sw i { display: inline-block; width: 10px; height: 10px; border: 1px solid #98a2b3; }
.readout { min-height: 1.5em; margin-top: 8px; font-size: 12.5px; color: var(--fg); }
.readout.idle { color: var(--muted); }
.codeblock { position: relative; }
.codeblock pre { background: #0f1728; color: #e4e7ec; border-radius: 8px; padding: 10px 84px 10px 12px; margin: 0;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 320px; overflow: auto; }
.copy { position: absolute; top: 6px; right: 6px; font: 600 12px system-ui, sans-serif; color: #fff; background: #344054;
  border: 1px solid #475467; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
.copy:hover { background: #475467; }
.copy[data-state="copied"] { background: var(--pass); border-color: var(--pass); }
.copy[data-state="selected"] { background: var(--known); border-color: var(--known); }
.small { color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; }
/* Long unbroken tokens (a fast-check path, a command line, a file name) wrap instead of widening the page. */
.known-list li, .failure h3, .failure h4 { overflow-wrap: anywhere; }
.none { color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
`;

export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var DIV = [[33, 102, 172], [146, 197, 222], [247, 247, 247], [244, 165, 130], [178, 24, 43]];
  var SEQ = [[250, 250, 250], [254, 217, 118], [253, 141, 60], [227, 26, 28], [128, 0, 38]];
  var NAN_C = [152, 162, 179], POS_INF = [103, 0, 31], NEG_INF = [5, 48, 97], MISMATCH = [45, 0, 75], MISSING = [234, 236, 240];

  function num(v) { return typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number(v); }
  function ramp(stops, t) {
    t = Math.max(0, Math.min(1, t));
    var x = t * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i, a = stops[i], b = stops[i + 1];
    return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
  }
  function css(c) { return 'rgb(' + c[0] + ',' + c[1] + ',' + c[2] + ')'; }
  function gradient(stops) { return 'linear-gradient(to right,' + stops.map(css).join(',') + ')'; }
  function fmt(x, digits) {
    if (x === undefined) return 'missing';
    if (x !== x) return 'NaN';
    if (x === Infinity) return '+\u221e';
    if (x === -Infinity) return '\u2212\u221e';
    if (x === 0) return '0';
    var a = Math.abs(x), s;
    if (a >= 1e5 || a < 1e-3) s = x.toExponential(Math.max(0, (digits || 4) - 2)).replace('e+', 'e');
    else s = String(Number(x.toPrecision(digits || 6)));
    return s.replace(/-/g, '\u2212');
  }
  function diffOf(e, a) {
    if (e === undefined || a === undefined) return undefined;
    if ((e !== e && a !== a) || e === a) return 0;
    if (!isFinite(e) || !isFinite(a)) return Infinity;
    return Math.abs(a - e);
  }
  function rank(d) { return d === undefined ? Infinity : d; }

  function tensor(t) {
    if (!t) return null;
    var shape = t.shape.slice(), strides = new Array(shape.length), s = 1;
    for (var i = shape.length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
    return { shape: shape, strides: strides, data: t.data.map(num) };
  }
  function at(t, idx) {
    if (!t) return undefined;
    var off = 0;
    for (var i = 0; i < idx.length; i++) {
      if (idx[i] >= t.shape[i]) return undefined;
      off += idx[i] * t.strides[i];
    }
    return t.data[off];
  }

  function Heatmap(root) {
    var spec = JSON.parse(root.querySelector('script.cc-tensors').textContent);
    var E = tensor(spec.expected), A = tensor(spec.actual), L = spec.layout;
    var r = (E || A).shape.length, dims = [];
    for (var k = 0; k < r; k++) dims.push(Math.max(E ? E.shape[k] : 0, A ? A.shape[k] : 0));
    var wrap = r === 1 ? Math.min(dims[0], 32) : 0;
    var rows = r === 0 ? 1 : r === 1 ? Math.ceil(dims[0] / wrap) : dims[L.rowAxis];
    var cols = r === 0 ? 1 : r === 1 ? wrap : dims[L.colAxis];
    var slices = [[]];
    L.sliceAxes.forEach(function (ax) {
      var next = [];
      slices.forEach(function (s) { for (var i = 0; i < dims[ax]; i++) next.push(s.concat([i])); });
      slices = next;
    });
    function index(slice, i, j) {
      if (r === 0) return [];
      if (r === 1) return [i * wrap + j];
      var idx = new Array(r);
      L.sliceAxes.forEach(function (ax, k) { idx[ax] = slice[k]; });
      idx[L.rowAxis] = i; idx[L.colAxis] = j;
      return idx;
    }
    function inRange(idx) { for (var k = 0; k < r; k++) if (idx[k] >= dims[k]) return false; return true; }
    function plane(slice) {
      var e = [], a = [], d = [];
      for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) {
        var idx = index(slice, i, j), ok = inRange(idx);
        var ev = ok ? at(E, idx) : undefined, av = ok ? at(A, idx) : undefined;
        e.push(ev); a.push(av); d.push(ok ? diffOf(ev, av) : null);
      }
      return { e: e, a: a, d: d };
    }
    function sliceLabel(s) {
      if (!s.length) return 'whole tensor';
      return L.sliceAxes.map(function (ax, k) { return L.labels[ax] + '=' + s[k]; }).join(', ');
    }
    // Per slice: the largest finite |difference|, and whether non-finite values or cells differ.
    var summaries = slices.map(function (s) {
      var p = plane(s), m = { finite: 0, mismatch: 0, missing: 0 };
      p.d.forEach(function (x) {
        if (x === undefined) m.missing++;
        else if (x === Infinity) m.mismatch++;
        else if (x !== null && x > m.finite) m.finite = x;
      });
      return m;
    });
    function worse(a, b) {
      var ka = a.mismatch + a.missing > 0, kb = b.mismatch + b.missing > 0;
      return ka !== kb ? ka : a.finite > b.finite;
    }
    var best = 0;
    summaries.forEach(function (m, i) { if (worse(m, summaries[best])) best = i; });

    var select = root.querySelector('select.slice');
    slices.forEach(function (s, i) {
      var o = document.createElement('option');
      o.value = String(i);
      var m = summaries[i];
      o.textContent = sliceLabel(s) + ' \u2014 max |\u0394| ' + fmt(m.finite, 3) + (m.mismatch ? ', ' + m.mismatch + ' \u2260' : '') +
        (m.missing ? ', ' + m.missing + ' missing' : '') + (i === best ? '  \u2605' : '');
      select.appendChild(o);
    });
    select.value = String(best);
    select.disabled = slices.length < 2;
    var planeInfo = root.querySelector('.plane');
    planeInfo.textContent = r === 0 ? 'scalar' : r === 1 ? L.labels[0] + ' (' + dims[0] + '), wrapped ' + wrap + ' per row'
      : 'rows ' + L.labels[L.rowAxis] + ' (' + rows + ') \u00d7 columns ' + L.labels[L.colAxis] + ' (' + cols + ')';

    var panels = ['expected', 'actual', 'diff'].map(function (kind) {
      var fig = root.querySelector('figure[data-kind="' + kind + '"]');
      return { kind: kind, fig: fig, canvas: fig.querySelector('canvas'), legend: fig.querySelector('.legend') };
    });
    var readout = root.querySelector('.readout');
    // Square cells up to 56 px in a plane of about 300 × 260 px; cells too small to see are
    // stretched along the short side of the plane to at least 16 px.
    var cw0 = Math.max(2, Math.min(56, Math.floor(300 / cols))), ch0 = Math.max(2, Math.min(56, Math.floor(260 / rows)));
    var sq = Math.min(cw0, ch0), cw = Math.min(cw0, Math.max(sq, 16)), ch = Math.min(ch0, Math.max(sq, 16));
    var dpr = Math.max(1, Math.round(window.devicePixelRatio || 1));
    var current = null, hover = null;

    function colorOf(kind, v, m, dmax) {
      if (v === undefined || v === null) return MISSING;
      if (kind === 'diff') {
        if (v === Infinity) return MISMATCH;
        return ramp(SEQ, dmax > 0 ? v / dmax : 0);
      }
      if (v !== v) return NAN_C;
      if (v === Infinity) return POS_INF;
      if (v === -Infinity) return NEG_INF;
      return ramp(DIV, m > 0 ? (v / m + 1) / 2 : 0.5);
    }
    function stats(vals) {
      var s = { min: Infinity, max: -Infinity, absmax: 0, nan: 0, pinf: 0, ninf: 0, missing: 0, n: 0 };
      vals.forEach(function (v) {
        if (v === undefined || v === null) { s.missing++; return; }
        if (v !== v) s.nan++;
        else if (v === Infinity) s.pinf++;
        else if (v === -Infinity) s.ninf++;
        else { s.n++; if (v < s.min) s.min = v; if (v > s.max) s.max = v; if (Math.abs(v) > s.absmax) s.absmax = Math.abs(v); }
      });
      return s;
    }
    function draw(p) {
      var vals = p.kind === 'expected' ? current.e : p.kind === 'actual' ? current.a : current.d;
      var c = p.canvas, ctx = c.getContext('2d');
      var w = cols * cw, h = rows * ch, gap = cw >= 10 && ch >= 10 ? 1 : 0;
      if (c.width !== w * dpr || c.height !== h * dpr) { c.width = w * dpr; c.height = h * dpr; c.style.width = w + 'px'; c.style.height = h + 'px'; }
      c.dataset.rows = String(rows); c.dataset.cols = String(cols); c.dataset.cw = String(cw); c.dataset.ch = String(ch); c.dataset.dpr = String(dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle'; ctx.font = '600 10px system-ui, sans-serif';
      for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) {
        var v = vals[i * cols + j], col = colorOf(p.kind, v, current.m, current.dmax), x = j * cw, y = i * ch;
        ctx.fillStyle = css(col); ctx.fillRect(x, y, cw - gap, ch - gap);
        if (v === undefined || v === null) {
          ctx.strokeStyle = '#b9bec8'; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(x + 1, y + ch - gap - 1); ctx.lineTo(x + cw - gap - 1, y + 1); ctx.stroke();
        } else if (cw >= 30 && ch >= 18) {
          var lum = 0.299 * col[0] + 0.587 * col[1] + 0.114 * col[2];
          ctx.fillStyle = lum < 140 ? '#fff' : '#1d2330';
          ctx.fillText(p.kind === 'diff' && v === Infinity ? '\u2260' : fmt(v, 3), x + (cw - gap) / 2, y + (ch - gap) / 2 + 0.5, cw - 4);
        }
      }
      if (hover) {
        ctx.strokeStyle = '#111'; ctx.lineWidth = 2;
        ctx.strokeRect(hover[1] * cw + 1, hover[0] * ch + 1, Math.max(1, cw - gap - 2), Math.max(1, ch - gap - 2));
      }
    }
    function legend(p) {
      var vals = p.kind === 'expected' ? current.e : p.kind === 'actual' ? current.a : current.d, s = stats(vals);
      var html = '';
      if (p.kind === 'diff') {
        html += '<div class="bar" style="background:' + gradient(SEQ) + '"></div>';
        html += '<div class="ends"><span>0</span><span>' + fmt(current.dmax, 3) + '</span></div>';
        html += '<div class="stats">|\u0394| min ' + (s.n ? fmt(s.min, 4) : '\u2013') + ' \u00b7 max ' + (s.n ? fmt(s.max, 4) : '\u2013') + '</div>';
        if (s.pinf) html += '<span class="sw"><i style="background:' + css(MISMATCH) + '"></i>\u2260 non-finite mismatch \u00d7' + s.pinf + '</span>';
      } else {
        html += '<div class="bar" style="background:' + gradient(DIV) + '"></div>';
        html += '<div class="ends"><span>' + fmt(-current.m, 3) + '</span><span>0</span><span>' + fmt(current.m, 3) + '</span></div>';
        html += '<div class="stats">min ' + (s.n ? fmt(s.min, 4) : '\u2013') + ' \u00b7 max ' + (s.n ? fmt(s.max, 4) : '\u2013') + '</div>';
        if (s.nan) html += '<span class="sw"><i style="background:' + css(NAN_C) + '"></i>NaN \u00d7' + s.nan + '</span>';
        if (s.pinf) html += '<span class="sw"><i style="background:' + css(POS_INF) + '"></i>+\u221e \u00d7' + s.pinf + '</span>';
        if (s.ninf) html += '<span class="sw"><i style="background:' + css(NEG_INF) + '"></i>\u2212\u221e \u00d7' + s.ninf + '</span>';
      }
      if (s.missing) html += '<span class="sw"><i style="background:' + css(MISSING) + '"></i>missing \u00d7' + s.missing + '</span>';
      p.legend.innerHTML = html;
      p.legend.style.width = Math.max(180, cols * cw) + 'px';
    }
    function show(i) {
      var s = slices[i], p = plane(s), ve = stats(p.e), va = stats(p.a), vd = stats(p.d);
      current = { e: p.e, a: p.a, d: p.d, m: Math.max(ve.absmax, va.absmax), dmax: vd.n ? vd.max : 0, slice: s };
      root.dataset.slice = String(i);
      root.dataset.sliceLabel = sliceLabel(s);
      panels.forEach(function (q) { draw(q); legend(q); });
    }
    function point(ev) {
      var b = ev.target.getBoundingClientRect();
      var j = Math.floor((ev.clientX - b.left) / cw), i = Math.floor((ev.clientY - b.top) / ch);
      if (i < 0 || j < 0 || i >= rows || j >= cols) return null;
      return [i, j];
    }
    function describe(h) {
      var k = h[0] * cols + h[1], idx = index(current.slice, h[0], h[1]);
      var where = r === 0 ? '[]' : '[' + idx.map(function (x, a) { return L.labels[a] + '=' + x; }).join(', ') + ']';
      return where + '   expected ' + fmt(current.e[k]) + '   actual ' + fmt(current.a[k]) + '   |\u0394| ' + (current.d[k] === Infinity ? 'non-finite mismatch' : fmt(current.d[k] === null ? undefined : current.d[k]));
    }
    panels.forEach(function (p) {
      p.canvas.addEventListener('mousemove', function (ev) {
        var h = point(ev);
        if (!h || (hover && h[0] === hover[0] && h[1] === hover[1])) return;
        hover = h;
        readout.textContent = describe(h); readout.classList.remove('idle');
        panels.forEach(draw);
      });
      p.canvas.addEventListener('mouseleave', function () {
        hover = null; readout.textContent = readout.dataset.idle; readout.classList.add('idle');
        panels.forEach(draw);
      });
    });
    select.addEventListener('change', function () { hover = null; show(Number(select.value)); });
    readout.dataset.idle = readout.textContent;
    show(best);
  }

  function copy(btn) {
    var pre = document.getElementById(btn.getAttribute('data-copy'));
    var text = pre.textContent;
    function done(state, label) {
      btn.dataset.state = state; btn.textContent = label;
      setTimeout(function () { btn.textContent = 'Copy'; delete btn.dataset.state; }, 2500);
    }
    function fallback() {
      var sel = window.getSelection(), range = document.createRange();
      range.selectNodeContents(pre); sel.removeAllRanges(); sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok ? 'copied' : 'selected', ok ? 'Copied' : 'Selected: press Ctrl+C');
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done('copied', 'Copied'); }, fallback);
    else fallback();
  }

  document.querySelectorAll('.heatmaps').forEach(function (root) {
    try { Heatmap(root); } catch (e) {
      root.insertAdjacentHTML('beforeend', '<p class="small">The heatmaps could not be drawn.</p>');
      throw e;
    }
  });
  document.querySelectorAll('button.copy').forEach(function (b) {
    b.addEventListener('click', function () { copy(b); });
  });
})();
`;
