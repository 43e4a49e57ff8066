// 大屏: scales the 1920 × 1080 stage, fetches every panel in one call per refresh, redraws in place, rotates the charts
// through one ECharts instance (never a new one per turn, so nothing piles up over days), keeps the clock on server time
// and reloads the page nightly. No eval anywhere (the CSP forbids it): options are built here as plain objects.
(() => {
  'use strict';
  const W = 1920, H = 1080;
  const stage = document.getElementById('stage');
  const $ = id => document.getElementById(id);
  const source = stage.dataset.source;
  const refreshMs = Math.max(1, Number(stage.dataset.refresh) || 60) * 1000;
  // A chart stays long enough to be read, and turns at least once between two refreshes of a fast screen.
  const rotateMs = Math.min(20000, Math.max(3000, refreshMs));

  function fit() {
    const s = Math.min(innerWidth / W, innerHeight / H);
    stage.style.transform = `translate(${(innerWidth - W * s) / 2}px, ${(innerHeight - H * s) / 2}px) scale(${s})`;
  }
  addEventListener('resize', fit);
  fit();
  if (!source) return;

  let offset = 0;          // server clock minus this browser's clock, ms
  let data = null, lastOk = null, stopped = false;
  let chart = null, turn = 0;
  const timers = { load: 0, rotate: 0, clock: 0, reload: 0 };

  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
  const serverNow = () => new Date(Date.now() + offset);
  const china = (d, opts) => d.toLocaleString('zh-CN', Object.assign({ timeZone: 'Asia/Shanghai' }, opts));

  function tickClock() {
    const now = serverNow();
    $('sc-date').textContent = china(now, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
    $('sc-time').textContent = china(now, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
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
    Object.values(timers).forEach(t => { clearTimeout(t); clearInterval(t); });
    if (chart) { chart.dispose(); chart = null; }
    document.querySelector('.sc-main')?.remove();
    $('sc-sub').textContent = text;
    status('');
  }

  async function load() {
    try {
      const r = await fetch(source, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      if (r.status === 401 || r.status === 403 || r.status === 404) { stop('此大屏已停用或链接无效，请联系县民宗局重新发放链接。'); return; }
      if (!r.ok) throw new Error(String(r.status));
      data = await r.json();
      offset = Date.parse(data.serverUtc) - Date.now();
      lastOk = serverNow();
      render();
      status(`数据更新于 ${china(lastOk, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })}`);
      if (!timers.reload) scheduleReload();
    } catch {
      status(lastOk ? `数据暂未更新，显示的是 ${china(lastOk, { hour: '2-digit', minute: '2-digit', hour12: false })} 的数据，稍后自动重试` : '暂时无法读取数据，稍后自动重试', true);
    } finally {
      if (!stopped) timers.load = setTimeout(load, refreshMs);
    }
  }

  function render() {
    $('sc-title').textContent = `${data.unitName}民族团结进步创建`;
    $('sc-sub').textContent = `统计期间 ${data.from} 至 ${data.to}`;
    renderFigures();
    renderTiles();
    renderChart();
  }

  function renderChart() {
    const charts = data.panels.filter(p => p.chart && p.chart.series.length && p.chart.categories.length);
    if (charts.length === 0) { renderDots(0); showChart(null); return; }
    turn %= charts.length;
    renderDots(charts.length);
    showChart(charts[turn]);
  }

  // The first figure of every panel (the headline), then second figures while room remains: at most ten numerals.
  function renderFigures() {
    const box = $('sc-figures');
    const pick = [];
    for (let round = 0; round < 2 && pick.length < 10; round++)
      for (const p of data.panels) {
        const f = p.figures[round];
        if (f && pick.length < 10) pick.push({ p, f });
      }
    box.replaceChildren(...pick.map(({ p, f }) => {
      const d = el('div', 'sc-fig');
      const v = el('span', 'v', f.text);
      if (f.unit && f.unit !== '%' && f.value != null) v.append(el('small', null, f.unit));
      d.append(v, el('span', 'l', f.label), el('span', 'p', p.title));
      return d;
    }));
  }

  // Each unit of the “十个一” matrix as a tile coloured by the share of its items approved.
  function renderTiles() {
    const panel = data.panels.find(p => p.matrix);
    const box = $('sc-tiles');
    if (!panel) { box.replaceChildren(el('p', null, '本期没有“十个一”记录')); return; }
    const rows = panel.matrix.rows;
    box.classList.toggle('dense', rows.length > 24);
    box.replaceChildren(...rows.map(r => {
      const done = r.cells.filter(c => c.tone === 'done').length, all = r.cells.length || 1;
      const share = Math.round(100 * done / all);
      const t = el('div', 'sc-tile ' + (share >= 100 ? 't3' : share >= 50 ? 't2' : share > 0 ? 't1' : 't0'));
      t.append(el('b', null, share + '%'), document.createTextNode(r.name));
      t.title = `${r.name}：${done}/${all} 项审核通过`;
      return t;
    }));
  }

  function renderDots(n) {
    $('sc-dots').replaceChildren(...Array.from({ length: n }, (_, i) => el('li', i === turn ? 'on' : null)));
  }

  function rotate() {
    if (!data) return;
    turn++;
    renderChart();
  }

  function option(c) {
    const text = { color: '#e8eef7', fontSize: 20 };
    const base = { backgroundColor: 'transparent', animationDuration: 600, textStyle: { fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif' },
      legend: { top: 0, textStyle: text }, tooltip: { show: false } };
    const palette = ['#f5c451', '#4cc38a', '#5aa6ff', '#e0893e', '#c86bfa', '#ff6b6b'];
    if (c.kind === 'Pie') {
      const s = c.series[0];
      return Object.assign(base, { color: palette, series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '55%'],
        label: { color: '#e8eef7', fontSize: 20, formatter: '{b}\n{c}' },
        data: c.categories.map((name, i) => ({ name, value: s.values[i] })) }] });
    }
    // Long category names (phases, units) cannot stand side by side under bars: such a chart is laid on its side.
    const longest = Math.max(...c.categories.map(s => s.length));
    const horizontal = c.kind === 'HorizontalBar' || (c.kind !== 'Line' && longest * c.categories.length > 28);
    const cat = { type: 'category', data: c.categories, inverse: horizontal,
      axisLabel: { color: '#cfd9e8', fontSize: 18, interval: 0, rotate: horizontal || c.categories.length <= 6 ? 0 : 30, width: horizontal ? 200 : 120, overflow: 'truncate' },
      axisLine: { lineStyle: { color: '#3d5f8c' } } };
    const val = { type: 'value', axisLabel: { color: '#cfd9e8', fontSize: 18 }, splitLine: { lineStyle: { color: '#1d3a5f' } } };
    return Object.assign(base, {
      color: palette,
      grid: { left: 16, right: 24, top: 56, bottom: 16, containLabel: true },
      xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
      series: c.series.map(s => ({ name: s.name, type: c.kind === 'Line' ? 'line' : 'bar', data: s.values, stack: c.kind === 'StackedBar' ? 'all' : undefined,
        smooth: c.kind === 'Line', barMaxWidth: 48, label: { show: c.series.length === 1 && c.categories.length <= 12, position: horizontal ? 'right' : 'top', color: '#e8eef7', fontSize: 18 } })),
    });
  }

  function showChart(p) {
    $('sc-rotor-title').textContent = p ? `${p.title}：${p.chart.caption}` : '暂无图表';
    $('sc-rotor-source').textContent = p ? `数据来源：${p.source}` : '';
    const table = $('sc-rotor-table');
    if (!p) { table.replaceChildren(); if (chart) { chart.dispose(); chart = null; } return; }
    const c = p.chart;
    const head = el('tr'); head.append(el('th', null, '分类'), ...c.series.map(s => el('th', null, s.name)));
    const rows = c.categories.slice(0, 8).map((name, i) => { const tr = el('tr'); tr.append(el('td', null, name), ...c.series.map(s => el('td', null, String(s.values[i])))); return tr; });
    table.replaceChildren(head, ...rows);
    if (!window.echarts) return;
    // One instance for the page's life: a new option replaces the old one wholesale (notMerge) instead of a new chart.
    if (!chart) chart = echarts.init($('sc-chart'), null, { renderer: 'svg' });
    chart.setOption(option(c), { notMerge: true, lazyUpdate: false });
  }

  addEventListener('resize', () => chart && chart.resize());
  addEventListener('pagehide', () => { if (chart) { chart.dispose(); chart = null; } });
  timers.clock = setInterval(tickClock, 1000);
  timers.rotate = setInterval(rotate, rotateMs);
  tickClock();
  load();
})();
