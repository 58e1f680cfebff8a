/** Small DOM helpers: elements are built with textContent, never innerHTML of data. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string>; title?: string } = {},
  children: Array<Node | string> = [],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title) e.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** A theme colour from VS Code's CSS variables, with a fallback for a plain page. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export { fmt } from '../core/format';

/**
 * A Chart.js canvas in a box of its own: a responsive chart takes its size
 * from its parent, so the parent must be the space the chart is shown in,
 * not a figure that also holds the caption (the canvas was drawn 340 px
 * high and squeezed to 303 on the page, and clicks and dots parted).
 */
export function chartBox(canvas: HTMLCanvasElement): HTMLDivElement {
  return el('div', { className: 'chart-box' }, [canvas]);
}
