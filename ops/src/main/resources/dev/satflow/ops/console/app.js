// satflow console: one EventSource per page (/events?type=&split=), a snapshot on every (re)connect,
// then live events: stats (1/s), cards, frames, evals. Images come from /img by reference.
import uPlot from './vendor/uPlot.esm.js';

const $ = (id) => document.getElementById(id);
const MAX_CARDS = 60;       // cards kept in the page
const MAX_PENDING = 200;    // cards held while paused
const MAX_POINTS = 900;     // throughput / lag history (s), as the server keeps
const THUMB = 256;          // card image width asked of the server

const S = {
  hello: null, filter: { type: '', split: '' }, paused: false, pending: [], cards: new Map(), live: 0,
  evals: new Map(), frames: new Map(), tp: [[], [], [], [], []], lag: [[], [], [], [], []], selected: null,
  stats: null, es: null,
};

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}
const fmt = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v)) ? '–' : Number(v).toFixed(d);
const int = (v) => (v === null || v === undefined) ? '–' : Number(v).toLocaleString('en-US');
const pct = (v) => (v === null || v === undefined) ? '–' : (100 * v).toFixed(1) + ' %';
const ago = (t) => { if (!t) return ''; const s = Math.max(0, (Date.now() - t) / 1000);
  return s < 60 ? `${s.toFixed(0)} s ago` : s < 3600 ? `${(s / 60).toFixed(0)} min ago` : `${(s / 3600).toFixed(1)} h ago`; };
const imgUrl = (card, i, w) => {
  const ref = card.imgs[i] || {};
  const q = new URLSearchParams();
  if (ref.topic !== undefined) { q.set('topic', ref.topic); q.set('partition', ref.p); q.set('offset', ref.o); }
  q.set('qa', `${card.p}@${card.o}`); q.set('i', i); if (w) q.set('w', w);
  return 'img?' + q;
};

// ---- connection --------------------------------------------------------------------------------------

function connect() {
  if (S.es) S.es.close();
  const q = new URLSearchParams();
  if (S.filter.type) q.set('type', S.filter.type);
  if (S.filter.split) q.set('split', S.filter.split);
  const es = new EventSource('events' + (q.toString() ? '?' + q : ''));
  S.es = es;
  setConn('connecting');
  es.onopen = () => setConn('live');
  es.onerror = () => setConn(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  const on = (name, f) => es.addEventListener(name, (e) => { if (S.es === es) f(JSON.parse(e.data)); });
  on('hello', hello);
  on('history', history);
  on('stats', stats);
  on('cards', cards);
  on('frames', frames);
  on('evals', evals);
}

function setConn(state) {
  const c = $('conn');
  c.dataset.state = state;
  c.textContent = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'closed' }[state];
}

function hello(h) {
  S.hello = h;
  $('cluster').textContent = h.cluster;
  const t = $('f-type');
  if (t.options.length <= 1) {
    for (const type of h.types) t.append(el('option', { value: type, text: type }));
    for (const split of h.splits) $('f-split').append(el('option', { value: split, text: split }));
  }
}

// ---- stats, tiles, charts ----------------------------------------------------------------------------

const SERIES = ['scenes', 'frames', 'qa', 'dlq'];
const LAGS = ['render', 'qa', 'train', 'evaluate'];

function history(h) {
  S.tp = [[], [], [], [], []];
  S.lag = [[], [], [], [], []];
  for (const p of h.points) addPoint(p);
  drawCharts();
}

function addPoint(p) {
  const x = S.tp[0];
  if (x.length && p.t / 1000 <= x[x.length - 1]) return; // the snapshot's stats repeat the history's last point
  S.tp[0].push(p.t / 1000);
  SERIES.forEach((k, i) => S.tp[i + 1].push(p.rates[k] ?? 0));
  S.lag[0].push(p.t / 1000);
  LAGS.forEach((k, i) => S.lag[i + 1].push(p.lag && k in p.lag ? p.lag[k] : null));
  for (const a of [S.tp, S.lag]) if (a[0].length > MAX_POINTS) a.forEach((s) => s.shift());
}

