// The dashboard's charts: ECharts (served from our own origin by the Vizor.ECharts package) driven without eval, so
// the CSP's script-src 'self' holds. Options arrive as JSON and are parsed, never evaluated; every chart is disposed
// with its component, and its resize observer with it, so a page left open does not leak.
const library = "_content/Vizor.ECharts/js/vizor-echarts-bundle-min.js";
const charts = new Map();
let loading;

function echartsLoaded() {
  if (window.echarts) return Promise.resolve(window.echarts);
  return (loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = library;
    script.onload = () => resolve(window.echarts);
    script.onerror = () => reject(new Error("图表库加载失败"));
    document.head.appendChild(script);
  }));
}

// A click on a bar, slice or point opens the records behind it (the data item carries its link).
function open(link) {
  if (!link) return;
  if (window.Blazor?.navigateTo) window.Blazor.navigateTo(link);
  else window.location.assign(link);
}

export async function render(element, json) {
  const echarts = await echartsLoaded();
  if (!element.isConnected) return;
  let entry = charts.get(element);
  if (!entry) {
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.on("click", (p) => open(p.data?.link));
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    entry = { chart, observer };
    charts.set(element, entry);
  }
  entry.chart.setOption(JSON.parse(json), true);
}

export function dispose(element) {
  const entry = charts.get(element);
  if (!entry) return;
  entry.observer.disconnect();
  entry.chart.dispose();
  charts.delete(element);
}

/** How many charts are alive (the journey checks that leaving the page leaves none). */
export function count() {
  return charts.size;
}

function image(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("图表转换失败"));
    img.src = url;
  });
}

/**
 * The view as one PNG: each panel's title, its figures as text, and its chart drawn from the chart's own SVG
 * (getDataURL), stacked on a white page. Drawn in the browser: the charts are already there, and the file never
 * leaves the user's machine (the figures' workbook is the audited export).
 */
export async function png(fileName, heading, panels) {
  const scale = 2, width = 900, pad = 24;
  const pieces = [];
  for (const p of panels) {
    const element = p.chartId ? document.getElementById(p.chartId) : null;
    const entry = element ? charts.get(element) : null;
    const img = entry ? await image(entry.chart.getDataURL({ type: "svg", backgroundColor: "#fff" })) : null;
    pieces.push({ ...p, img });
  }
  const lineHeight = 26;
  const rows = (p) => Math.ceil(p.figures.length / 3);
  const height = pad * 2 + 40 + pieces.reduce((h, p) => h + 34 + rows(p) * lineHeight + (p.img ? (p.img.height * (width - 2 * pad)) / p.img.width + 12 : 0) + 16, 0);
  const canvas = document.createElement("canvas");
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  const font = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';
  let y = pad + 24;
  ctx.fillStyle = "#1f1f1f";
  ctx.font = `bold 22px ${font}`;
  ctx.fillText(heading, pad, y);
  y += 24;
  for (const p of pieces) {
    y += 28;
    ctx.font = `bold 17px ${font}`;
    ctx.fillStyle = "#7a1f1f";
    ctx.fillText(p.title, pad, y);
    y += 6;
    ctx.font = `14px ${font}`;
    ctx.fillStyle = "#262626";
    p.figures.forEach((f, i) => {
      if (i % 3 === 0) y += lineHeight;
      ctx.fillText(f, pad + (i % 3) * ((width - 2 * pad) / 3), y);
    });
    if (p.img) {
      const w = width - 2 * pad, h = (p.img.height * w) / p.img.width;
      ctx.drawImage(p.img, pad, y + 12, w, h);
      y += h + 12;
    }
    y += 16;
  }
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  window.shiliu.saveBlob(fileName, blob);
}
