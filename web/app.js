// app.js - the dashboard of `dyad serve`: a dyad picker, a conflict/cooperation timeline (uPlot) with the
// escalation alerts marked, the events of a period with their evidence, a story view, and live coding of a
// pasted story. Talks to the JSON API only (docs/openapi.json); no framework.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const state = { alerts: [], chart: null, series: null, query: null };

  // A token given in the page's address (#token=...) is kept for this tab and sent as a bearer token.
  (function () {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem('dyad-token', decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  })();

  function status(msg) { $('status').textContent = msg || ''; }

  async function api(path, opts) {
    opts = opts || {};
    const headers = Object.assign({}, opts.headers || {});
    const tok = sessionStorage.getItem('dyad-token');
    if (tok) headers.Authorization = 'Bearer ' + tok;
    const r = await fetch(path, Object.assign({}, opts, { headers }));
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) throw new Error((body && body.error) || (r.status + ' ' + r.statusText));
    return body;
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    for (const c of children || []) if (c != null) e.append(c);
    return e;
  }

  // TEXT starts at byte BASE of the story; SPANS are {start, end, cls} in story bytes. Returns nodes with every
  // span marked (<mark class="src trg">: overlapping spans get both classes). Offsets are UTF-8 bytes.
  function highlight(text, base, spans) {
    const bytes = enc.encode(text);
    const cuts = new Set([0, bytes.length]);
    const clipped = [];
    for (const s of spans) {
      if (!s || s.end <= s.start) continue;
      const a = Math.max(0, s.start - base), b = Math.min(bytes.length, s.end - base);
      if (b <= a) continue;
      clipped.push({ a, b, cls: s.cls });
      cuts.add(a); cuts.add(b);
    }
    const pts = [...cuts].sort((x, y) => x - y);
    const out = [];
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      const piece = dec.decode(bytes.subarray(a, b));
      const cls = [...new Set(clipped.filter((s) => s.a <= a && s.b >= b).map((s) => s.cls))];
      out.push(cls.length ? el('mark', { class: cls.join(' ') }, [piece]) : document.createTextNode(piece));
    }
    return out;
  }

  function eventSpans(ev) {
    return [
      ev.source_span && { start: ev.source_span.start, end: ev.source_span.end, cls: 'src' },
      ev.target_span && { start: ev.target_span.start, end: ev.target_span.end, cls: 'tgt' },
      ev.trigger && { start: ev.trigger.start, end: ev.trigger.end, cls: 'trg' },
    ].filter(Boolean);
  }

  function eventItem(ev, withStoryLink) {
    const g = Number(ev.goldstein);
    const head = el('div', { class: 'ev-head' }, [
      el('span', { text: ev.date }),
      el('span', { class: 'code src', text: ev.source ? ev.source.code : '—' }),
      el('span', { text: '→' }),
      el('span', { class: 'code tgt', text: ev.target ? ev.target.code : '—' }),
      el('span', { class: 'cameo', text: ev.cameo }),
      el('span', { text: ev.plover || '' }),
      el('span', { class: 'gs ' + (g < 0 ? 'neg' : 'pos'), text: (g > 0 ? '+' : '') + g.toFixed(1) }),
      ev.modality !== 'factual' ? el('span', { class: 'modality', text: ev.modality }) : null,
      ev.mentions > 1 ? el('span', { text: ev.mentions + ' mentions' }) : null,
      withStoryLink ? el('a', { href: '#story', class: 'story-link', text: 'story ' + ev.story_id,
        onclick: (e) => { e.preventDefault(); showStory(ev.story_id); } }) : null,
    ]);
    const evid = el('p', { class: 'evidence' }, highlight(ev.evidence.text, ev.evidence.start, eventSpans(ev)));
    return el('li', { class: 'event', 'data-source': ev.source ? ev.source.code : '',
      'data-target': ev.target ? ev.target.code : '', 'data-cameo': ev.cameo }, [head, evid]);
  }

  // ---- dates of periods ----
  const DAY = 86400;
  function ts(d) { return Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 1000; }
  function ymd(t) { return new Date(t * 1000).toISOString().slice(0, 10); }
  function periodEnd(start, by) {
    const t = ts(start);
    if (by === 'day') return start;
    if (by === 'week') return ymd(t + 6 * DAY);
    const d = new Date(t * 1000);
    return ymd(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / 1000);
  }
  function periodOf(day, by) { // the first day of the period that holds DAY
    const t = ts(day);
    if (by === 'day') return t;
    if (by === 'week') { const wd = (new Date(t * 1000).getUTCDay() + 6) % 7; return t - wd * DAY; }
    return ts(day.slice(0, 8) + '01');
  }

  // ---- the picker ----
  async function loadTop() {
    const codes = new Set();
    const box = $('top-dyads');
    box.textContent = '';
    try {
      const r = await api('api/dyads/top?by=volume&limit=12');
      for (const d of r.dyads) {
        codes.add(d.source); codes.add(d.target);
        codes.add(d.source.slice(0, 3)); codes.add(d.target.slice(0, 3));
        box.append(el('button', { type: 'button', class: 'chip', title: d.events + ' events, Goldstein sum ' + d.goldstein_sum,
          onclick: () => { $('dyad-a').value = d.source; $('dyad-b').value = d.target; showDyad(); } },
        [d.source + ' → ' + d.target, el('span', { class: 'n', text: String(d.events) })]));
      }
      if (!r.dyads.length) box.append(el('span', { class: 'muted', text: 'no dyads in the last 30 days of the data' }));
    } catch (e) {
      box.append(el('span', { class: 'muted', text: 'top dyads: ' + e.message }));
    }
    const dl = $('codes');
    dl.textContent = '';
    for (const c of [...codes].sort()) dl.append(el('option', { value: c }));
  }

  async function loadAlerts() {
    try { state.alerts = (await api('api/alerts')).alerts || []; } catch (e) { state.alerts = []; }
  }

  function alertsFor(a, b, both) {
    const m = (code, p) => !p || code.startsWith(p);
    return state.alerts.filter((x) => (m(x.source, a) && m(x.target, b)) || (both && m(x.source, b) && m(x.target, a)));
  }

  // ---- the timeline ----
  function drawAlerts(u) {
    const xs = u.data[0];
    if (!xs.length || !state.query) return;
    const ctx = u.ctx;
    ctx.save();
    for (const al of alertsFor(state.query.a, state.query.b, state.query.both)) {
      const x = u.valToPos(periodOf(al.detected, state.query.by), 'x', true);
      if (x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) continue;
      ctx.strokeStyle = '#e67e22';
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#e67e22';
      const s = 7 * devicePixelRatio;
      ctx.beginPath(); ctx.moveTo(x - s, u.bbox.top); ctx.lineTo(x + s, u.bbox.top); ctx.lineTo(x, u.bbox.top + 1.6 * s); ctx.fill();
    }
    ctx.restore();
  }

  function drawChart(points, q) {
    const xs = points.map((p) => ts(p.period));
    const pos = [], neg = [];
    for (const p of points) {
      // cooperation above zero, conflict below: the Goldstein sums of the period's positive and negative events
      // are not in the series, so the net sum is drawn on its side (and both sides when it is zero but events exist)
      const g = p.goldstein_sum;
      pos.push(g > 0 ? g : 0);
      neg.push(g < 0 ? g : 0);
    }
    const el0 = $('chart');
    if (state.chart) { state.chart.destroy(); state.chart = null; }
    el0.textContent = '';
    if (typeof uPlot === 'undefined') { el0.textContent = 'uPlot is missing: build the dashboard with scripts/build-web.sh'; return; }
    const bars = uPlot.paths.bars({ size: [0.8, 60], align: 0 });
    const width = Math.max(320, el0.clientWidth || 900);
    const opts = {
      width, height: 320,
      scales: { x: { time: true }, y: { range: (u, mn, mx) => { const m = Math.max(1, Math.abs(mn), Math.abs(mx)) * 1.1; return [-m, m]; } } },
      axes: [{}, { label: 'Goldstein sum', size: 60 }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      series: [
        { label: q.by },
        { label: 'cooperation', stroke: '#2f8f4e', fill: 'rgba(47,143,78,0.75)', paths: bars, points: { show: false }, value: (u, v) => v == null ? '' : v.toFixed(1) },
        { label: 'conflict', stroke: '#c0392b', fill: 'rgba(192,57,43,0.75)', paths: bars, points: { show: false }, value: (u, v) => v == null ? '' : v.toFixed(1) },
      ],
      hooks: {
        draw: [drawAlerts],
        ready: [(u) => {
          u.over.addEventListener('click', () => {
            const i = u.cursor.idx;
            if (i != null && state.series && state.series[i]) showPeriod(state.series[i].period);
          });
        }],
      },
    };
    state.chart = new uPlot(opts, [xs, pos, neg], el0);
    window.dyadChart = state.chart; // for the end-to-end tests
    el0.dataset.points = String(points.length);
  }

  async function showDyad() {
    const a = $('dyad-a').value.trim().toUpperCase(), b = $('dyad-b').value.trim().toUpperCase();
    const by = $('period').value, both = $('both').checked && !!b;
    if (!a) { status('pick actor A'); return; }
    status('');
    const q = { a, b, by, both };
    const params = new URLSearchParams({ a, by });
    if (b) params.set('b', b);
    if (both) params.set('both', '1');
    try {
      const r = await api('api/series?' + params);
      state.query = q;
      state.series = r.points;
      $('timeline-title').textContent = a + (b ? (both ? ' ↔ ' : ' → ') + b : ' and everyone') + ', per ' + by +
        ' (' + r.points.reduce((s, p) => s + p.events, 0) + ' events)';
      drawChart(r.points, q);
      const al = alertsFor(a, b, both);
      const ul = $('alerts-list');
      ul.textContent = '';
      for (const x of al) {
        ul.append(el('li', { class: 'alert', text: 'escalation ' + x.source + ' → ' + x.target + ' from ' + x.start +
          ', detected ' + x.detected + ' (' + x.method + ', score ' + Number(x.score).toFixed(1) + ')' }));
      }
      location.hash = params.toString();
    } catch (e) {
      status('series: ' + e.message);
    }
  }

  // ---- the events of a period ----
  async function fetchEvents(src, tgt, from, to) {
    const p = new URLSearchParams({ from, to, modality: 'factual', limit: '200' });
    if (tgt) p.set('dyad', src + ',' + tgt); else p.set('actor', src);
    return api('api/events?' + p);
  }

  async function showPeriod(start) {
    const q = state.query;
    if (!q) return;
    const end = periodEnd(start, q.by);
    $('events-title').textContent = q.a + (q.b ? (q.both ? ' ↔ ' : ' → ') + q.b : '') + ', ' + start + (end !== start ? ' to ' + end : '');
    const list = $('events-list');
    list.textContent = '';
    try {
      const parts = [await fetchEvents(q.a, q.b, start, end)];
      if (q.both) parts.push(await fetchEvents(q.b, q.a, start, end));
      const evs = parts.flatMap((r) => r.events).sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.id - y.id));
      for (const ev of evs) list.append(eventItem(ev, true));
      if (!evs.length) list.append(el('li', { class: 'muted', text: 'no factual events in this period' }));
      if (parts.some((r) => r.next != null)) list.append(el('li', { class: 'muted', text: 'more events in this period: showing the first 200 of each direction' }));
      list.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      status('events: ' + e.message);
    }
  }

  // ---- the story view ----
  async function showStory(id) {
    try {
      const r = await api('api/stories/' + encodeURIComponent(id));
      const s = r.story;
      $('story').hidden = false;
      $('story-title').textContent = s.title ? s.title + ' (' + s.id + ')' : s.id;
      $('story-meta').textContent = s.date + (s.source ? ' · ' + s.source : '') + (s.duplicate_of ? ' · reprints ' + s.duplicate_of : '') +
        ' · ' + r.events.length + ' events';
      const spans = r.events.flatMap(eventSpans);
      const t = $('story-text');
      t.textContent = '';
      t.append(...highlight(s.text, 0, spans));
      const ol = $('story-events');
      ol.textContent = '';
      for (const ev of r.events) ol.append(eventItem(ev, false));
      $('story').scrollIntoView({ block: 'start' });
    } catch (e) {
      status('story: ' + e.message);
    }
  }

  // ---- live coding ----
  let codeTimer = null, codeSeq = 0;
  async function codeNow() {
    const text = $('code-text').value;
    const list = $('code-events');
    if (!text.trim()) { list.textContent = ''; $('code-status').textContent = ''; return; }
    const seq = ++codeSeq;
    const body = { text, date: $('code-date').value || undefined, id: 'pasted' };
    try {
      const r = await api('api/code', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (seq !== codeSeq) return; // a newer request is on its way
      list.textContent = '';
      for (const ev of r.events) list.append(eventItem(ev, false));
      $('code-status').textContent = r.events.length + ' event' + (r.events.length === 1 ? '' : 's') + ' in ' + r.sentences +
        ' sentence' + (r.sentences === 1 ? '' : 's') + ' (' + r.ms.toFixed(1) + ' ms)';
    } catch (e) {
      if (seq === codeSeq) $('code-status').textContent = 'error: ' + e.message;
    }
  }

  // ---- start ----
  function init() {
    $('dyad-form').addEventListener('submit', (e) => { e.preventDefault(); showDyad(); });
    $('period').addEventListener('change', () => { if (state.query) showDyad(); });
    $('code-text').addEventListener('input', () => { clearTimeout(codeTimer); codeTimer = setTimeout(codeNow, 300); });
    $('code-date').addEventListener('change', codeNow);
    $('code-date').value = new Date().toISOString().slice(0, 10);
    window.addEventListener('resize', () => { if (state.chart) state.chart.setSize({ width: Math.max(320, $('chart').clientWidth), height: 320 }); });
    const h = new URLSearchParams(location.hash.slice(1));
    Promise.all([loadTop(), loadAlerts()]).then(() => {
      if (h.get('a')) {
        $('dyad-a').value = h.get('a'); $('dyad-b').value = h.get('b') || '';
        if (h.get('by')) $('period').value = h.get('by');
        $('both').checked = h.get('both') === '1';
        showDyad();
      }
      document.body.dataset.ready = '1';
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