function stats(s) {
  S.stats = s;
  if (s.rates) addPoint({ t: s.t, rates: s.rates, lag: lagOf(s) });
  drawCharts();
  setRate('tp-scenes', s.rates.scenes);
  setRate('tp-frames', s.rates.frames);
  setRate('tp-qa', s.rates.qa);
  const g = Object.fromEntries((s.groups || []).map((x) => [x.stage, x]));
  const lagText = (x) => !x ? 'lag –' : !x.started ? `not started · ${int(x.lag)} waiting`
    : `lag ${int(x.lag)} · ${x.members} member${x.members === 1 ? '' : 's'}`;
  const tot = s.totals || {};
  $('sub-generate').textContent = `${int(tot.scenes)} scenes` + splitText(s.scenesBySplit);
  $('sub-render').textContent = `${lagText(g.render)}` + (tot['offsets:' + S.hello?.topics.frames] !== undefined
    ? ` · ≈${int(tot['offsets:' + S.hello.topics.frames])} offsets` : '');
  $('sub-qa').textContent = `${int(tot.qa)} questions · ${lagText(g.qa)}`;
  const tr = s.train || {};
  const step = $('train-step');
  step.textContent = tr.step === undefined ? '–' : int(tr.step);
  step.dataset.value = tr.step ?? 0;
  $('sub-train').textContent = (tr.step === undefined ? 'no checkpoint yet' :
    `loss ${fmt(tr.loss, 3)} · train acc ${pct(tr.accuracy)}` + (tr.stepsPerSecond ? ` · ${fmt(tr.stepsPerSecond, 2)} steps/s` : ''))
    + ` · ${lagText(g.train)}`;
  const ev = $('eval-count');
  ev.textContent = int(tot.eval);
  ev.dataset.value = tot.eval ?? 0;
  $('sub-evaluate').textContent = `${int(tot.checkpoints)} checkpoints · ${lagText(g.evaluate)}`;
  const d = s.dlq || { total: 0, reasons: [] };
  $('dlq-count').textContent = int(d.total);
  $('dlq-count').dataset.value = d.total;
  $('tile-dlq').classList.toggle('bad', d.total > 0);
  $('sub-dlq').textContent = `${fmt(s.rates.dlq)} /s` + (d.reasons.length ? ` · top: ${d.reasons[0].stage} ${d.reasons[0].reason}` : '')
    + (s.lagError ? ` · lag probe: ${s.lagError}` : '') + (s.feedError ? ` · feed: ${s.feedError}` : '');
  const cu = $('catchup');
  cu.dataset.state = s.caughtUp ? 'caughtup' : 'reading';
  cu.textContent = s.caughtUp ? 'caught up' : 'reading history…';
  dlqTable(d);
  typeCounts(s.qaByType || {}, s.qaBySplit || {});
}

function lagOf(s) {
  const o = {};
  for (const g of s.groups || []) if (g.started) o[g.stage] = g.lag;
  return o;
}

function splitText(m) {
  if (!m) return '';
  const parts = Object.entries(m).map(([k, v]) => `${k} ${int(v)}`);
  return parts.length ? ' (' + parts.join(', ') + ')' : '';
}

function setRate(id, v) {
  const e = $(id);
  e.textContent = fmt(v);
  e.dataset.value = v ?? 0;
}

function typeCounts(byType, bySplit) {
  for (const o of $('f-type').options) if (o.value) o.textContent = `${o.value} (${int(byType[o.value] || 0)})`;
  for (const o of $('f-split').options) if (o.value) o.textContent = `${o.value} (${int(bySplit[o.value] || 0)})`;
}

const charts = {};
function chart(id, series, data, opts = {}) {
  const host = $(id);
  host.dataset.points = data[0].length;
  if (!charts[id]) {
    const width = Math.max(200, host.clientWidth);
    charts[id] = new uPlot({
      width, height: 200, legend: { live: false },
      scales: { x: { time: true } },
      axes: [{ stroke: '#555', grid: { stroke: '#eee' } }, { stroke: '#555', grid: { stroke: '#eee' }, size: 50 }],
      series: [{}, ...series],
      ...opts,
    }, data, host);
  } else {
    charts[id].setData(data);
  }
}

