// The map: an offline base map of countries (world-atlas, Natural Earth 1:110m) and the
// register's organisations, clustered (supercluster), drawn on a canvas so that 100,000
// points stay smooth. Web Mercator; drag, wheel, pinch, double-click and keyboard
// (arrows, + and -) move it. An optional tile URL draws raster tiles underneath.
import Supercluster, { type PointFeature } from "supercluster";
import { feature } from "topojson-client";
import type { Topology, GeometryCollection } from "topojson-specification";
import worldData from "world-atlas/countries-110m.json";
import type { FeatureCollection } from "geojson";
import type { MapPoints } from "./api";

export interface View {
  lon: number;
  lat: number;
  zoom: number;
}

export type BBox = [number, number, number, number]; // west, south, east, north

interface Drawn {
  x: number;
  y: number;
  r: number;
  id?: number; // an organisation
  cluster?: number; // a cluster to open
  lon: number;
  lat: number;
}

const TILE = 256;
const MAX_ZOOM = 18;
const MAX_LAT = 85.0511;
// Colours by legal form index (colour-blind-safe palette, Okabe-Ito), repeated.
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

// Longitude and latitude to [0,1] world coordinates (Web Mercator).
function project(lon: number, lat: number): [number, number] {
  const s = Math.sin((clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI) / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
}

function unproject(x: number, y: number): [number, number] {
  const lon = x * 360 - 180;
  const n = Math.PI - 2 * Math.PI * y;
  return [lon, (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))];
}

// Country outlines as rings of [0,1] world coordinates, computed once.
let countryRings: Float64Array[] | null = null;
function countries(): Float64Array[] {
  if (countryRings) return countryRings;
  const topo = worldData as unknown as Topology<{ countries: GeometryCollection }>;
  const fc = feature(topo, topo.objects.countries) as unknown as FeatureCollection;
  const rings: Float64Array[] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const poly of polys) {
      for (const ring of poly) {
        const a = new Float64Array(ring.length * 2);
        // Rings that cross the antimeridian jump from one edge of the world to the other:
        // unwrap them (continue past the edge) instead of drawing a line across the map.
        let shift = 0;
        ring.forEach(([lon, lat], i) => {
          const [x, y] = project(lon, lat);
          if (i > 0) {
            const prev = a[2 * i - 2] - shift;
            if (x - prev > 0.5) shift -= 1;
            else if (prev - x > 0.5) shift += 1;
          }
          a[2 * i] = x + shift;
          a[2 * i + 1] = y;
        });
        rings.push(a);
      }
    }
  }
  countryRings = rings;
  return rings;
}

export interface MapOptions {
  label: string;
  zoomInLabel: string;
  zoomOutLabel: string;
  tileUrl?: string; // e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png, when online
  onMove?: (view: View, bbox: BBox) => void;
  onSelect?: (id: number) => void;
}

export class MapView {
  readonly element: HTMLElement;
  private canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private view: View = { lon: 0, lat: 20, zoom: 1.5 };
  private index: Supercluster | null = null;
  private points: MapPoints | null = null;
  private drawn: Drawn[] = [];
  private frame = 0;
  private moveTimer = 0;
  private pointers = new Map<number, { x: number; y: number }>();
  private dragged = false;
  private tiles = new Map<string, HTMLImageElement>();
  private width = 0;
  private height = 0;

