/**
 * REML log-likelihood of the marginal linear model y_i ~ N(X_i·β, Σ[v_i, v_i]) and its analytic
 * first and second derivatives with respect to the distinct elements of Σ ("σ-space", the SAS
 * TYPE=UN parameterisation).
 *
 * Notation (per subject i with n_i visits): A_i = Σ_i⁻¹, F = Σ X_iᵀA_iX_i = Φ⁻¹, β̂ = Φ·Σ X_iᵀA_iy_i,
 * r_i = y_i − X_iβ̂, u_i = A_i·r_i (= P·y restricted to subject i), and V_e the derivative of V with
 * respect to σ_e: the block-diagonal matrix with blocks E_e[v_i, v_i], E_e = s_e(e_a·e_bᵀ + e_b·e_aᵀ)
 * (s_e = 1 off the diagonal, ½ on it). With P = V⁻¹ − V⁻¹XΦXᵀV⁻¹:
 *   ℓ_R          = −½ [Σ log|Σ_i| + log|F| + Σ r_iᵀA_ir_i + (N − p)·log 2π]
 *   ∂ℓ/∂σ_e      = −½ tr(P·V_e) + ½ uᵀV_e·u
 *   ∂²ℓ/∂σ_e∂σ_f = ½ tr(P·V_e·P·V_f) − uᵀV_e·P·V_f·u           (Σ is linear in σ: V_ef = 0)
 *   E[−∂²ℓ]      = ½ tr(P·V_e·P·V_f)                              (expected information)
 *
 * Speed: A_i depends only on the subject's missingness pattern, and every term is linear in the
 * per-pattern moments S_rs = Σ_i x_ir·x_isᵀ and t_rs = Σ_i x_ir·y_is, which are accumulated once
 * (sparse rows). An evaluation then costs O(#patterns·n²p²) plus a cheap O(N·n·nnz) residual pass,
 * whatever the number of subjects.
 */
import {
  choleskyInverse,
  choleskyLogDet,
  choleskyLower,
  choleskySolveInPlace,
  invertLowerTriangular,
} from '../dense-matrix.js';
import { sigmaElementCount, sigmaIndex } from './covariance-structures.js';

/** One subject's data: visit indices (strictly increasing), design rows and responses. */
export interface SubjectData {
  /** Visit indices 0…m−1, strictly increasing. */
  readonly visits: ArrayLike<number>;
  /** Design rows, row-major n_i × p. */
  readonly x: ArrayLike<number>;
  /** Responses, length n_i. */
  readonly y: ArrayLike<number>;
}

/** A repeated-measures design: m visits, p fixed-effect columns, one block per subject. */
export interface RepeatedMeasuresDesign {
  readonly nVisits: number;
  readonly nCoefficients: number;
  readonly subjects: readonly SubjectData[];
}

/** Everything known about the REML surface at one Σ. */
export interface RemlState {
  readonly sigma: Float64Array;
  readonly logLik: number;
  readonly beta: Float64Array;
  /** Φ = (Σ X_iᵀΣ_i⁻¹X_i)⁻¹, p×p. */
  readonly phi: Float64Array;
  /** Per pattern Σ_π⁻¹ (n_π × n_π). */
  readonly patternInverses: readonly Float64Array[];
  readonly derivatives?: RemlDerivatives;
}

/** Analytic σ-space derivatives at one Σ. */
export interface RemlDerivatives {
  /** ∂ℓ/∂σ_e, length k = m(m+1)/2. */
  readonly gradient: Float64Array;
  /** ∂²ℓ/∂σ_e∂σ_f (observed), k×k. */
  readonly hessian: Float64Array;
  /** Expected information ½ tr(P·V_e·P·V_f), k×k. */
  readonly expectedInformation: Float64Array;
  /** K_e = XᵀV⁻¹V_eV⁻¹X = −P_e (Kenward–Roger's P with the sign flipped), k matrices p×p. */
  readonly k: readonly Float64Array[];
}