let chartsQueued = false;
function drawCharts() {
  if (chartsQueued) return;
  chartsQueued = true;
  requestAnimationFrame(() => {
    chartsQueued = false;
    if (!S.tp[0].length) return;
    chart('tp-chart', [
      { label: 'scenes/s', stroke: '#9334e6', width: 1.5 },
      { label: 'frames/s', stroke: '#1a73e8', width: 1.5 },
      { label: 'questions/s', stroke: '#188038', width: 2 },
      { label: 'dead letters/s', stroke: '#d93025', width: 1.5 },
    ], S.tp);
    chart('lag-chart', [
      { label: 'render', stroke: '#1a73e8', width: 1.5, spanGaps: false },
      { label: 'qa', stroke: '#188038', width: 1.5 },
      { label: 'train', stroke: '#e37400', width: 1.5 },
      { label: 'evaluate', stroke: '#d01884', width: 1.5 },
    ], S.lag);
  });
}

function dlqTable(d) {
  const body = $('dlq').tBodies[0];
  $('dlq-total').textContent = `${int(d.total)} in ${S.hello?.topics.dlq || 'the dead-letter topic'}`;
  body.replaceChildren();
  if (!d.reasons.length) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'none' })));
    return;
  }
  for (const r of d.reasons) {
    body.append(el('tr', {}, el('td', { text: r.stage }), el('td', { text: r.reason }), el('td', { text: int(r.count) }),
      el('td', { text: ago(r.last) }), el('td', { text: (r.example || '') + (r.from ? ` (${r.from})` : '') })));
  }
}

// ---- question cards ----------------------------------------------------------------------------------

const key = (c) => `${c.p}@${c.o}`;
const matches = (c) => (!S.filter.type || c.type === S.filter.type) && (!S.filter.split || c.split === S.filter.split);

function cards(ev) {
  if (ev.snapshot) {
    S.cards.clear();
    S.pending = [];
    $('cards').replaceChildren();
  }
  const fresh = ev.cards.filter((c) => matches(c) && !S.cards.has(key(c)));
  if (!ev.snapshot) S.live += fresh.length + ev.skipped; // skipped: more arrived in that second than one event carries
  $('cards').dataset.live = S.live;
  if (S.paused && !ev.snapshot) {
    S.pending.push(...fresh);
    if (S.pending.length > MAX_PENDING) S.pending.splice(0, S.pending.length - MAX_PENDING);
    $('pending').textContent = `${S.pending.length} new while paused`;
    return;
  }
  addCards(fresh, !ev.snapshot);
}

function addCards(list, animate) {
  const host = $('cards');
  for (const c of list) {
    if (S.cards.has(key(c))) continue;
    const node = cardNode(c, animate);
    S.cards.set(key(c), { card: c, node });
    host.prepend(node);
  }
  while (host.children.length > MAX_CARDS) {
    const last = host.lastElementChild;
    S.cards.delete(last.dataset.key);
    last.remove();
  }
  host.dataset.count = host.children.length;
  $('card-count').textContent = `${host.children.length} shown · ${int(S.live)} arrived since the page opened`
    + (S.filter.type || S.filter.split ? ` · filter: ${[S.filter.type, S.filter.split].filter(Boolean).join(', ')}` : '');
}

function cardNode(c, animate) {
  const n = Math.max(1, c.imgs.length);
  const imgs = el('div', { class: 'imgs' });
  for (let i = 0; i < n; i++) {
    imgs.append(el('img', { src: imgUrl(c, i, THUMB), alt: c.imgs[i]?.view || '', loading: 'lazy', width: THUMB / n }));
  }
  const ol = el('ol', { start: 1 });
  c.choices.forEach((ch, i) => ol.append(el('li', { class: i === c.ci ? 'right' : null, text: ch })));
  const node = el('div', {
    class: 'card' + (animate ? ' fresh' : '') + (S.selected === key(c) ? ' selected' : ''),
    'data-key': key(c), 'data-type': c.type, 'data-split': c.split, 'data-qa-id': c.id, 'data-p': c.p, 'data-o': c.o,
    title: `${c.id} · ${c.tpl}`,
  },
  imgs,
  el('div', { class: 'meta' }, el('span', { class: 'tag type', text: c.type }),
    el('span', { class: 'split ' + c.split, text: c.split }), c.held ? el('span', { class: 'muted', text: 'held-out phrasing' }) : null),
  el('p', { class: 'q', text: c.q }), ol,
  el('div', { class: 'ans' }, 'answer: ', el('b', { class: 'answer', text: c.answer })));
  node.addEventListener('click', () => select(c));
  return node;
}

