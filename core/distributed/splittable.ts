// Which loads can be split across k6 instances: a scenario with gates judged from k6's output
// alone (judgeLoad). The drills' faults and the crash's replay are orchestrated next to one load.
import { GauntletError } from "../errors.ts";
import type { Registry } from "../plugins/registry.ts";

export function requireSplittable(registry: Registry, name: string): void {
  const { scenario } = registry.scenario(name);
  if (scenario.judgeLoad) return;
  const splittable = [...registry.scenarios.values()].filter((entry) => entry.scenario.judgeLoad).map((entry) => entry.scenario.name);
  throw new GauntletError("GAUNTLET_USAGE", `${name} cannot be split across k6 instances: its faults or replay are orchestrated next to one load; loads that can: ${splittable.join(", ")}`);
}