interface Pattern {
  readonly visits: Int32Array;
  readonly n: number;
  /** Subjects (indices into the design) with this pattern. */
  readonly subjects: number[];
  /** Global σ index of local pair (a ≥ b), by local pair index a(a+1)/2 + b. */
  readonly globalIndex: Int32Array;
  /**
   * Symmetrised moments Ssym_rs (S_rr for r = s, S_rs + S_sr for r > s), stored sparse: entries
   * sxxStart[q]…sxxStart[q+1] of pair q = r(r+1)/2 + s hold flat p×p positions and values.
   * Designs built from factors are very sparse, which makes every S-based sum cheap.
   */
  readonly sxxStart: Int32Array;
  readonly sxxIndex: Int32Array;
  readonly sxxValue: Float64Array;
  /** t_rs = Σ_i x_ir·y_is for all r, s: n × n × p. */
  readonly sxy: Float64Array;
}

/** Sparse copy of a design row: nonzero column indices and values. */
interface SparseRows {
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Evaluates the REML criterion and its derivatives for a fixed design; reused across iterations. */
export class RemlEvaluator {
  readonly m: number;
  readonly p: number;
  readonly nObservations: number;
  readonly nSubjects: number;
  readonly k: number;
  private readonly patterns: Pattern[];
  private readonly subjectRowOffset: Int32Array;
  private readonly rows: SparseRows;
  private readonly yFlat: Float64Array;

  constructor(design: RepeatedMeasuresDesign) {
    const { nVisits: m, nCoefficients: p, subjects } = design;
    this.m = m;
    this.p = p;
    this.k = sigmaElementCount(m);
    this.nSubjects = subjects.length;
    let total = 0;
    for (const s of subjects) total += s.y.length;
    this.nObservations = total;

    // Sparse rows and flat responses.
    this.subjectRowOffset = new Int32Array(subjects.length + 1);
    const rowStart = new Int32Array(total + 1);
    const columns: number[] = [];
    const values: number[] = [];
    this.yFlat = new Float64Array(total);
    let row = 0;
    subjects.forEach((s, i) => {
      this.subjectRowOffset[i] = row;
      const n = s.y.length;
      for (let r = 0; r < n; r++) {
        rowStart[row] = columns.length;
        for (let j = 0; j < p; j++) {
          const v = s.x[r * p + j];
          if (v !== 0) {
            columns.push(j);
            values.push(v);
          }
        }
        this.yFlat[row] = s.y[r];
        row++;
      }
    });
    this.subjectRowOffset[subjects.length] = row;
    rowStart[total] = columns.length;
    this.rows = { rowStart, columns: Int32Array.from(columns), values: Float64Array.from(values) };

    // Group subjects by missingness pattern.
    type Draft = Omit<Pattern, 'sxxStart' | 'sxxIndex' | 'sxxValue'>;
    const byKey = new Map<string, Draft>();
    subjects.forEach((s, i) => {
      const key = Array.from(s.visits).join(',');
      let pattern = byKey.get(key);
      if (!pattern) {
        const visits = Int32Array.from(s.visits);
        const n = visits.length;
        const pairs = (n * (n + 1)) / 2;
        const globalIndex = new Int32Array(pairs);
        for (let a = 0; a < n; a++) {
          for (let b = 0; b <= a; b++) globalIndex[(a * (a + 1)) / 2 + b] = sigmaIndex(visits[a], visits[b]);
        }
        pattern = { visits, n, subjects: [], globalIndex, sxy: new Float64Array(n * n * p) };
        byKey.set(key, pattern);
      }
      pattern.subjects.push(i);
    });

    // Pattern moments from sparse outer products, one visit pair at a time through a p×p scratch
    // buffer, so memory stays O(p²) however many patterns there are.
    const scratch = { values: new Float64Array(p * p), touched: new Uint8Array(p * p) };
    this.patterns = [...byKey.values()].map((pattern) => ({
      ...pattern,
      ...patternMoments(pattern, this.rows, this.subjectRowOffset, this.yFlat, p, scratch),
    }));
  }

  /** Number of distinct missingness patterns. */
  get patternCount(): number {
    return this.patterns.length;
  }

