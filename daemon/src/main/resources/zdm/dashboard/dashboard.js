// zdm dashboard: the apps as `zdm ls` sees them, live (server-sent events), with the CLI's actions.
// Plain DOM, no framework, no build step. Text from the daemon is only ever set as textContent.
'use strict';

const S = { csrf: null, apps: new Map(), cards: new Map(), logApp: null, logSource: null, early: [] };
const SVG = 'http://www.w3.org/2000/svg';
const MAX_EVENTS = 200, MAX_LOG_LINES = 500, MAX_EARLY = 200;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

const fmt = {
  uptime(ms) {
    if (!ms) return '';
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor(s % 3600 / 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + Math.floor(s % 86400 / 3600) + 'h';
  },
  mem(b) {
    if (b < 0) return '';
    const u = ['B', 'K', 'M', 'G']; let i = 0;
    while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
    return (i ? b.toFixed(1) : b) + u[i];
  },
  cpu(p) { return p < 0 ? '' : p.toFixed(1) + '%'; },
  time(ms) { return new Date(ms).toLocaleTimeString([], { hour12: false }); },
};

function sparkline(points, pick, cls) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark ' + cls);
  svg.setAttribute('viewBox', '0 0 90 22');
  svg.setAttribute('preserveAspectRatio', 'none');
  const values = (points || []).map(pick);
  if (values.length > 1) {
    // CPU from 0 (at least 0-5%); memory over its own range (at least 1 MiB), so a leak shows as a slope
    const lo = cls === 'cpu' ? 0 : Math.min(...values);
    const hi = Math.max(...values, lo + (cls === 'cpu' ? 5 : 1048576));
    const step = 90 / (values.length - 1);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', values.map((v, i) => (i * step).toFixed(1) + ',' + (21 - (v - lo) / (hi - lo) * 20).toFixed(1)).join(' '));
    svg.append(line);
  }
  return svg;
}

// ---- actions --------------------------------------------------------------------------------------

async function post(action, app, extra) {
  const card = S.cards.get(app);
  const res = await fetch('/api/action', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Zdm-Csrf': S.csrf },
    body: JSON.stringify(Object.assign({ action, app }, extra || {})),
  });
  if (res.status !== 202) { step(card, 'op-done failed', (await res.text()).trim()); return; }
  const { op } = await res.json();
  card.op = op;
  card.steps.replaceChildren();
  step(card, '', action + ' ' + app + ' requested');
  // the stream can bring an operation's first steps (even its outcome) before this answer is read
  const mine = S.early.filter(e => e.m.op === op);
  S.early = S.early.filter(e => e.m.op !== op);
  for (const e of mine) e.show(e.m);
}

// A progress or outcome message of an operation no card follows (yet): kept, a bounded few, for the
// page whose request started it and has not read its operation number yet.
function keepEarly(m, show) {
  S.early.push({ m, show });
  if (S.early.length > MAX_EARLY) S.early.shift();
}

function confirmThen(text, yes, run) {
  const box = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  const ok = document.getElementById('confirm-yes');
  ok.textContent = yes;
  box.hidden = false;
  const close = () => { box.hidden = true; ok.onclick = null; };
  document.getElementById('confirm-no').onclick = close;
  ok.onclick = () => { close(); run(); };
  ok.focus();
}

// What each event kind means for a step of an operation (a rolling reload in particular).
const STEP = {
  'reload-begin': ['', 'reload begins'], 'started': ['starting', 'new process starting'],
  'online': ['ready', 'ready'], 'replaced': ['serving', 'serving in place of the old one'],
  'drained': ['draining', 'old process drained'], 'stopping': ['draining', 'old process stopping'],
  'stopped': ['stopped', 'old process gone'], 'reload-end': ['serving', 'reload finished'],
};

function step(card, cls, text) {
  if (!card) return;
  const when = el('span', { class: 'when', text: fmt.time(Date.now()) });
  card.steps.append(el('li', { class: cls }, when, text));
}

