// Everything the gates need from k6's samples, accumulated in one pass in bounded memory:
// an overall latency histogram, time windows (each with its own small histogram, error and drop
// counts) whose width doubles whenever there are too many — so a 10-hour run costs the same memory
// as a 10-minute one — and bitsets of the decision ids k6 saw answered.
import * as hdr from "hdr-histogram-js";
import type { K6Point } from "./k6-output.ts";
import { ANSWER_CHECK_FAILED_METRIC, ORDERS_ANSWERED_METRIC } from "../../protocol/decision-samples.ts";
import { DecisionIdSet, parseDecisionId, type DecisionIdSetTransfer, type ParsedDecisionId } from "./decision-ids.ts";
import { LatencyHistogram, type LatencyHistogramTransfer } from "./latency-histogram.ts";

export const DIGEST_METRICS = new Set(["http_req_duration", "http_req_failed", "dropped_iterations", ANSWER_CHECK_FAILED_METRIC, ORDERS_ANSWERED_METRIC]);

/**
 * Metrics whose samples change nothing in a digest when their value is 0: `add` counts only the
 * failures of http_req_failed. k6 writes one per request, so on a correct run they are half the
 * lines a reader would decode; it may skip them unread (see wantedLines).
 */
export const NOTHING_WHEN_ZERO = new Set(["http_req_failed"]);

const MAX_WINDOWS = 128;

/** Per-window histograms are coarser (2 significant digits, 1%): they feed charts and window comparisons. */
function windowHistogram(): hdr.Histogram {
  return hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2, useWebAssembly: false });
}

export interface Window {
  startMs: number;
  requests: number;
  failed: number;
  dropped: number;
  histogram: hdr.Histogram;
}

export interface WindowSummary {
  /** Seconds since the first sample. */
  t: number;
  seconds: number;
  requests: number;
  failed: number;
  dropped: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface RunDigestTransfer {
  scenario: string;
  latency: LatencyHistogramTransfer;
  counts: { requests: number; failed: number; dropped: number; checksFailed: number };
  firstMs: number;
  lastMs: number;
  windowMs: number;
  windows: Array<{ requests: number; failed: number; dropped: number; histogram: string }>;
  scenarioIds: DecisionIdSetTransfer;
  answered: DecisionIdSetTransfer;
  requestsByScenario: Array<[string, number]>;
  orders: Array<[string, { decisionId: string; atMs: number }]>;
}

export class RunDigest {
  readonly latency = new LatencyHistogram();
  requests = 0;
  failed = 0;
  dropped = 0;
  /** Decisions whose answer failed the check: a sample each, none for the answers that passed. */
  checksFailed = 0;
  firstMs = Number.NaN;
  lastMs = Number.NaN;
  windowMs = 1000;
  readonly windows: Window[] = [];
  /** Decision ids k6 measured in the judged scenario. */
  readonly scenarioIds = new DecisionIdSet();
  /** Decision ids answered with a 2xx in any scenario (warm-up included): the integrity join's input. */
  readonly answered = new DecisionIdSet();
  /** Requests per k6 scenario in the file, whichever is judged: says what a file holds when the wrong one was asked for. */
  readonly requestsByScenario = new Map<string, number>();
  /** Every order id a governor answered with (any scenario): its decision and when k6 saw the answer. */
  readonly orders = new Map<string, { decisionId: string; atMs: number }>();
  /** Live listeners (Gauntlet's :8000 metrics). */
  onLatency: ((ms: number) => void) | undefined;
  onFailure: (() => void) | undefined;
  onDropped: ((count: number) => void) | undefined;

  /**
   * @param scenario only samples tagged with this k6 scenario count (setup/teardown do not).
   * @param originMs where window 0 starts (default: the first sample). Instances merged into one
   *   digest share the earliest first sample of them all, so every sample lands in its own second.
   */
  constructor(
    readonly scenario: string,
    originMs = Number.NaN,
  ) {
    this.firstMs = originMs;
  }