  /**
   * Evaluates ℓ_R at Σ (row-major m×m), with derivatives when asked. Returns `null` when some
   * pattern's Σ_π or the fixed-effect information F is not positive definite.
   */
  evaluate(sigma: Float64Array, withDerivatives = false): RemlState | null {
    const { m, p, patterns } = this;
    const inverses: Float64Array[] = [];
    let logDetV = 0;
    const f = new Float64Array(p * p);
    const c = new Float64Array(p);
    for (const pattern of patterns) {
      const { n, visits } = pattern;
      const sub = new Float64Array(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) sub[a * n + b] = sigma[visits[a] * m + visits[b]];
      const chol = choleskyLower(sub, n);
      if (!chol) return null;
      const inv = choleskyInverse(chol, n);
      inverses.push(inv);
      logDetV += pattern.subjects.length * choleskyLogDet(chol, n);
      accumulateFixedEffectInformation(pattern, inv, p, f, c);
    }
    const cholF = choleskyLower(f, p, 1e-15);
    if (!cholF) return null;
    const phi = choleskyInverse(cholF, p);
    const beta = choleskySolveInPlace(cholF, p, Float64Array.from(c));
    const logDetF = choleskyLogDet(cholF, p);

    let quad = 0;
    const uSums: Float64Array[] = [];
    const dSums: Float64Array[] = [];
    patterns.forEach((pattern, index) => {
      const pass = residualPass(
        pattern,
        inverses[index],
        beta,
        this.rows,
        this.subjectRowOffset,
        this.yFlat,
        p,
        withDerivatives,
      );
      quad += pass.quad;
      uSums.push(pass.uu);
      dSums.push(pass.d);
    });

    const logLik = -0.5 * (logDetV + logDetF + quad + (this.nObservations - p) * LOG_2PI);
    const state: RemlState = { sigma, logLik, beta, phi, patternInverses: inverses };
    if (!withDerivatives) return state;
    return { ...state, derivatives: this.derivatives(phi, cholF, inverses, uSums, dSums) };
  }

  private derivatives(
    phi: Float64Array,
    cholF: Float64Array,
    inverses: readonly Float64Array[],
    uSums: readonly Float64Array[],
    dSums: readonly Float64Array[],
  ): RemlDerivatives {
    const { p, k, patterns } = this;
    const gradient = new Float64Array(k);
    const t1 = new Float64Array(k * k);
    const t2 = new Float64Array(k * k);
    const y1 = new Float64Array(k * k);
    const kMats = Array.from({ length: k }, () => new Float64Array(p * p));
    const w = Array.from({ length: k }, () => new Float64Array(p));
    patterns.forEach((pattern, index) => {
      const a = inverses[index];
      const mBar = sandwich(a, patternPhiMoments(pattern, phi), pattern.n);
      accumulateGradient(pattern, a, mBar, uSums[index], gradient);
      accumulateFourIndexTerms(pattern, a, mBar, uSums[index], k, t1, t2, y1);
      accumulateScoreMoments(pattern, a, dSums[index], p, w);
      accumulateK(pattern, a, kMats);
    });

    // With F = L·Lᵀ (so Φ = L⁻ᵀL⁻¹): T3_ef = tr(Φ K_e Φ K_f) = ⟨G_e, G_f⟩ for the symmetric
    // G_e = L⁻¹K_eL⁻ᵀ, and Y2_ef = w_eᵀ Φ w_f = (L⁻¹w_e)ᵀ(L⁻¹w_f). G_e is packed (upper triangle,
    // off-diagonal entries scaled by √2) so each Frobenius product is a plain dot product.
    const li = invertLowerTriangular(cholF, p);
    const packed = kMats.map((km) => packSandwich(li, km, p));
    const omega = w.map((wv) => lowerTriangularTimes(li, wv, p));
    const hessian = new Float64Array(k * k);
    const expected = new Float64Array(k * k);
    for (let e = 0; e < k; e++) {
      for (let f = 0; f <= e; f++) {
        const info = 0.5 * (t1[e * k + f] - 2 * t2[e * k + f] + dot(packed[e], packed[f]));
        const h = info - (y1[e * k + f] - dot(omega[e], omega[f]));
        expected[e * k + f] = info;
        expected[f * k + e] = info;
        hessian[e * k + f] = h;
        hessian[f * k + e] = h;
      }
    }
    return { gradient, hessian, expectedInformation: expected, k: kMats };
  }