function progress(m) {
  const card = S.cards.get(m.app);
  if (!card || card.op !== m.op) { keepEarly(m, progress); return; }
  const match = /^(\S+?)(\[\d+\])? ([a-z-]+)(?:: (.*))?$/.exec(m.line);
  if (!match) { step(card, '', m.line); return; }
  const [, , worker, kind, detail] = match;
  // a stop's own "stopped" is not a replaced process going away
  const known = kind === 'stopped' && !/^old pid/.test(detail || '') ? ['stopped', 'stopped'] : STEP[kind];
  const who = worker ? 'worker ' + worker.slice(1, -1) + ': ' : '';
  step(card, known ? known[0] : '', who + (known ? known[1] : kind) + (detail ? ' (' + detail + ')' : ''));
}

function done(m) {
  const card = S.cards.get(m.app);
  if (!card || card.op !== m.op) { keepEarly(m, done); return; }
  step(card, 'op-done ' + (m.ok ? 'ok' : 'failed'), m.message);
}

// ---- apps -----------------------------------------------------------------------------------------

function makeCard(name) {
  const title = el('h2', {}, el('span', { text: name }), el('span', { class: 'badge' }), el('span', { class: 'meta' }));
  const act = (label, action, confirmText) => {
    const b = el('button', { type: 'button', 'data-action': action, text: label });
    if (confirmText) b.classList.add('danger');
    b.onclick = () => confirmText ? confirmThen(confirmText(), label + ' ' + name, () => post(action, name)) : post(action, name);
    return b;
  };
  const input = el('input', { type: 'number', min: '1', max: '1024', 'aria-label': 'workers' });
  const scaleBtn = el('button', { type: 'button', 'data-action': 'scale', text: 'Scale' });
  scaleBtn.onclick = () => {
    const n = parseInt(input.value, 10), app = S.apps.get(name);
    if (!(n >= 1)) return;
    const run = () => post('scale', name, { instances: n });
    if (app && n < app.instances) confirmThen('Scale ' + name + ' down from ' + app.instances + ' to ' + n
      + ' workers? The extra workers drain and stop.', 'Scale down', run);
    else run();
  };
  const actions = el('div', { class: 'actions' },
    act('Reload', 'reload'),
    act('Restart', 'restart', () => 'Restart every worker of ' + name + '? All of them stop before they start again (a reload replaces them one by one instead).'),
    act('Stop', 'stop', () => 'Stop ' + name + '? Its workers stop and its port refuses connections until it is started.'),
    act('Start', 'start'),
    el('span', { class: 'scale' }, input, scaleBtn));
  const head = el('tr', {}, ...['worker', 'pid', 'state', 'restarts', 'uptime', 'cpu', 'memory'].map(h =>
    el('th', { text: h, class: h === 'restarts' || h === 'pid' ? 'hide-narrow' : '' })));
  const body = el('tbody');
  const steps = el('ol', { class: 'steps', 'aria-label': 'progress' });
  const root = el('article', { class: 'card', 'data-app': name }, title, actions,
    el('div', { class: 'table' }, el('table', {}, el('thead', {}, head), body)), steps);
  return { root, title, body, steps, input, op: null };
}

function renderApp(app, sparks) {
  let card = S.cards.get(app.name);
  if (!card) { card = makeCard(app.name); S.cards.set(app.name, card); }
  const online = app.workers.filter(w => w.state === 'online').length;
  const [, badge, meta] = card.title.children;
  badge.textContent = app.status;
  badge.className = 'badge ' + app.status;
  meta.textContent = online + '/' + app.instances + ' ready · ' + (app.port == null ? 'fork' : (app.listen || 'proxy') + ' · port ' + app.port);
  if (document.activeElement !== card.input) card.input.value = app.instances;
  card.root.querySelector('[data-action=start]').disabled = app.desired === 'running';
  card.root.querySelector('[data-action=stop]').disabled = app.desired !== 'running';
  card.body.replaceChildren(...app.workers.map(w => {
    const line = sparks[app.name + '/' + w.id + '/' + w.pid];
    return el('tr', { 'data-worker': w.id, 'data-pid': w.pid },
      el('td', { text: String(w.id) }),
      el('td', { class: 'num hide-narrow', text: w.pid ? String(w.pid) : '' }),
      el('td', {}, el('span', { class: 'badge ' + w.state, text: w.state })),
      el('td', { class: 'num hide-narrow', text: String(w.restarts) }),
      el('td', { class: 'num', text: fmt.uptime(w.uptimeMs) }),
      el('td', { class: 'num' }, sparkline(line, p => p.cpu, 'cpu'), fmt.cpu(w.cpuPercent)),
      el('td', { class: 'num' }, sparkline(line, p => p.mem, 'mem'), fmt.mem(w.memoryBytes)));
  }));
  return card.root;
}

