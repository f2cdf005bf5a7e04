// The plan: the one JSON value the Node side hands to a k6 script. The Node side builds it from
// validated config (zod); the k6 side trusts it and imports these types only (`import type`), so
// nothing from Node ever reaches k6's VM.

/** Gate thresholds k6 can judge on its own (so a plain `k6 run` exits 99 when they fail). */
export interface K6Thresholds {
  p99Ms: number;
  p95Ms: number;
  meanMs: number;
  /** Fraction, e.g. 0.01 for 1%. */
  maxErrorRate: number;
  maxDroppedIterations: number;
}

export interface FloodPlan {
  scenario: "decision-flood";
  runId: string;
  targetUrl: string;
  symbol: string;
  /** Decisions per second (constant-arrival-rate: the open model). */
  rate: number;
  durationSeconds: number;
  /**
   * A ramp from 10% to 100% of the rate before the measured flood (its own k6 scenario, "warmup",
   * whose samples no gate reads): JIT compilation, connection pools and heap sizing settle first.
   */
  warmupSeconds: number;
  preAllocatedVUs: number;
  maxVUs: number;
  requestTimeoutMs: number;
  thresholds: K6Thresholds;
}

/** What `k6 run dist/k6/flood.js` uses without Gauntlet: the sandbox started by `gauntlet sandbox up`. */
export const DEFAULT_FLOOD_PLAN: FloodPlan = {
  scenario: "decision-flood",
  runId: "standalone",
  targetUrl: "http://127.0.0.1:7300",
  symbol: "AAPL",
  rate: 1000,
  durationSeconds: 60,
  warmupSeconds: 10,
  preAllocatedVUs: 100,
  maxVUs: 500,
  requestTimeoutMs: 2000,
  thresholds: { p99Ms: 15, p95Ms: 10, meanMs: 5, maxErrorRate: 0.01, maxDroppedIterations: 60 },
};

export interface OrderBurstPlan {
  scenario: "order-burst";
  runId: string;
  targetUrl: string;
  symbol: string;
  /** Position changes to send. */
  decisions: number;
  /** Decisions in flight at once (k6 VUs sharing the iterations). */
  concurrency: number;
  requestTimeoutMs: number;
}

export const DEFAULT_ORDER_BURST_PLAN: OrderBurstPlan = {
  scenario: "order-burst",
  runId: "standalone",
  targetUrl: "http://127.0.0.1:7300",
  symbol: "AAPL",
  decisions: 50,
  concurrency: 8,
  requestTimeoutMs: 2000,
};

export interface FlashCrashPlan {
  scenario: "flash-crash";
  runId: string;
  targetUrl: string;
  /** The venue simulator's admin API: setup() starts the replay clock there. */
  venueAdminUrl: string;
  symbol: string;
  /** Decisions per second in every phase (open model). */
  rate: number;
  /** Phases, in seconds: build a long position, the crash window, after the crash. */
  buildSeconds: number;
  crashSeconds: number;
  recoverySeconds: number;
  preAllocatedVUs: number;
  maxVUs: number;
  requestTimeoutMs: number;
  thresholds: { p99Ms: number };
}

export const DEFAULT_FLASH_CRASH_PLAN: FlashCrashPlan = {
  scenario: "flash-crash",
  runId: "standalone",
  targetUrl: "http://127.0.0.1:7300",
  venueAdminUrl: "http://127.0.0.1:7301",
  symbol: "AAPL",
  rate: 100,
  buildSeconds: 20,
  crashSeconds: 30,
  recoverySeconds: 20,
  preAllocatedVUs: 20,
  maxVUs: 200,
  requestTimeoutMs: 2000,
  thresholds: { p99Ms: 15 },
};

/** Steady decisions at a fixed rate with a repeating action pattern: load under which faults are played. */
export interface SteadyPlan {
  scenario: string;
  runId: string;
  targetUrl: string;
  symbol: string;
  rate: number;
  durationSeconds: number;
  /** Proposed actions, cycled (0 sell hard … 4 buy hard). */
  actions: number[];
  preAllocatedVUs: number;
  maxVUs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_STEADY_PLAN: SteadyPlan = {
  scenario: "steady",
  runId: "standalone",
  targetUrl: "http://127.0.0.1:7300",
  symbol: "AAPL",
  rate: 50,
  durationSeconds: 60,
  actions: [4, 0, 3, 1, 4, 1, 0, 3],
  preAllocatedVUs: 20,
  maxVUs: 200,
  requestTimeoutMs: 2000,
};
