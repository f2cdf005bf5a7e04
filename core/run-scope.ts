// What belongs to one run while several share a process: the self-test drives rows side by side
// (core/selftest/selftest.ts), each on its own services, and each run's log lines and child
// processes must stay its own. Node's AsyncLocalStorage follows a run through every await, so a
// line logged or a process started anywhere under runScenario lands in that run's scope.
// A leaf module: it imports nothing of Gauntlet's.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RunScope {
  /** The run's gauntlet.log, once its folder exists. */
  logFile?: string;
  /** Put before every terminal line of the run: which self-test lane it belongs to. */
  logPrefix?: string;
  /** Processes started under this scope (its safety net stops them, and nothing else). */
  readonly processes: Set<{ stop(graceMs?: number): Promise<void> }>;
}

const storage = new AsyncLocalStorage<RunScope>();

export function currentRunScope(): RunScope | undefined {
  return storage.getStore();
}

/** Run `work` in a scope of its own; it keeps the enclosing scope's log prefix. */
export function withRunScope<T>(work: (scope: RunScope) => Promise<T>, options: { logPrefix?: string } = {}): Promise<T> {
  const logPrefix = options.logPrefix ?? storage.getStore()?.logPrefix;
  const scope: RunScope = { processes: new Set(), ...(logPrefix ? { logPrefix } : {}) };
  return storage.run(scope, () => work(scope));
}
