// Loading the plan inside k6: a JSON file named by GAUNTLET_PLAN (written by the orchestrator),
// else the script's defaults, with a few -e overrides for people running `k6 run` by hand.

export function loadPlan<T extends { targetUrl: string; rate: number; durationSeconds: number; warmupSeconds?: number }>(defaults: T): T {
  const file = __ENV.GAUNTLET_PLAN;
  const plan: T = file ? (JSON.parse(open(file)) as T) : { ...defaults };
  if (__ENV.TARGET) plan.targetUrl = __ENV.TARGET;
  if (__ENV.RATE) plan.rate = Number(__ENV.RATE);
  if (__ENV.DURATION) plan.durationSeconds = Number(__ENV.DURATION);
  if (__ENV.WARMUP && plan.warmupSeconds !== undefined) plan.warmupSeconds = Number(__ENV.WARMUP);
  return plan;
}