  /**
   * Kenward–Roger adjusted covariance Φ_A = Φ + 2Φ·[Σ_ef W_ef (Q_ef − P_e Φ P_f) − ¼ Σ_e c_e K_e]·Φ,
   * with W given in σ-space (W̃ = J·W_θ·Jᵀ) and c_e = Σ_hj W_hj ∂²σ_e/∂θ_h∂θ_j (zero for linear
   * structures). Q_ef = Σ_i X_iᵀA E_e A E_f A X_i is summed as Σ_i X_iᵀ A Z_π A X_i with
   * Z_π = Σ_ef W_ef E_e A E_f, so no k² family of p×p matrices is ever formed.
   */
  kenwardRogerCovariance(state: RemlState, wSigma: Float64Array, secondOrder: Float64Array | null): Float64Array {
    const { p, k, patterns } = this;
    const pp = p * p;
    const derivatives = state.derivatives;
    if (!derivatives) throw new Error('kenwardRogerCovariance needs a state evaluated with derivatives');
    const { phi } = state;
    const adj = new Float64Array(pp);
    patterns.forEach((pattern, index) => {
      const { n, globalIndex, sxxStart, sxxIndex, sxxValue } = pattern;
      const a = state.patternInverses[index];
      const z = new Float64Array(n * n);
      // E_e A E_f = s_e s_f (A_yz e_x e_vᵀ + A_yv e_x e_zᵀ + A_xz e_y e_vᵀ + A_xv e_y e_zᵀ)
      for (let x = 0; x < n; x++) {
        for (let y = 0; y <= x; y++) {
          const se = x === y ? 0.5 : 1;
          const e = globalIndex[(x * (x + 1)) / 2 + y];
          for (let zz = 0; zz < n; zz++) {
            for (let v = 0; v <= zz; v++) {
              const sf = zz === v ? 0.5 : 1;
              const f = globalIndex[(zz * (zz + 1)) / 2 + v];
              const wv = wSigma[e * k + f] * se * sf;
              if (wv === 0) continue;
              z[x * n + v] += wv * a[y * n + zz];
              z[x * n + zz] += wv * a[y * n + v];
              z[y * n + v] += wv * a[x * n + zz];
              z[y * n + zz] += wv * a[x * n + v];
            }
          }
        }
      }
      const nMat = sandwich(a, z, n);
      for (let r = 0; r < n; r++) {
        for (let s = 0; s <= r; s++) {
          // Σ_{r,s} N_rs S_rs = Σ_{r≥s} N_rs Ssym_rs (N symmetric).
          const coef = 0.5 * (nMat[r * n + s] + nMat[s * n + r]);
          if (coef === 0) continue;
          const q = (r * (r + 1)) / 2 + s;
          for (let t = sxxStart[q]; t < sxxStart[q + 1]; t++) adj[sxxIndex[t]] += coef * sxxValue[t];
        }
      }
    });
    // − Σ_ef W_ef K_e Φ K_f
    const kMats = derivatives.k;
    for (let e = 0; e < k; e++) {
      const weighted = new Float64Array(pp);
      for (let f = 0; f < k; f++) {
        const wv = wSigma[e * k + f];
        if (wv === 0) continue;
        const kf = kMats[f];
        for (let t = 0; t < pp; t++) weighted[t] += wv * kf[t];
      }
      const term = multiplySquare(multiplySquare(kMats[e], phi, p), weighted, p);
      for (let t = 0; t < pp; t++) adj[t] -= term[t];
      if (secondOrder) {
        const ce = secondOrder[e];
        if (ce !== 0) for (let t = 0; t < pp; t++) adj[t] -= 0.25 * ce * kMats[e][t];
      }
    }
    const correction = multiplySquare(multiplySquare(phi, adj, p), phi, p);
    const out = new Float64Array(pp);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        // Symmetrise to remove rounding asymmetry.
        out[i * p + j] = phi[i * p + j] + (correction[i * p + j] + correction[j * p + i]);
      }
    }
    return out;
  }

  /**
   * Pairwise empirical covariance of ordinary-least-squares residuals, Σ̂_ab = Σ r_ia·r_ib / n_ab
   * over subjects observed at both visits — the starting value for the REML iterations.
   */
  empiricalCovariance(): Float64Array {
    const { m } = this;
    const identity = new Float64Array(m * m);
    for (let a = 0; a < m; a++) identity[a * m + a] = 1;
    const ols = this.evaluate(identity);
    const sums = new Float64Array(m * m);
    const counts = new Float64Array(m * m);
    if (ols) {
      const { rowStart, columns, values } = this.rows;
      for (const pattern of this.patterns) {
        const { n, visits } = pattern;
        const res = new Float64Array(n);
        for (const i of pattern.subjects) {
          const first = this.subjectRowOffset[i];
          for (let r = 0; r < n; r++) {
            let fit = 0;
            for (let t = rowStart[first + r]; t < rowStart[first + r + 1]; t++) fit += values[t] * ols.beta[columns[t]];
            res[r] = this.yFlat[first + r] - fit;
          }
          for (let r = 0; r < n; r++) {
            for (let s = 0; s < n; s++) {
              sums[visits[r] * m + visits[s]] += res[r] * res[s];
              counts[visits[r] * m + visits[s]] += 1;
            }
          }
        }
      }
    }
    const cov = new Float64Array(m * m);
    for (let t = 0; t < m * m; t++) cov[t] = counts[t] > 0 ? sums[t] / counts[t] : 0;
    return nearestPositiveDefinite(cov, m);
  }
}

