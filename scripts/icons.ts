/**
 * Draws the two Teams app icons with pngjs: `npx tsx scripts/icons.ts` (npm run icons).
 * The PNGs are committed; rerun only when the glyph changes.
 *
 * Teams rules (https://learn.microsoft.com/microsoftteams/platform/concepts/design/design-teams-app-icon-store-appbar,
 * https://learn.microsoft.com/microsoft-365/extensibility/schema/root-icons):
 * - color.png: 192×192, a full square, full bleed (Teams applies its own mask), the logo
 *   inside the central 120×120 safe area. We write it without an alpha channel.
 * - outline.png: 32×32, white on a transparent background and nothing else. Every pixel
 *   here is pure white; only alpha varies (anti-aliased edges are partial alpha).
 *
 * The glyph: a shield (Defender) with a minus (taken off it). Shapes are signed distance
 * functions in pixel units, so edges are anti-aliased without supersampling.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

/** Also the manifest's accentColor, so the tile and the icon background agree. */
export const ACCENT = { r: 0x1b, g: 0x4f, b: 0x8f } as const;

type Point = readonly [number, number];
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Shield outline in unit coordinates: a top edge dipping by `dip`, straight sides, a pointed base. */
function shieldPolygon(box: Box, dip: number): Point[] {
  const unit: Point[] = [];
  const steps = 24;
  for (let i = 0; i <= steps; i++) {
    const u = i / steps;
    unit.push([u, dip * Math.sin(Math.PI * u)]); // top edge
  }
  for (let i = 0; i <= steps; i++) {
    const t = i / steps; // right side: straight to v=0.45, then a curve to the point
    const v = 0.45 + 0.55 * t;
    unit.push([0.5 + 0.5 * (1 - t * t), v]);
  }
  for (let i = steps - 1; i >= 0; i--) {
    const t = i / steps; // left side, mirrored, back up
    unit.push([0.5 - 0.5 * (1 - t * t), 0.45 + 0.55 * t]);
  }
  return unit.map(([u, v]) => [box.x + u * box.w, box.y + v * box.h] as const);
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Squared distance from p to the segment ab. The inner loop runs millions of times per icon,
 * so it avoids Math.* calls (slow inside jest's VM, where the test redraws the icons).
 */
function segmentDistance2(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = clamp01(((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy || 1));
  const ex = p[0] - (a[0] + t * dx);
  const ey = p[1] - (a[1] + t * dy);
  return ex * ex + ey * ey;
}

/** Signed distance to a closed polygon: negative inside (even-odd rule). */
function polygonSdf(poly: readonly Point[], p: Point): number {
  let d2 = Infinity;
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    const s2 = segmentDistance2(p, a, b);
    if (s2 < d2) d2 = s2;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) {
      inside = !inside;
    }
  }
  return inside ? -Math.sqrt(d2) : Math.sqrt(d2);
}

/** A horizontal bar with round ends (the minus), as a signed distance. */
function capsuleSdf(a: Point, b: Point, radius: number, p: Point): number {
  return Math.sqrt(segmentDistance2(p, a, b)) - radius;
}

/** Pixel coverage of a shape from its signed distance (one-pixel linear ramp). */
const coverage = (sdf: number): number => clamp01(0.5 - sdf);

function render(size: number, shade: (p: Point) => [number, number, number, number]): PNG {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = shade([x + 0.5, y + 0.5]);
      const i = (y * size + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = a;
    }
  }
  return png;
}

const mix = (from: number, to: number, t: number): number => Math.round(from + (to - from) * t);

/** 192×192: white shield on the accent colour, with the minus cut in accent; opaque. */
export function drawColorIcon(): Buffer {
  const box: Box = { x: 46, y: 38, w: 100, h: 116 }; // inside the 120×120 safe area (36..156)
  const shield = shieldPolygon(box, 0.07);
  const bar = { a: [72, 94] as Point, b: [120, 94] as Point, r: 8 };
  const png = render(192, (p) => {
    const white = coverage(polygonSdf(shield, p)) * (1 - coverage(capsuleSdf(bar.a, bar.b, bar.r, p)));
    return [mix(ACCENT.r, 255, white), mix(ACCENT.g, 255, white), mix(ACCENT.b, 255, white), 255];
  });
  return PNG.sync.write(png, { colorType: 2 }); // RGB: no alpha channel at all
}

/** 32×32: the shield as a white line with a white minus inside, on full transparency. */
export function drawOutlineIcon(): Buffer {
  const box: Box = { x: 4, y: 2, w: 24, h: 28 };
  // A flat top and whole-pixel edges: at 32 px a dip or a fractional stroke only blurs.
  const shield = shieldPolygon(box, 0);
  const stroke = 2;
  const bar = { a: [12, 15.5] as Point, b: [20, 15.5] as Point, r: 1.5 };
  const png = render(32, (p) => {
    const d = polygonSdf(shield, p);
    const line = coverage(d) * coverage(-(d + stroke));
    const minus = coverage(capsuleSdf(bar.a, bar.b, bar.r, p));
    return [255, 255, 255, Math.round(255 * Math.max(line, minus))];
  });
  return PNG.sync.write(png);
}

/** The same rules as a check, which the packager runs on whatever PNGs are in appPackage/. */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const c = PNG.sync.read(color);
  const o = PNG.sync.read(outline);
  if (c.width !== 192 || c.height !== 192) problems.push(`color icon is ${c.width}×${c.height}, not 192×192`);
  if (o.width !== 32 || o.height !== 32) problems.push(`outline icon is ${o.width}×${o.height}, not 32×32`);
  let translucent = 0;
  for (let i = 3; i < c.data.length; i += 4) if (c.data[i] !== 255) translucent++;
  if (translucent > 0) problems.push(`color icon has ${translucent} pixels that are not opaque`);
  let coloured = 0;
  let visible = 0;
  for (let i = 0; i < o.data.length; i += 4) {
    const alpha = o.data[i + 3]!;
    if (alpha > 0) visible++;
    if (alpha > 0 && (o.data[i] !== 255 || o.data[i + 1] !== 255 || o.data[i + 2] !== 255)) coloured++;
  }
  if (coloured > 0) problems.push(`outline icon has ${coloured} visible pixels that are not pure white`);
  if (visible === 0) problems.push('outline icon is fully transparent');
  return problems;
}

function main(): void {
  const dir = join(__dirname, '..', 'appPackage');
  writeFileSync(join(dir, 'color.png'), drawColorIcon());
  writeFileSync(join(dir, 'outline.png'), drawOutlineIcon());
  console.log(`Wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}

if (require.main === module) main();
