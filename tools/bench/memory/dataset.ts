/**
 * The bench's vectors, generated from a seed so every candidate's process builds from the same
 * rows without copying 150 MB between processes.
 *
 * `clustered` (the default, closer to sentence embeddings than uniform noise): a Gaussian mixture
 * of 100 components of uneven weight (Zipf-like, as topics are), each a random unit centre plus
 * a spread along its own 16-dimensional subspace (norm ≈ 0.6) plus isotropic noise (norm ≈ 0.25).
 * Real embeddings sit near a low-dimensional manifold; a full-rank cloud per cluster would be as
 * hard as uniform data. `uniform`: points uniform on the sphere, the worst case for any graph
 * index (no structure at all), printed as a check, not as the expected load.
 */
export type Distribution = 'clustered' | 'uniform';

export interface Dataset {
  dimensions: number;
  /** n rows, row i at [i*d, (i+1)*d); its key is i. */
  base: Float32Array;
  /** Search queries, drawn from the same distribution but not in `base`. */
  queries: Float32Array;
  /** Rows for the single-row insert measurement, after the build (keys n, n+1, ...). */
  extra: Float32Array;
}

const COMPONENTS = 100;
const SUBSPACE = 16;
const SPREAD = 0.6;
const NOISE = 0.25;

export function generate(distribution: Distribution, n: number, queries: number, extra: number, dimensions: number, seed: number): Dataset {
  const uniform01 = mulberry32(seed);
  const random = gaussian(uniform01);
  const draw = distribution === 'uniform' ? () => unit(Float32Array.from({ length: dimensions }, random)) : mixture(dimensions, random, uniform01);
  const rows = (count: number): Float32Array => {
    const out = new Float32Array(count * dimensions);
    for (let i = 0; i < count; i++) out.set(draw(), i * dimensions);
    return out;
  };
  return { dimensions, base: rows(n), queries: rows(queries), extra: rows(extra) };
}

function mixture(d: number, random: () => number, uniform01: () => number): () => Float32Array {
  const weights = Array.from({ length: COMPONENTS }, (_, i) => 1 / Math.sqrt(i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0) / total);
  const centres = Array.from({ length: COMPONENTS }, () => unit(Float32Array.from({ length: d }, random)));
  // Columns of each component's subspace: random directions of norm ≈ 1.
  const bases = Array.from({ length: COMPONENTS }, () => Float32Array.from({ length: d * SUBSPACE }, () => random() / Math.sqrt(d)));
  return () => {
    const u = uniform01();
    const c = Math.max(0, cumulative.findIndex((x) => u <= x));
    const v = Float32Array.from(centres[c]!);
    const basis = bases[c]!;
    for (let j = 0; j < SUBSPACE; j++) {
      const z = (random() * SPREAD) / Math.sqrt(SUBSPACE);
      for (let i = 0; i < d; i++) v[i]! += basis[j * d + i]! * z;
    }
    for (let i = 0; i < d; i++) v[i]! += (random() * NOISE) / Math.sqrt(d);
    return v;
  };
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const norm = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Seeded uniform draws in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller). */
function gaussian(uniform01: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(uniform01() || 1e-12)) * Math.cos(2 * Math.PI * uniform01());
}