  constructor(private opts: MapOptions) {
    this.element = document.createElement("div");
    this.element.className = "map";
    this.canvas = document.createElement("canvas");
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "application");
    this.canvas.setAttribute("aria-label", opts.label);
    this.element.append(this.canvas);
    const zoom = document.createElement("div");
    zoom.className = "map-zoom";
    for (const [text, label, dz] of [
      ["+", opts.zoomInLabel, 1],
      ["−", opts.zoomOutLabel, -1],
    ] as const) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("click", () => this.zoomBy(dz));
      zoom.append(b);
    }
    this.element.append(zoom);
    this.ctx = this.canvas.getContext("2d")!;
    this.listen();
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  setLabels(label: string, zoomIn: string, zoomOut: string): void {
    this.canvas.setAttribute("aria-label", label);
    const [i, o] = this.element.querySelectorAll("button");
    i.setAttribute("aria-label", zoomIn);
    i.title = zoomIn;
    o.setAttribute("aria-label", zoomOut);
    o.title = zoomOut;
  }

  setHandlers(onMove: MapOptions["onMove"], onSelect: MapOptions["onSelect"]): void {
    this.opts.onMove = onMove;
    this.opts.onSelect = onSelect;
  }

  getView(): View {
    return { ...this.view };
  }

  setView(v: View): void {
    this.view = { lon: clamp(v.lon, -180, 180), lat: clamp(v.lat, -MAX_LAT, MAX_LAT), zoom: clamp(v.zoom, 0, MAX_ZOOM) };
    this.redraw();
  }

  bbox(): BBox {
    const size = TILE * 2 ** this.view.zoom;
    const [cx, cy] = project(this.view.lon, this.view.lat);
    const [w, n] = unproject(cx - this.width / 2 / size, cy - this.height / 2 / size);
    const [e, s] = unproject(cx + this.width / 2 / size, cy + this.height / 2 / size);
    return [clamp(w, -180, 180), clamp(s, -90, 90), clamp(e, -180, 180), clamp(n, -90, 90)];
  }

  setPoints(points: MapPoints): void {
    this.points = points;
    const features: PointFeature<{ id: number; f: number }>[] = new Array(points.ids.length);
    for (let i = 0; i < points.ids.length; i++) {
      features[i] = {
        type: "Feature",
        properties: { id: points.ids[i], f: points.legal_form[i] },
        geometry: { type: "Point", coordinates: [points.lon[i], points.lat[i]] },
      };
    }
    this.index = new Supercluster({ radius: 48, maxZoom: 14, minPoints: 3 });
    this.index.load(features);
    this.redraw();
  }

  // Zooms so that all points show (or the world when there are none).
  fit(): void {
    const p = this.points;
    if (!p || p.ids.length === 0 || !this.width) return;
    let w = 180, e = -180, s = 90, n = -90;
    for (let i = 0; i < p.ids.length; i++) {
      w = Math.min(w, p.lon[i]);
      e = Math.max(e, p.lon[i]);
      s = Math.min(s, p.lat[i]);
      n = Math.max(n, p.lat[i]);
    }
    const [x0, y0] = project(w, n);
    const [x1, y1] = project(e, s);
    const zx = Math.log2(this.width / TILE / Math.max(1e-9, x1 - x0));
    const zy = Math.log2(this.height / TILE / Math.max(1e-9, y1 - y0));
    const [lon, lat] = unproject((x0 + x1) / 2, (y0 + y1) / 2);
    this.setView({ lon, lat, zoom: clamp(Math.min(zx, zy) - 0.3, 0.5, 14) });
    this.moved();
  }

  private resize(): void {
    const r = this.element.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.width = r.width;
    this.height = r.height;
    this.canvas.width = Math.round(r.width * dpr);
    this.canvas.height = Math.round(r.height * dpr);
    this.canvas.style.width = `${r.width}px`;
    this.canvas.style.height = `${r.height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.redraw();
  }

  private redraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private toScreen(lon: number, lat: number): [number, number] {
    const size = TILE * 2 ** this.view.zoom;
    const [cx, cy] = project(this.view.lon, this.view.lat);
    const [x, y] = project(lon, lat);
    return [(x - cx) * size + this.width / 2, (y - cy) * size + this.height / 2];
  }

  private draw(): void {
    const { ctx } = this;
    const size = TILE * 2 ** this.view.zoom;
    const [cx, cy] = project(this.view.lon, this.view.lat);
    const ox = this.width / 2 - cx * size;
    const oy = this.height / 2 - cy * size;
    ctx.fillStyle = "#dbe9f4";
    ctx.fillRect(0, 0, this.width, this.height);
    if (this.opts.tileUrl) this.drawTiles(size, ox, oy);
    ctx.beginPath();
    for (const ring of countries()) {
      ctx.moveTo(ring[0] * size + ox, ring[1] * size + oy);
      for (let i = 2; i < ring.length; i += 2) ctx.lineTo(ring[i] * size + ox, ring[i + 1] * size + oy);
      ctx.closePath();
    }
    if (!this.opts.tileUrl) {
      ctx.fillStyle = "#f6f3ea";
      ctx.fill("evenodd");
    }
    ctx.strokeStyle = "#b9b29d";
    ctx.lineWidth = 0.6;
    ctx.stroke();

    this.drawn = [];
    if (!this.index) return;
    const [w, s, e, n] = this.bbox();
    const clusters = this.index.getClusters([w, s, e, n], Math.floor(this.view.zoom));
    for (const c of clusters) {
      const [lon, lat] = c.geometry.coordinates;
      const [x, y] = this.toScreen(lon, lat);
      const p = c.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; id?: number; f?: number };
      if (p.cluster) {
        const count = p.point_count!;
        const r = 10 + Math.min(22, Math.log10(count) * 7);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(0, 94, 80, 0.85)";
        ctx.fill();
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 2;
        ctx.stroke();
        ctx.fillStyle = "#fff";
        ctx.font = "bold 12px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(count >= 10000 ? `${Math.round(count / 1000)}k` : String(count), x, y);
        this.drawn.push({ x, y, r, cluster: p.cluster_id, lon, lat });
      } else {
        ctx.beginPath();
        ctx.arc(x, y, 6, 0, 2 * Math.PI);
        ctx.fillStyle = (p.f ?? -1) >= 0 ? PALETTE[p.f! % PALETTE.length] : "#777";
        ctx.fill();
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 1.5;
        ctx.stroke();
        this.drawn.push({ x, y, r: 9, id: p.id, lon, lat });
      }
    }
  }

  private drawTiles(size: number, ox: number, oy: number): void {
    const z = clamp(Math.round(this.view.zoom), 0, 19);
    const n = 2 ** z;
    const scale = size / (TILE * n);
    const x0 = Math.floor(-ox / (TILE * scale)), x1 = Math.floor((this.width - ox) / (TILE * scale));
    const y0 = Math.max(0, Math.floor(-oy / (TILE * scale))), y1 = Math.min(n - 1, Math.floor((this.height - oy) / (TILE * scale)));
    for (let ty = y0; ty <= y1; ty++) {
      for (let tx = x0; tx <= x1; tx++) {
        const wx = ((tx % n) + n) % n;
        const url = this.opts.tileUrl!.replace("{z}", String(z)).replace("{x}", String(wx)).replace("{y}", String(ty));
        let img = this.tiles.get(url);
        if (!img) {
          img = new Image();
          img.crossOrigin = "anonymous";
          img.onload = () => this.redraw();
          img.src = url;
          this.tiles.set(url, img);
        }
        if (img.complete && img.naturalWidth) {
          this.ctx.drawImage(img, ox + tx * TILE * scale, oy + ty * TILE * scale, TILE * scale + 0.5, TILE * scale + 0.5);
        }
      }
    }
  }

  private moved(): void {
    window.clearTimeout(this.moveTimer);
    this.moveTimer = window.setTimeout(() => this.opts.onMove?.(this.getView(), this.bbox()), 250);
  }

  private panBy(dx: number, dy: number): void {
    const size = TILE * 2 ** this.view.zoom;
    const [cx, cy] = project(this.view.lon, this.view.lat);
    const [lon, lat] = unproject(cx + dx / size, clamp(cy + dy / size, 0, 1));
    this.setView({ ...this.view, lon, lat });
    this.moved();
  }

  // Zooms by `dz` keeping the point under (px, py) (the centre by default) in place.
  zoomBy(dz: number, px = this.width / 2, py = this.height / 2): void {
    const size = TILE * 2 ** this.view.zoom;
    const [cx, cy] = project(this.view.lon, this.view.lat);
    const ax = cx + (px - this.width / 2) / size, ay = cy + (py - this.height / 2) / size;
    const zoom = clamp(this.view.zoom + dz, 0, MAX_ZOOM);
    const size2 = TILE * 2 ** zoom;
    const [lon, lat] = unproject(ax - (px - this.width / 2) / size2, clamp(ay - (py - this.height / 2) / size2, 0, 1));
    this.setView({ lon, lat, zoom });
    this.moved();
  }

  private hit(x: number, y: number): Drawn | undefined {
    let best: Drawn | undefined;
    let bestD = Infinity;
    for (const d of this.drawn) {
      const dist = Math.hypot(d.x - x, d.y - y);
      if (dist <= d.r && dist < bestD) {
        best = d;
        bestD = dist;
      }
    }
    return best;
  }

  private open(d: Drawn): void {
    if (d.id !== undefined) {
      this.opts.onSelect?.(d.id);
    } else if (d.cluster !== undefined && this.index) {
      const zoom = Math.min(this.index.getClusterExpansionZoom(d.cluster), MAX_ZOOM);
      this.setView({ lon: d.lon, lat: d.lat, zoom: Math.max(zoom, this.view.zoom + 1) });
      this.moved();
    }
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => {
      c.setPointerCapture(e.pointerId);
      this.pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
      this.dragged = false;
    });
    c.addEventListener("pointermove", (e) => {
      const prev = this.pointers.get(e.pointerId);
      if (!prev) {
        c.style.cursor = this.hit(e.offsetX, e.offsetY) ? "pointer" : "grab";
        return;
      }
      if (this.pointers.size === 2) {
        // Pinch: zoom by the change of distance between the two fingers.
        const [a, b] = [...this.pointers.values()];
        const before = Math.hypot(a.x - b.x, a.y - b.y);
        this.pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
        const [a2, b2] = [...this.pointers.values()];
        const after = Math.hypot(a2.x - b2.x, a2.y - b2.y);
        if (before > 0 && after > 0) this.zoomBy(Math.log2(after / before), (a2.x + b2.x) / 2, (a2.y + b2.y) / 2);
        this.dragged = true;
        return;
      }
      const dx = e.offsetX - prev.x, dy = e.offsetY - prev.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) this.dragged = true;
      this.pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
      if (this.dragged) this.panBy(-dx, -dy);
    });
    const up = (e: PointerEvent) => {
      const was = this.pointers.delete(e.pointerId);
      if (was && !this.dragged && this.pointers.size === 0) {
        const d = this.hit(e.offsetX, e.offsetY);
        if (d) this.open(d);
      }
    };
    c.addEventListener("pointerup", up);
    c.addEventListener("pointercancel", (e) => this.pointers.delete(e.pointerId));
    c.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        this.zoomBy(-e.deltaY / (e.deltaMode === 1 ? 10 : 300), e.offsetX, e.offsetY);
      },
      { passive: false },
    );
    c.addEventListener("dblclick", (e) => this.zoomBy(1, e.offsetX, e.offsetY));
    c.addEventListener("keydown", (e) => {
      const step = 80;
      const keys: Record<string, () => void> = {
        ArrowLeft: () => this.panBy(-step, 0),
        ArrowRight: () => this.panBy(step, 0),
        ArrowUp: () => this.panBy(0, -step),
        ArrowDown: () => this.panBy(0, step),
        "+": () => this.zoomBy(1),
        "=": () => this.zoomBy(1),
        "-": () => this.zoomBy(-1),
        Enter: () => {
          // Opens what is at the centre: keyboard users reach organisations this way too.
          const d = this.hit(this.width / 2, this.height / 2);
          if (d) this.open(d);
        },
      };
      const f = keys[e.key];
      if (f) {
        e.preventDefault();
        f();
      }
    });
  }
}
