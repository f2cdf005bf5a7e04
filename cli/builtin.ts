// The composition root's parts list: the plugins and report writers Gauntlet ships, wired into a
// registry. Everything above core that a command needs comes together here.
import { Registry } from "../core/plugins/registry.ts";
import { BUILTIN_PLUGINS } from "../plugins/index.ts";

export { REPORTERS } from "../reports/index.ts";
export { BUILTIN_PLUGINS };

export function builtinRegistry(configs: Record<string, unknown> = {}, extra: readonly (typeof BUILTIN_PLUGINS)[number][] = []): Registry {
  return new Registry().register([...BUILTIN_PLUGINS, ...extra], configs);
}