/** Makes a covariance matrix positive definite by shrinking its correlations towards zero. */
function nearestPositiveDefinite(cov: Float64Array, m: number): Float64Array {
  const sd = new Float64Array(m);
  let meanVar = 0;
  for (let a = 0; a < m; a++) meanVar += cov[a * m + a] / m;
  if (!(meanVar > 0)) meanVar = 1;
  for (let a = 0; a < m; a++) sd[a] = Math.sqrt(cov[a * m + a] > 0 ? cov[a * m + a] : meanVar);
  for (let shrink = 1; shrink > 1e-3; shrink *= 0.9) {
    const out = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        out[a * m + b] =
          a === b
            ? sd[a] * sd[a]
            : shrink * Math.max(-1, Math.min(1, cov[a * m + b] / (sd[a] * sd[b]))) * sd[a] * sd[b];
      }
    }
    if (choleskyLower(out, m, 1e-8)) return out;
  }
  const diag = new Float64Array(m * m);
  for (let a = 0; a < m; a++) diag[a * m + a] = sd[a] * sd[a];
  return diag;
}

/**
 * Moments of one pattern: the symmetrised S_rs (sparse, one visit pair at a time through the
 * shared scratch buffer) and t_rs = Σ_i x_ir·y_is (written into `pattern.sxy`).
 */
