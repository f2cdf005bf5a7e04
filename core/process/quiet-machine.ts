// Before a run whose verdict hangs on latency, let the machine settle: what the previous runs left
// behind (dirty pages of their k6 outputs, PostgreSQL clusters shutting down, a browser closing)
// otherwise lands in the middle of the measured flood. On this 2-core VM a correct governor's 60 s
// flood read P99 17.8 ms right after the suite's earlier tests, and 9–12 ms on the idle machine.
import { busyShare, readCpuTimes } from "./cpu-times.ts";
import { runCommand, sleep } from "./child-process.ts";

export interface MachineQuiet {
  /** Share of CPU time idle over the last window before the run (0–1); undefined off Linux. */
  idleShare: number | undefined;
  /** How long the wait took, flushing included. */
  waitedMs: number;
  /** False when the machine was still busy when the wait gave up: the run goes ahead all the same. */
  settled: boolean;
}

/**
 * Flush dirty pages (sync), then wait until one `windowMs` window is at least `idleShare` idle,
 * for at most `maxWaitMs`. Never fails: a machine that stays busy is reported, not refused.
 */
export async function waitForQuietMachine(options: { idleShare?: number; windowMs?: number; maxWaitMs?: number } = {}): Promise<MachineQuiet> {
  const { idleShare = 0.85, windowMs = 1000, maxWaitMs = 30_000 } = options;
  const started = Date.now();
  await runCommand("sync", [], { timeoutMs: maxWaitMs }).catch(() => undefined);
  let idle: number | undefined;
  while (true) {
    const before = readCpuTimes();
    await sleep(windowMs);
    const after = readCpuTimes();
    if (!before || !after) return { idleShare: undefined, waitedMs: Date.now() - started, settled: true };
    idle = 1 - busyShare(before, after);
    if (idle >= idleShare) return { idleShare: idle, waitedMs: Date.now() - started, settled: true };
    if (Date.now() - started >= maxWaitMs) return { idleShare: idle, waitedMs: Date.now() - started, settled: false };
  }
}