function setFilter() {
  S.filter = { type: $('f-type').value, split: $('f-split').value };
  S.live = 0;
  connect(); // the server sends this filter's cards (a snapshot), then only matching new ones
}

function togglePause() {
  S.paused = !S.paused;
  const b = $('pause-btn');
  b.textContent = S.paused ? 'Resume' : 'Pause';
  b.classList.toggle('on', S.paused);
  b.dataset.paused = S.paused;
  if (!S.paused) {
    const p = S.pending;
    S.pending = [];
    $('pending').textContent = '';
    addCards(p, true);
  }
}

// ---- detail ------------------------------------------------------------------------------------------

async function select(c) {
  S.selected = key(c);
  for (const n of document.querySelectorAll('#cards .card.selected')) n.classList.remove('selected');
  S.cards.get(key(c))?.node.classList.add('selected');
  const d = $('detail');
  d.dataset.loading = 'true';
  const r = await fetch(`api/qa?partition=${c.p}&offset=${c.o}`);
  if (S.selected !== key(c)) return;
  if (!r.ok) {
    d.replaceChildren(el('h2', { text: 'Question' }), el('p', { class: 'muted', text: `${r.status}: ${await r.text()}` }));
    delete d.dataset.loading;
    return;
  }
  const rec = await r.json();
  const v = rec.value;
  const n = Math.max(1, (v.frames || []).length || (v.images || []).length);
  const imgs = el('div', { class: 'imgs' });
  for (let i = 0; i < n; i++) imgs.append(el('img', { src: imgUrl(c, i, 512), alt: c.imgs[i]?.view || '' }));
  const ol = el('ol', { start: 1 });
  v.choices.forEach((ch, i) => ol.append(el('li', { class: i === v.correctIndex ? 'right' : null, text: ch })));
  const rows = [
    ['qaId', v.qaId], ['type', `${v.questionType} (${v.family})`], ['split', v.split],
    ['template', v.template + (v.heldOutPhrasing ? ' (held-out phrasing)' : '')],
    ['record', `${rec.topic} ${rec.partition}@${rec.offset}`],
    ['frames', (v.frames || []).map((f) => `${f.viewId} = ${f.topic} ${f.partition}@${f.offset}`).join('; ')],
    ['named', (v.subjects || []).map((s) => `${s.role}: ${s.description}`).join('; ')],
    ['generator', `${v.generatorVersion} · scene seed ${v.lineage?.sceneSeed} · ${v.lineage?.rendererVersion || ''}`],
    ...Object.entries(v.facts || {}).sort().map(([k, x]) => [k, x]),
  ];
  const table = el('table', {});
  for (const [k, x] of rows) table.append(el('tr', {}, el('td', { text: k }), el('td', { text: String(x ?? '') })));
  d.replaceChildren(el('h2', { text: 'Question ' }, el('small', { text: v.qaId })), imgs,
    el('p', { class: 'question', text: v.question }), ol,
    el('p', {}, 'Answer: ', el('span', { class: 'answer', text: v.correctAnswer })), table);
  d.dataset.qaId = v.qaId;
  d.dataset.p = rec.partition;
  d.dataset.o = rec.offset;
  d.dataset.correctIndex = v.correctIndex;
  delete d.dataset.loading;
}

// ---- frames ------------------------------------------------------------------------------------------

const BOX = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4'];
const SVG = 'http://www.w3.org/2000/svg';

const frameNodes = new Map();

function frames(ev) {
  for (const f of ev.frames) S.frames.set(`${f.p}@${f.o}`, f);
  const all = [...S.frames.values()].sort((a, b) => b.t - a.t || b.o - a.o).slice(0, 8);
  S.frames = new Map(all.map((f) => [`${f.p}@${f.o}`, f]));
  const nodes = all.map((f) => frameNodes.get(`${f.p}@${f.o}`) || frameNode(f)); // kept nodes keep their loaded images
  frameNodes.clear();
  nodes.forEach((n) => frameNodes.set(n.dataset.key, n));
  const host = $('frames');
  host.replaceChildren(...nodes);
  host.dataset.count = all.length;
}

