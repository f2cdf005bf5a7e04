// The plugins Gauntlet ships with. Adding a scenario is a new folder here and one line below;
// nothing in core/ changes (docs/creating-plugins.md walks through it).
import type { Plugin } from "../core/plugins/registry.ts";
import { Registry } from "../core/plugins/registry.ts";
import decisionFlood from "./decision-flood/index.ts";
import externalTarget from "./external-target/index.ts";
import flashCrash from "./flash-crash/index.ts";
import integrity from "./integrity/index.ts";
import orderBurst from "./order-burst/index.ts";
import sandbox from "./sandbox/index.ts";

export const BUILTIN_PLUGINS: Plugin[] = [sandbox, externalTarget, decisionFlood, integrity, orderBurst, flashCrash];

export function builtinRegistry(configs: Record<string, unknown> = {}): Registry {
  return new Registry().register(BUILTIN_PLUGINS, configs);
}