  add(point: K6Point): void {
    if (point.metric === "dropped_iterations") {
      // Dropped iterations never started, so they carry the scenario but no request.
      if (point.scenario && point.scenario !== this.scenario) return;
      this.dropped += point.value;
      this.window(point.timeMs).dropped += point.value;
      this.onDropped?.(point.value);
      return;
    }
    // A request's id goes to both sets: parsed once.
    let id: ParsedDecisionId | undefined;
    if (point.metric === "http_req_duration") {
      this.requestsByScenario.set(point.scenario, (this.requestsByScenario.get(point.scenario) ?? 0) + 1);
      if (point.decisionId) id = parseDecisionId(point.decisionId);
      if (point.decisionId && point.status.startsWith("2")) this.answered.addParsed(id);
    }
    if (point.orderId) this.orders.set(point.orderId, { decisionId: point.decisionId, atMs: point.timeMs });
    if (point.scenario !== this.scenario) return;
    switch (point.metric) {
      case "http_req_duration": {
        this.requests++;
        this.latency.record(point.value);
        const window = this.window(point.timeMs);
        window.requests++;
        window.histogram.recordValue(Math.max(1, Math.round(point.value * 1000)));
        if (point.decisionId) this.scenarioIds.addParsed(id);
        this.onLatency?.(point.value);
        break;
      }
      case "http_req_failed":
        if (point.value !== 0) {
          this.failed++;
          this.window(point.timeMs).failed++;
          this.onFailure?.();
        }
        break;
      case ANSWER_CHECK_FAILED_METRIC:
        this.checksFailed += point.value;
        break;
    }
  }

  private window(timeMs: number): Window {
    if (Number.isNaN(this.firstMs)) this.firstMs = timeMs;
    if (!(timeMs <= this.lastMs)) this.lastMs = timeMs;
    const index = Math.max(0, Math.floor((timeMs - this.firstMs) / this.windowMs));
    if (index >= MAX_WINDOWS) {
      this.mergePairs();
      return this.window(timeMs);
    }
    while (this.windows.length <= index) {
      this.windows.push({ startMs: this.firstMs + this.windows.length * this.windowMs, requests: 0, failed: 0, dropped: 0, histogram: windowHistogram() });
    }
    return this.windows[index]!;
  }

  /** Halve the number of windows by merging neighbours; the width doubles. */
  private mergePairs(): void {
    const merged: Window[] = [];
    for (let i = 0; i < this.windows.length; i += 2) {
      const a = this.windows[i]!;
      const b = this.windows[i + 1];
      if (b) {
        a.requests += b.requests;
        a.failed += b.failed;
        a.dropped += b.dropped;
        a.histogram.add(b.histogram);
      }
      merged.push(a);
    }
    this.windows.length = 0;
    this.windows.push(...merged);
    this.windowMs *= 2;
  }

  /**
   * Add another digest of the same scenario and origin (a byte range of the same file, read by
   * another thread): the result is the digest one pass over both would have built. Windows are
   * brought to the wider of the two widths first; on one origin their boundaries then coincide.
   */
  merge(other: RunDigest): void {
    if (other.scenario !== this.scenario) throw new Error(`cannot merge digests of k6 scenarios "${this.scenario}" and "${other.scenario}"`);
    if (!Number.isNaN(other.firstMs) && !Number.isNaN(this.firstMs) && other.firstMs !== this.firstMs) throw new Error("cannot merge digests with different origins");
    if (Number.isNaN(this.firstMs)) this.firstMs = other.firstMs;
    if (!(other.lastMs <= this.lastMs)) this.lastMs = other.lastMs;
    this.latency.add(other.latency);
    this.requests += other.requests;
    this.failed += other.failed;
    this.dropped += other.dropped;
    this.checksFailed += other.checksFailed;
    while (this.windowMs < other.windowMs) this.mergePairs();
    while (other.windowMs < this.windowMs) other.mergePairs();
    other.windows.forEach((window, i) => {
      while (this.windows.length <= i) this.windows.push({ startMs: this.firstMs + this.windows.length * this.windowMs, requests: 0, failed: 0, dropped: 0, histogram: windowHistogram() });
      const mine = this.windows[i]!;
      mine.requests += window.requests;
      mine.failed += window.failed;
      mine.dropped += window.dropped;
      mine.histogram.add(window.histogram);
    });
    this.scenarioIds.addAll(other.scenarioIds.toTransfer());
    this.answered.addAll(other.answered.toTransfer());
    for (const [name, count] of other.requestsByScenario) this.requestsByScenario.set(name, (this.requestsByScenario.get(name) ?? 0) + count);
    for (const [orderId, order] of other.orders) this.orders.set(orderId, order);
  }