function frameNode(f) {
  const q = new URLSearchParams({ topic: S.hello?.topics.frames || 'satflow.frames.v1', partition: f.p, offset: f.o, w: 512 });
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${f.w} ${f.h}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const font = Math.max(9, f.w / 40);
  f.objects.forEach((o, i) => {
    const c = BOX[i % BOX.length];
    const [x0, y0, x1, y1] = o.box;
    const r = document.createElementNS(SVG, 'rect');
    Object.entries({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1, fill: 'none', stroke: c, 'stroke-width': f.w / 256 })
      .forEach(([k, v]) => r.setAttribute(k, v));
    const t = document.createElementNS(SVG, 'text');
    Object.entries({ x: x0 + 2, y: Math.max(font, y0 + font), fill: c, 'font-size': font, stroke: '#000', 'stroke-width': font / 30,
      'paint-order': 'stroke' }).forEach(([k, v]) => t.setAttribute(k, v));
    t.textContent = `${o.label} ${Math.round(o.frac * 100)}%`;
    svg.append(r, t);
  });
  return el('figure', { class: 'frame', 'data-key': `${f.p}@${f.o}`, 'data-boxes': f.objects.length },
    el('div', { class: 'pic' }, el('img', { src: 'img?' + q, alt: f.view }), svg),
    el('figcaption', { text: `${f.view} (${f.role}) · ${f.objects.length} objects · ${fmt(f.ms)} ms · ${f.w}×${f.h}` }));
}

// ---- accuracy curves ---------------------------------------------------------------------------------

const accCharts = new Map();

function evals(ev) {
  for (const r of ev.reports) S.evals.set(r.id || `${r.run}@${r.step}`, r);
  drawAccuracy();
}

function drawAccuracy() {
  const all = [...S.evals.values()];
  if (!all.length) return;
  const newest = all.reduce((a, b) => (b.t > a.t ? b : a));
  const points = all.filter((r) => r.run === newest.run).sort((a, b) => a.step - b.step);
  const host = $('acc');
  host.dataset.checkpoints = points.length;
  host.dataset.run = newest.run;
  const order = ['all', ...(S.hello?.types || [])];
  const types = [...new Set(points.flatMap((p) => Object.keys(p.types)))]
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  for (const type of types) {
    const steps = points.map((p) => p.step);
    const col = (f) => points.map((p) => (p.types[type] && p.types[type][f] !== undefined ? p.types[type][f] : null));
    const data = [steps, col('acc'), col('circ'), col('chance'), col('blind')];
    const lastT = points[points.length - 1].types[type] || {};
    let entry = accCharts.get(type);
    if (!entry) {
      const title = el('h4');
      const box = el('div', { class: 'acc-chart', 'data-type': type }, title);
      host.append(box);
      const u = new uPlot({
        width: Math.max(240, box.clientWidth || 300), height: 150, legend: { show: false },
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [{ stroke: '#555', grid: { stroke: '#eee' }, size: 28 }, { stroke: '#555', grid: { stroke: '#eee' }, size: 36, splits: [0, 0.25, 0.5, 0.75, 1] }],
        series: [{ label: 'step' },
          { label: 'plain', stroke: '#188038', width: 2, points: { show: true, size: 5 } },
          { label: 'circular', stroke: '#1a73e8', width: 1.5, dash: [6, 4], points: { show: true, size: 4 } },
          { label: 'chance', stroke: '#80868b', width: 1 },
          { label: 'blind', stroke: '#e37400', width: 1.5, dash: [2, 3] }],
      }, data, box);
      entry = { u, box, title };
      accCharts.set(type, entry);
    } else {
      entry.u.setData(data);
    }
    entry.box.dataset.points = steps.length;
    entry.title.replaceChildren(type + ' ', el('small', {
      text: `n=${lastT.n ?? '–'} · ${pct(lastT.acc)} at step ${steps[steps.length - 1]}` + (lastT.blind !== null && lastT.blind !== undefined ? ` · blind ${pct(lastT.blind)}` : ''),
    }));
  }
}

// ---- start -------------------------------------------------------------------------------------------

$('f-type').addEventListener('change', setFilter);
$('f-split').addEventListener('change', setFilter);
$('pause-btn').addEventListener('click', togglePause);
setInterval(() => { if (S.stats) dlqTable(S.stats.dlq || { total: 0, reasons: [] }); }, 10_000);
connect();
