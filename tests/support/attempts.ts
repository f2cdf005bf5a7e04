// A check whose outcome a busy host can move (a latency threshold on a 2-core VM) gets up to three
// attempts, as a self-test row does (core/selftest/selftest.ts). Only the named, timing-only reason
// earns another attempt; every earlier attempt is printed, so a CI log shows what was retried.

/** Run `attempt` until `timingOnly` finds nothing to blame on timing, at most `max` times. */
export async function withTimingRetries<T>(what: string, attempt: () => Promise<T>, timingOnly: (outcome: T) => string | undefined, max = 3): Promise<T> {
  let outcome = await attempt();
  for (let tries = 1; tries < max; tries++) {
    const reason = timingOnly(outcome);
    if (reason === undefined) break;
    process.stdout.write(`  [retry] ${what}: attempt ${tries} failed on timing alone (${reason}); running it again\n`);
    outcome = await attempt();
  }
  return outcome;
}