  /** A plain copy another thread can receive (structured clone keeps no classes). */
  toTransfer(): RunDigestTransfer {
    return {
      scenario: this.scenario,
      latency: this.latency.toTransfer(),
      counts: { requests: this.requests, failed: this.failed, dropped: this.dropped, checksFailed: this.checksFailed },
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      windowMs: this.windowMs,
      windows: this.windows.map((w) => ({ requests: w.requests, failed: w.failed, dropped: w.dropped, histogram: hdr.encodeIntoCompressedBase64(w.histogram) })),
      scenarioIds: this.scenarioIds.toTransfer(),
      answered: this.answered.toTransfer(),
      requestsByScenario: [...this.requestsByScenario],
      orders: [...this.orders],
    };
  }

  static fromTransfer(t: RunDigestTransfer): RunDigest {
    const digest = new RunDigest(t.scenario, t.firstMs);
    digest.latency.add(LatencyHistogram.fromTransfer(t.latency));
    Object.assign(digest, t.counts);
    digest.lastMs = t.lastMs;
    digest.windowMs = t.windowMs;
    t.windows.forEach((w, i) => {
      const histogram = windowHistogram();
      histogram.add(hdr.decodeFromCompressedBase64(w.histogram, 32, false));
      digest.windows.push({ startMs: t.firstMs + i * t.windowMs, requests: w.requests, failed: w.failed, dropped: w.dropped, histogram });
    });
    digest.scenarioIds.addAll(t.scenarioIds);
    digest.answered.addAll(t.answered);
    for (const [name, count] of t.requestsByScenario) digest.requestsByScenario.set(name, count);
    for (const [orderId, order] of t.orders) digest.orders.set(orderId, order);
    return digest;
  }

  /** Whether k6 measured decision `id` of the judged scenario. */
  hasDecision(id: string | number): boolean {
    return this.scenarioIds.has(String(id));
  }

  decisionIdsSeen(): number {
    return this.scenarioIds.size;
  }

  get durationSeconds(): number {
    return Number.isNaN(this.firstMs) ? 0 : (this.lastMs - this.firstMs) / 1000;
  }

  /** Latency histogram over [fromS, toS) seconds since the first sample, merged from windows. */
  histogramBetween(fromS: number, toS: number): hdr.Histogram {
    const result = windowHistogram();
    for (const window of this.windows) {
      const t = (window.startMs - this.firstMs) / 1000;
      if (t >= fromS - 1e-9 && t + this.windowMs / 1000 <= toS + 1e-9) result.add(window.histogram);
    }
    return result;
  }

  /** P99 over the windows that start in the last `seconds` (live view). */
  recentP99Ms(seconds: number): number {
    const recent = windowHistogram();
    for (const window of this.windows) if (window.startMs >= this.lastMs - seconds * 1000) recent.add(window.histogram);
    return recent.totalCount === 0 ? Number.NaN : recent.getValueAtPercentile(99) / 1000;
  }

  windowSummaries(): WindowSummary[] {
    return this.windows.map((window) => ({
      t: (window.startMs - this.firstMs) / 1000,
      seconds: this.windowMs / 1000,
      requests: window.requests,
      failed: window.failed,
      dropped: window.dropped,
      p50Ms: window.requests ? window.histogram.getValueAtPercentile(50) / 1000 : Number.NaN,
      p95Ms: window.requests ? window.histogram.getValueAtPercentile(95) / 1000 : Number.NaN,
      p99Ms: window.requests ? window.histogram.getValueAtPercentile(99) / 1000 : Number.NaN,
    }));
  }
}