function patternMoments(
  pattern: Omit<Pattern, 'sxxStart' | 'sxxIndex' | 'sxxValue'>,
  rows: SparseRows,
  subjectRowOffset: Int32Array,
  y: Float64Array,
  p: number,
  scratch: { values: Float64Array; touched: Uint8Array },
): Pick<Pattern, 'sxxStart' | 'sxxIndex' | 'sxxValue'> {
  const { n, sxy } = pattern;
  const { rowStart, columns: col, values: val } = rows;
  const pairs = (n * (n + 1)) / 2;
  const sxxStart = new Int32Array(pairs + 1);
  const index: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let s = 0; s <= r; s++) {
      sxxStart[(r * (r + 1)) / 2 + s] = index.length;
      const positions: number[] = [];
      for (const i of pattern.subjects) {
        const rr = subjectRowOffset[i] + r;
        const rs = subjectRowOffset[i] + s;
        for (let t = rowStart[rr]; t < rowStart[rr + 1]; t++) {
          const j = col[t];
          const xj = val[t];
          for (let u = rowStart[rs]; u < rowStart[rs + 1]; u++) {
            const prod = xj * val[u];
            // S_rs gets x_ir·x_isᵀ; for r ≠ s the symmetrised moment also gets its transpose.
            for (let mirror = 0; mirror < (r === s ? 1 : 2); mirror++) {
              const position = mirror === 0 ? j * p + col[u] : col[u] * p + j;
              if (!scratch.touched[position]) {
                scratch.touched[position] = 1;
                positions.push(position);
              }
              scratch.values[position] += prod;
            }
          }
        }
      }
      for (const position of positions) {
        if (scratch.values[position] !== 0) {
          index.push(position);
          value.push(scratch.values[position]);
        }
        scratch.values[position] = 0;
        scratch.touched[position] = 0;
      }
    }
  }
  sxxStart[pairs] = index.length;
  for (const i of pattern.subjects) {
    const first = subjectRowOffset[i];
    for (let r = 0; r < n; r++) {
      const rr = first + r;
      for (let s = 0; s < n; s++) {
        const ys = y[first + s];
        const base = (r * n + s) * p;
        for (let t = rowStart[rr]; t < rowStart[rr + 1]; t++) sxy[base + col[t]] += val[t] * ys;
      }
    }
  }
  return { sxxStart, sxxIndex: Int32Array.from(index), sxxValue: Float64Array.from(value) };
}

/** F += Σ_{r≥s} A_rs·Ssym_rs and c += Σ_{r,s} A_rs·t_rs for one pattern (F = XᵀV⁻¹X, c = XᵀV⁻¹y). */
function accumulateFixedEffectInformation(
  pattern: Pattern,
  a: Float64Array,
  p: number,
  f: Float64Array,
  c: Float64Array,
): void {
  const { n, sxy, sxxStart, sxxIndex, sxxValue } = pattern;
  for (let r = 0; r < n; r++) {
    for (let s = 0; s <= r; s++) {
      const coef = a[r * n + s];
      if (coef === 0) continue;
      const q = (r * (r + 1)) / 2 + s;
      for (let t = sxxStart[q]; t < sxxStart[q + 1]; t++) f[sxxIndex[t]] += coef * sxxValue[t];
    }
    for (let s = 0; s < n; s++) {
      const coef = a[r * n + s];
      const base = (r * n + s) * p;
      for (let j = 0; j < p; j++) c[j] += coef * sxy[base + j];
    }
  }
}

/**
 * Residual pass over one pattern's subjects: r_i = y_i − X_iβ, u_i = A·r_i, Σ r_iᵀu_i and, for
 * derivatives, U = Σ u_i·u_iᵀ and D[r][b] = Σ_i x_ir·u_ib (empty arrays otherwise).
 */
function residualPass(
  pattern: Pattern,
  a: Float64Array,
  beta: Float64Array,
  rows: SparseRows,
  subjectRowOffset: Int32Array,
  y: Float64Array,
  p: number,
  withDerivatives: boolean,
): { quad: number; uu: Float64Array; d: Float64Array } {
  const { n } = pattern;
  const { rowStart, columns, values } = rows;
  const res = new Float64Array(n);
  const u = new Float64Array(n);
  const uu = new Float64Array(withDerivatives ? n * n : 0);
  const d = new Float64Array(withDerivatives ? n * n * p : 0);
  let quad = 0;
  for (const i of pattern.subjects) {
    const first = subjectRowOffset[i];
    for (let r = 0; r < n; r++) {
      let fit = 0;
      for (let t = rowStart[first + r]; t < rowStart[first + r + 1]; t++) fit += values[t] * beta[columns[t]];
      res[r] = y[first + r] - fit;
    }
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += a[r * n + t] * res[t];
      u[r] = s;
      quad += res[r] * s;
    }
    if (!withDerivatives) continue;
    for (let r = 0; r < n; r++) for (let t = 0; t < n; t++) uu[r * n + t] += u[r] * u[t];
    for (let r = 0; r < n; r++) {
      for (let t = rowStart[first + r]; t < rowStart[first + r + 1]; t++) {
        const j = columns[t];
        const x = values[t];
        for (let b = 0; b < n; b++) d[(r * n + b) * p + j] += x * u[b];
      }
    }
  }
  return { quad, uu, d };
}