function renderApps(apps, sparks) {
  S.apps = new Map(apps.map(a => [a.name, a]));
  const section = document.getElementById('apps');
  if (!apps.length) { section.replaceChildren(el('p', { class: 'empty', text: 'no apps: zdm start <ecosystem file>' })); return; }
  section.replaceChildren(...apps.map(a => renderApp(a, sparks || {})));
  for (const name of S.cards.keys()) if (!S.apps.has(name)) S.cards.delete(name);
  const select = document.getElementById('log-app');
  const names = apps.map(a => a.name);
  if ([...select.options].map(o => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map(n => el('option', { value: n, text: n })));
    if (S.logApp && names.includes(S.logApp)) select.value = S.logApp; else followLog(names[0]);
  }
}

// ---- events and logs ------------------------------------------------------------------------------

function addEvent(e) {
  const list = document.getElementById('events');
  const bad = /errored|failed|exited|killed|unresponsive|not-ready|memory-limit/.test(e.kind);
  const good = /online|replaced|-end$|started/.test(e.kind);
  const who = e.app == null ? 'daemon' : e.app + (e.worker == null ? '' : '[' + e.worker + ']');
  list.prepend(el('li', {}, el('span', { class: 'when', text: fmt.time(e.timeMs) }), who + ' ',
    el('span', { class: 'kind' + (bad ? ' bad' : good ? ' good' : ''), text: e.kind }), e.detail ? e.detail : ''));
  while (list.children.length > MAX_EVENTS) list.lastChild.remove();
}

function followLog(app) {
  if (S.logSource) S.logSource.close();
  S.logApp = app;
  const pre = document.getElementById('log');
  pre.replaceChildren();
  if (!app) return;
  S.logSource = new EventSource('/api/logs?app=' + encodeURIComponent(app));
  S.logSource.addEventListener('log', ev => {
    const m = JSON.parse(ev.data);
    const follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 20;
    pre.append(el('span', { class: m.err ? 'err' : '', text: m.line + '\n' }));
    while (pre.childNodes.length > MAX_LOG_LINES) pre.firstChild.remove();
    if (follow) pre.scrollTop = pre.scrollHeight;
  });
  S.logSource.addEventListener('failed', ev => pre.append(el('span', { class: 'err', text: JSON.parse(ev.data).message + '\n' })));
}

// ---- start ----------------------------------------------------------------------------------------

function live(on) {
  const badge = document.getElementById('live');
  badge.className = 'live ' + (on ? 'on' : 'off');
  badge.textContent = on ? 'live' : 'reconnecting…';
}

async function boot() {
  const res = await fetch('/api/state');
  if (res.status === 401) {
    document.getElementById('apps').replaceChildren(el('p', { class: 'empty', text: await res.text() }));
    live(false);
    return;
  }
  const state = await res.json();
  S.csrf = state.csrf;
  renderApps(state.apps, {});
  state.events.forEach(addEvent);
  document.getElementById('log-app').onchange = ev => followLog(ev.target.value);
  const stream = new EventSource('/api/stream');
  stream.onopen = () => live(true);
  stream.onerror = () => live(false);
  stream.addEventListener('apps', ev => { const m = JSON.parse(ev.data); renderApps(m.apps, m.sparks); live(true); });
  stream.addEventListener('event', ev => addEvent(JSON.parse(ev.data)));
  stream.addEventListener('progress', ev => progress(JSON.parse(ev.data)));
  stream.addEventListener('done', ev => done(JSON.parse(ev.data)));
}

boot();
