// The plugins Gauntlet ships with. Adding a scenario is a new folder here and one line below;
// nothing in core/ changes (docs/creating-plugins.md walks through it).
import type { Plugin } from "../core/index.ts";
import brokerFailure from "./broker-failure/index.ts";
import decisionFlood from "./decision-flood/index.ts";
import externalTarget from "./external-target/index.ts";
import flashCrash from "./flash-crash/index.ts";
import gameday from "./gameday/index.ts";
import hardKill from "./hard-kill/index.ts";
import integrity from "./integrity/index.ts";
import limitProbes from "./limit-probes/index.ts";
import limitProperty from "./limit-property/index.ts";
import orderBurst from "./order-burst/index.ts";
import sandbox from "./sandbox/index.ts";
import stateFaults from "./state-faults/index.ts";
import venueFaults from "./venue-faults/index.ts";

// In this order the self-test runs them: the order burst first (see CORE_SUITE in core/certify).
export const BUILTIN_PLUGINS: Plugin[] = [sandbox, externalTarget, integrity, orderBurst, decisionFlood, flashCrash, brokerFailure, hardKill, stateFaults, venueFaults, limitProbes, limitProperty, gameday];