/** B_rs = Σ_i x_irᵀ·Φ·x_is = ⟨Φ, S_rs⟩ for one pattern (so that M̄ = A·B·A = Σ_i A X_i Φ X_iᵀ A). */
function patternPhiMoments(pattern: Pattern, phi: Float64Array): Float64Array {
  const { n, sxxStart, sxxIndex, sxxValue } = pattern;
  const b = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let s = 0; s <= r; s++) {
      const q = (r * (r + 1)) / 2 + s;
      let sum = 0;
      for (let t = sxxStart[q]; t < sxxStart[q + 1]; t++) sum += phi[sxxIndex[t]] * sxxValue[t];
      const v = r === s ? sum : 0.5 * sum;
      b[r * n + s] = v;
      b[s * n + r] = v;
    }
  }
  return b;
}

/** ∂ℓ/∂σ_e += (2 − δ_ab)·½·(−count·A_ab + M̄_ab + U_ab) over the pattern's visit pairs. */
function accumulateGradient(
  pattern: Pattern,
  a: Float64Array,
  mBar: Float64Array,
  uu: Float64Array,
  gradient: Float64Array,
): void {
  const { n, globalIndex } = pattern;
  const count = pattern.subjects.length;
  for (let x = 0; x < n; x++) {
    for (let y = 0; y <= x; y++) {
      const g = 0.5 * (-count * a[x * n + y] + mBar[x * n + y] + uu[x * n + y]);
      gradient[globalIndex[(x * (x + 1)) / 2 + y]] += x === y ? g : 2 * g;
    }
  }
}

/**
 * Four-index terms over local pairs e = (x, y), f = (z, v):
 *   tr(A E_e A E_f)   = 2 s_e s_f (A_xz A_yv + A_xv A_yz)                        (T1, per subject)
 *   tr(A E_e M̄ E_f)   = s_e s_f (A_vx M_yz + A_zx M_yv + A_vy M_xz + A_zy M_xv)          (T2)
 *   (E_e u)ᵀA(E_f u)  = s_e s_f (U_yv A_xz + U_yz A_xv + U_xv A_yz + U_xz A_yv)          (Y1)
 * Each is symmetric in e ↔ f, and local pair order is monotone in the global order, so only f ≤ e
 * is computed (the lower triangle of the k×k arrays).
 */
function accumulateFourIndexTerms(
  pattern: Pattern,
  a: Float64Array,
  mBar: Float64Array,
  uu: Float64Array,
  k: number,
  t1: Float64Array,
  t2: Float64Array,
  y1: Float64Array,
): void {
  const { n, globalIndex } = pattern;
  const count = pattern.subjects.length;
  for (let x = 0; x < n; x++) {
    for (let y = 0; y <= x; y++) {
      const se = x === y ? 0.5 : 1;
      const e = globalIndex[(x * (x + 1)) / 2 + y];
      const xRow = x * n;
      const yRow = y * n;
      for (let z = 0; z <= x; z++) {
        const vMax = z === x ? y : z;
        for (let v = 0; v <= vMax; v++) {
          const s = se * (z === v ? 0.5 : 1);
          const ef = e * k + globalIndex[(z * (z + 1)) / 2 + v];
          const axz = a[xRow + z];
          const ayv = a[yRow + v];
          const axv = a[xRow + v];
          const ayz = a[yRow + z];
          t1[ef] += count * 2 * s * (axz * ayv + axv * ayz);
          t2[ef] += s * (axv * mBar[yRow + z] + axz * mBar[yRow + v] + ayv * mBar[xRow + z] + ayz * mBar[xRow + v]);
          y1[ef] += s * (uu[yRow + v] * axz + uu[yRow + z] * axv + uu[xRow + v] * ayz + uu[xRow + z] * ayv);
        }
      }
    }
  }
}

