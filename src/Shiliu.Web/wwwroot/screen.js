// 大屏: scales the 1920 × 1080 stage, fetches every panel in one call per refresh, redraws in place, rotates the charts
// through one chart element (charts.js keeps one ECharts instance per element and replaces its option, so nothing piles
// up over days), keeps the clock on server time and reloads the page nightly. The chart options are the dashboard's own
// (DashChartOptions, wall style), sent as JSON and parsed by charts.js, never evaluated (the CSP forbids eval).
import { render as draw, dispose } from './js/charts.js';

const W = 1920, H = 1080;
const stage = document.getElementById('stage');
const $ = id => document.getElementById(id);
const source = stage.dataset.source;
const display = (source || '').includes('display=true');
const refreshMs = Math.max(1, Number(stage.dataset.refresh) || 60) * 1000;
// A chart stays long enough to be read, and turns at least once between two refreshes of a fast screen.
const rotateMs = Math.min(20000, Math.max(3000, refreshMs));

let offset = 0;          // server clock minus this browser's clock, ms
let data = null, lastOk = null, stopped = false, turn = 0;
const timers = { load: 0, rotate: 0, clock: 0, reload: 0 };

const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
const serverNow = () => new Date(Date.now() + offset);
const china = (d, opts) => d.toLocaleString('zh-CN', Object.assign({ timeZone: 'Asia/Shanghai' }, opts));
const hhmmss = d => china(d, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

function fit() {
  const s = Math.min(innerWidth / W, innerHeight / H);
  stage.style.transform = `translate(${(innerWidth - W * s) / 2}px, ${(innerHeight - H * s) / 2}px) scale(${s})`;
}

function tickClock() {
  const now = serverNow();
  $('sc-date').textContent = china(now, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
  $('sc-time').textContent = hhmmss(now);
}

// Reload at 03:00 China time: a page left on for days starts fresh every night (and picks up a new version).
function scheduleReload() {
  clearTimeout(timers.reload);
  const day = 86400000, chinaMs = (Date.now() + offset + 8 * 3600000) % day;
  let wait = (3 * 3600000 - chinaMs + day) % day;
  if (wait < 60000) wait += day;
  timers.reload = setTimeout(() => location.reload(), wait);
}

function status(text, warn) { const s = $('sc-status'); s.textContent = text; s.classList.toggle('warn', !!warn); }

function stop(text) {
  stopped = true;
  for (const [name, t] of Object.entries(timers)) if (name !== 'reload' && name !== 'clock') { clearTimeout(t); clearInterval(t); }
  dispose($('sc-chart'));
  document.querySelector('.sc-main')?.remove();
  $('sc-sub').textContent = text;
  status('');
}

async function load() {
  try {
    const r = await fetch(source, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
    // Only a refused credential stops the screen; anything else (a restart, a moved unit) is retried, and the nightly reload stays.
    if (r.status === 401) {
      stop(display ? '此大屏已停用或链接无效，请联系县民宗局重新发放链接。' : '登录已过期，请重新登录后再打开大屏。');
      return;
    }
    if (!r.ok) throw new Error(String(r.status));
    data = await r.json();
    offset = Date.parse(data.figures.serverUtc) - Date.now();
    lastOk = serverNow();
    render();
    status(`数据更新于 ${hhmmss(lastOk)}`);
    if (!timers.reload) scheduleReload();
  } catch {
    status(lastOk ? `数据暂未更新，显示的是 ${hhmmss(lastOk)} 的数据，稍后自动重试` : '暂时无法读取数据，稍后自动重试', true);
  } finally {
    if (!stopped) timers.load = setTimeout(load, refreshMs);
  }
}

function render() {
  const f = data.figures;
  $('sc-title').textContent = `${f.unitName}民族团结进步创建`;
  const day = s => { const [y, m, d] = s.split('-').map(Number); return `${y}年${m}月${d}日`; };
  $('sc-sub').textContent = `统计期间 ${day(f.from)}至${day(f.to)}`;
  renderFigures(f.panels);
  renderTiles(f.panels);
  renderChart();
}

// The first figure of every panel (the headline), then second figures while room remains: at most eight numerals (four rows of two).
function renderFigures(panels) {
  const pick = [];
  for (let round = 0; round < 2 && pick.length < 8; round++)
    for (const p of panels) {
      const f = p.figures[round];
      if (f && pick.length < 8) pick.push({ p, f });
    }
  $('sc-figures').replaceChildren(...pick.map(({ p, f }) => {
    const d = el('div', 'sc-fig');
    const v = el('span', 'v', f.text);
    if (f.unit && f.unit !== '%' && f.value != null) v.append(el('small', null, f.unit));
    d.append(v, el('span', 'l', f.label), el('span', 'p', p.title));
    return d;
  }));
}

// Each unit of the “十个一” matrix as a tile coloured by the share of its items approved.
function renderTiles(panels) {
  const panel = panels.find(p => p.matrix);
  const box = $('sc-tiles');
  if (!panel) { box.replaceChildren(el('p', null, '本期没有“十个一”记录')); return; }
  const rows = panel.matrix.rows;
  box.classList.toggle('dense', rows.length > 24);
  box.replaceChildren(...rows.map(r => {
    const done = r.cells.filter(c => c.tone === 'done').length, all = r.cells.length || 1;
    const share = Math.round(100 * done / all);
    const t = el('div', 'sc-tile ' + (share >= 100 ? 't3' : share > 50 ? 't2' : share > 0 ? 't1' : 't0'));
    t.append(el('b', null, share + '%'), document.createTextNode(r.name));
    t.title = `${r.name}：${done}/${all} 项审核通过`;
    return t;
  }));
}

function renderChart() {
  const charted = data.figures.panels.filter(p => data.charts[p.key]);
  $('sc-dots').replaceChildren(...charted.map((_, i) => el('li', i === turn % charted.length ? 'on' : null)));
  const table = $('sc-rotor-table');
  if (charted.length === 0) {
    $('sc-rotor-title').textContent = '暂无图表';
    $('sc-rotor-source').textContent = '';
    table.replaceChildren();
    dispose($('sc-chart'));
    return;
  }
  turn %= charted.length;
  const p = charted[turn], c = p.chart;
  $('sc-rotor-title').textContent = `${p.title}：${c.caption}`;
  $('sc-rotor-source').textContent = `数据来源：${p.source}`;
  // The figures beside the picture, as text (the first rows: the wall has room for a few).
  const head = el('tr');
  head.append(el('th', null, '分类'), ...c.series.map(s => el('th', null, s.name)));
  const rows = c.categories.slice(0, 6).map((name, i) => {
    const tr = el('tr');
    tr.append(el('td', null, name), ...c.series.map(s => el('td', null, String(s.values[i]))));
    return tr;
  });
  table.replaceChildren(head, ...rows);
  draw($('sc-chart'), data.charts[p.key]);
}

function rotate() {
  if (!data) return;
  turn++;
  renderChart();
}

addEventListener('resize', fit);
fit();
if (source) {
  addEventListener('pagehide', () => dispose($('sc-chart')));
  timers.clock = setInterval(tickClock, 1000);
  timers.rotate = setInterval(rotate, rotateMs);
  tickClock();
  load();
}
