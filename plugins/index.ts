// The plugins Gauntlet ships with. Adding a scenario is a new folder here and one line below;
// nothing in core/ changes (docs/creating-plugins.md walks through it).
import type { Plugin } from "../core/plugins/registry.ts";
import { Registry } from "../core/plugins/registry.ts";
import decisionFlood from "./decision-flood/index.ts";
import externalTarget from "./external-target/index.ts";
import brokerFailure from "./broker-failure/index.ts";
import flashCrash from "./flash-crash/index.ts";
import gameday from "./gameday/index.ts";
import hardKill from "./hard-kill/index.ts";
import integrity from "./integrity/index.ts";
import orderBurst from "./order-burst/index.ts";
import sandbox from "./sandbox/index.ts";
import stateFaults from "./state-faults/index.ts";

export const BUILTIN_PLUGINS: Plugin[] = [sandbox, externalTarget, decisionFlood, integrity, orderBurst, flashCrash, brokerFailure, hardKill, stateFaults, gameday];

export function builtinRegistry(configs: Record<string, unknown> = {}): Registry {
  return new Registry().register(BUILTIN_PLUGINS, configs);
}
