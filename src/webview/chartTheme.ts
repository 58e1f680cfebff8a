/** The charts' colours (from the VS Code theme) and the options every chart of the function view starts from. */
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { themeColor } from './dom';
import { linearTick, tickLabel } from './ticks';

export const colors = {
  fg: () => themeColor('--vscode-editor-foreground', '#333'),
  muted: () => themeColor('--vscode-descriptionForeground', '#6a6a6a'),
  accent: () => themeColor('--vscode-charts-orange', '#e8912d'),
  path: () => themeColor('--vscode-charts-red', '#e51400'),
  curve: () => themeColor('--vscode-charts-blue', '#1a85ff'),
  tangent: () => themeColor('--vscode-charts-green', '#388a34'),
  grid: () => themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
};

export function baseChartOptions(): ChartConfiguration<'scatter'>['options'] {
  // axis ends are set to the data's window: label round values inside it, not the ends themselves
  const tick = { color: colors.muted(), callback: tickLabel(linearTick), includeBounds: false };
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { color: colors.fg(), boxWidth: 12 } }, tooltip: { enabled: true } },
    scales: {
      x: { type: 'linear', ticks: tick, grid: { color: colors.grid() }, title: { display: true, color: colors.fg(), text: '' } },
      y: { type: 'linear', ticks: tick, grid: { color: colors.grid() }, title: { display: true, color: colors.fg(), text: '' } },
    },
  };
}

/**
 * Each chart writes where it drew its axes, in the canvas's CSS pixels
 * (`data-geometry`: the plot area and the axes' ranges), after every
 * render: automation finds a value's pixel from it, as a click does.
 */
export const geometryPlugin: Plugin = {
  id: 'geometry',
  afterRender(chart: Chart) {
    const { left, top, right, bottom } = chart.chartArea;
    const { x, y } = chart.scales;
    if (!x || !y) return;
    chart.canvas.dataset.geometry = JSON.stringify({ left, top, right, bottom, xmin: x.min, xmax: x.max, ymin: y.min, ymax: y.max, xlog: x.type === 'logarithmic' });
  },
};
