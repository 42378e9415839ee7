// Delay distributions a scenario may name (fixed, exponential, uniform, log-normal) and how to draw from them.
import type { SeededRandom } from "../actors/index.ts";

/** A number is a fixed value; the objects name a distribution. Units are the field's (…Sec, …Min). */
export type Dist =
  | number
  | { exp: number; max?: number }
  | { uniform: readonly [number, number] }
  | { lognormal: readonly [number, number]; max?: number };

/** One draw, never negative; `max` caps the long tails of exponential and log-normal. */
export function sample(rng: SeededRandom, d: Dist): number {
  if (typeof d === "number") return d;
  if ("exp" in d) return cap(rng.exponential(d.exp), d.max);
  if ("uniform" in d) {
    const [a, b] = d.uniform;
    return Math.min(a, b) + rng.next() * Math.abs(b - a);
  }
  const [median, sigma] = d.lognormal;
  return cap(median * Math.exp(sigma * normal(rng)), d.max);
}

/** The mean of a distribution, for sizing drains and reports. */
export function mean(d: Dist): number {
  if (typeof d === "number") return d;
  if ("exp" in d) return d.exp;
  if ("uniform" in d) return (d.uniform[0] + d.uniform[1]) / 2;
  return d.lognormal[0] * Math.exp((d.lognormal[1] * d.lognormal[1]) / 2);
}

/** The largest value a draw can take, or Infinity. */
export function upper(d: Dist): number {
  if (typeof d === "number") return d;
  if ("uniform" in d) return Math.max(...d.uniform);
  return d.max ?? Number.POSITIVE_INFINITY;
}

const cap = (x: number, max: number | undefined) => Math.max(0, max === undefined ? x : Math.min(x, max));

/** A standard normal draw (Box–Muller); uses two uniforms so the stream stays in step whatever the value. */
function normal(rng: SeededRandom): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
