// Horizontal bar charts in SVG, readable by screen readers (role img, a summary label,
// and each bar's value as text).
export interface Bar {
  label: string;
  value: number;
}

const NS = "http://www.w3.org/2000/svg";

export function barChart(title: string, bars: Bar[], sortByValue = true, max = 12,
                         format: (v: number) => string = (v) => v.toLocaleString()): HTMLElement {
  const rows = sortByValue ? [...bars].sort((a, b) => b.value - a.value) : bars;
  const shown = rows.slice(0, max);
  if (rows.length > max) {
    const rest = rows.slice(max).reduce((s, b) => s + b.value, 0);
    shown.push({ label: "…", value: rest });
  }
  const top = Math.max(1, ...shown.map((b) => b.value));
  const rowH = 22, labelW = 170, barW = 220, width = labelW + barW + 60;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${shown.length * rowH + 4}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${title}: ${shown.map((b) => `${b.label} ${format(b.value)}`).join(", ")}`);
  shown.forEach((b, i) => {
    const y = i * rowH + 2;
    const text = document.createElementNS(NS, "text");
    text.setAttribute("x", String(labelW - 6));
    text.setAttribute("y", String(y + 15));
    text.setAttribute("text-anchor", "end");
    text.textContent = b.label.length > 26 ? b.label.slice(0, 25) + "…" : b.label;
    const rect = document.createElementNS(NS, "rect");
    rect.setAttribute("x", String(labelW));
    rect.setAttribute("y", String(y + 3));
    rect.setAttribute("height", String(rowH - 6));
    rect.setAttribute("width", String(Math.max(1, (b.value / top) * barW)));
    rect.setAttribute("class", "bar");
    const value = document.createElementNS(NS, "text");
    value.setAttribute("x", String(labelW + (b.value / top) * barW + 5));
    value.setAttribute("y", String(y + 15));
    value.textContent = format(b.value);
    svg.append(text, rect, value);
  });
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  figure.append(caption, svg);
  return figure;
}