/** w_e = XᵀV⁻¹V_e·u += s_e Σ_r (A_xr D_ry + A_yr D_rx) over the pattern's visit pairs e = (x, y). */
function accumulateScoreMoments(
  pattern: Pattern,
  a: Float64Array,
  d: Float64Array,
  p: number,
  w: Float64Array[],
): void {
  const { n, globalIndex } = pattern;
  for (let x = 0; x < n; x++) {
    for (let y = 0; y <= x; y++) {
      const se = x === y ? 0.5 : 1;
      const wt = w[globalIndex[(x * (x + 1)) / 2 + y]];
      for (let r = 0; r < n; r++) {
        const axr = se * a[x * n + r];
        const ayr = se * a[y * n + r];
        const bxy = (r * n + y) * p;
        const byx = (r * n + x) * p;
        for (let j = 0; j < p; j++) wt[j] += axr * d[bxy + j] + ayr * d[byx + j];
      }
    }
  }
}

/**
 * K_e = XᵀV⁻¹V_eV⁻¹X += s_e Σ_{r,s} A_xr A_ys (S_rs + S_sr): for r = s the coefficient of S_rr is
 * 2·A_xr·A_yr, for r > s that of Ssym_rs is A_xr·A_ys + A_xs·A_yr.
 */
function accumulateK(pattern: Pattern, a: Float64Array, kMats: Float64Array[]): void {
  const { n, globalIndex, sxxStart, sxxIndex, sxxValue } = pattern;
  const pairs = (n * (n + 1)) / 2;
  const coef = new Float64Array(pairs);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y <= x; y++) {
      const se = x === y ? 0.5 : 1;
      for (let r = 0; r < n; r++) {
        coef[(r * (r + 1)) / 2 + r] = 2 * se * a[x * n + r] * a[y * n + r];
        for (let s = 0; s < r; s++) {
          coef[(r * (r + 1)) / 2 + s] = se * (a[x * n + r] * a[y * n + s] + a[x * n + s] * a[y * n + r]);
        }
      }
      const target = kMats[globalIndex[(x * (x + 1)) / 2 + y]];
      for (let q = 0; q < pairs; q++) {
        const cq = coef[q];
        if (cq === 0) continue;
        for (let t = sxxStart[q]; t < sxxStart[q + 1]; t++) target[sxxIndex[t]] += cq * sxxValue[t];
      }
    }
  }
}

/** L·x for a lower-triangular p×p L. */
function lowerTriangularTimes(l: Float64Array, x: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j <= i; j++) s += l[i * p + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Dot product of two equal-length vectors. */
function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Upper triangle of G = Li·K·Liᵀ (Li lower triangular, K symmetric), packed row by row with the
 * off-diagonal entries multiplied by √2, so that ⟨G₁, G₂⟩_F is the dot product of the packings.
 */
function packSandwich(li: Float64Array, kMat: Float64Array, p: number): Float64Array {
  // M = Li·K (row i of Li has nonzeros in columns 0…i).
  const m = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let t = 0; t <= i; t++) {
      const lit = li[i * p + t];
      if (lit === 0) continue;
      for (let j = 0; j < p; j++) m[i * p + j] += lit * kMat[t * p + j];
    }
  }
  const out = new Float64Array((p * (p + 1)) / 2);
  let index = 0;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      // G_ij = Σ_{t ≤ j} M_it·Li_jt
      let s = 0;
      for (let t = 0; t <= j; t++) s += m[i * p + t] * li[j * p + t];
      out[index++] = i === j ? s : Math.SQRT2 * s;
    }
  }
  return out;
}

/** A·B·A for symmetric n×n A and B. */
function sandwich(a: Float64Array, b: Float64Array, n: number): Float64Array {
  return multiplySquare(multiplySquare(a, b, n), a, n);
}

/** Product of two n×n row-major matrices. */
function multiplySquare(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < n; t++) {
      const ait = a[i * n + t];
      if (ait === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += ait * b[t * n + j];
    }
  }
  return out;
}
