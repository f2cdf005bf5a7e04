// Progress during the drive phase: one line every few seconds (CI logs stay readable), and the
// rolling-P99 alert (P99 > 20 ms over the last 10 s) in the event log and on :8000.
import type { RunDigest } from "../analysis/run-digest.ts";
import { formatNumber } from "../gates/gate.ts";
import { log } from "../log.ts";
import type { SamplerName } from "../samplers/target-samplers.ts";
import type { PollingSampler } from "../samplers/polling-sampler.ts";
import type { EventLog } from "../events/event-log.ts";
import type { LiveMetrics } from "../events/live-metrics.ts";

export const ALERT_P99_MS = 20;

export class DriveProgress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private alerting = false;

  constructor(
    private readonly digest: () => RunDigest,
    private readonly samplers: Map<SamplerName, PollingSampler>,
    /** Undefined when the scenario has no fixed duration (a burst). */
    private readonly plannedSeconds: number | undefined,
    private readonly live: LiveMetrics,
    private readonly events: EventLog,
    private readonly status: () => string = () => "",
    private readonly everyMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
  }

  private last(name: SamplerName): number | undefined {
    const series = this.samplers.get(name)?.series;
    return series && series.v.length ? series.v[series.v.length - 1] : undefined;
  }

  private tick(): void {
    const digest = this.digest();
    const p99 = digest.recentP99Ms(10);
    if (!Number.isNaN(p99)) this.live.rollingP99.set(p99 / 1000);
    // Hysteresis: fire above 20 ms, resolve only below 18 ms, so a P99 hovering at the line does
    // not flap the alert every second.
    const alert = this.alerting ? !(p99 < ALERT_P99_MS * 0.9) : p99 > ALERT_P99_MS;
    if (alert !== this.alerting) {
      this.alerting = alert;
      this.live.alert.set({ alert: "decision_latency_p99_over_20ms" }, alert ? 1 : 0);
      this.events.emit(alert ? "alert.firing" : "alert.resolved", { alert: "decision_latency_p99_over_20ms", p99Ms: p99 });
      if (alert) log.warn(`ALERT decision latency P99 over the last 10 s is ${formatNumber(p99)} ms (> ${ALERT_P99_MS} ms)`);
    }
    const elapsed = Math.round((Date.now() - this.started) / 1000);
    if ((elapsed * 1000) % this.everyMs !== 0) return;
    const parts = [
      `[${String(elapsed).padStart(4)}s${this.plannedSeconds === undefined ? "" : `/${this.plannedSeconds}s`}]`,
      `decisions ${formatNumber(digest.requests)}`,
      `p99(10s) ${Number.isNaN(p99) ? "—" : `${formatNumber(p99)} ms`}`,
      `errors ${formatNumber(digest.failed)}`,
      `dropped ${formatNumber(digest.dropped)}`,
    ];
    const backlog = this.last("redis-backlog");
    if (backlog !== undefined) parts.push(`backlog ${formatNumber(backlog)}`);
    const rss = this.last("target-rss");
    if (rss !== undefined) parts.push(`rss ${formatNumber(rss / 2 ** 20)} MiB`);
    const pause = this.last("pause-flag");
    if (pause !== undefined) parts.push(`paused ${pause ? "yes" : "no"}`);
    const status = this.status();
    if (status) parts.push(status);
    log.info(parts.join(" · "));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
