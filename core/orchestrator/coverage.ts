// Which gates a target's runs will judge, and which do not apply to it — from what it declares
// (capabilities) and which paths it has (proxies), before anything runs. `gauntlet doctor
// --target` prints it; a run says the same for each gate it marks "not applicable".
import { loadProfile, resolveProfile } from "../faults/profile-files.ts";
import { FAULT_PROXIES } from "../faults/profile-schema.ts";
import type { GateCoverage } from "../plugins/contracts.ts";
import type { Registry } from "../plugins/registry.ts";
import { CAPABILITY_HELP, type Capabilities, type CapabilityName } from "../target/capabilities.ts";

export interface CoverageRow {
  /** The scenario, or "after every scenario" for a check's gates. */
  scenario: string;
  gate: string;
  judged: boolean;
  /** Why a gate does not apply, and what the target would add to cover it. */
  why?: string;
  add?: string;
}

function gateRow(scenario: string, gate: GateCoverage, capabilities: Capabilities): CoverageRow {
  const needs = gate.requires ?? [];
  if (needs.length === 0 || needs.some((name) => capabilities[name] !== undefined)) return { scenario, gate: gate.id, judged: true };
  return {
    scenario,
    gate: gate.id,
    judged: false,
    why: `needs ${needs.join(" or ")}`,
    add: needs.map((name: CapabilityName) => CAPABILITY_HELP[name]).join("; or "),
  };
}

/** The proxies a scenario's fault profiles name (its default profile's). */
export function proxiesNeeded(registry: Registry, scenario: string): string[] {
  const { scenario: definition } = registry.scenario(scenario);
  const names = definition.faultProfiles?.(definition.defaultProfile) ?? [];
  const all = [...new Set<string>([...FAULT_PROXIES])] as [string, ...string[]];
  return [...new Set(names.flatMap((name) => loadProfile(resolveProfile(name), all).steps.flatMap((step) => (step.proxy ? [step.proxy] : []))))];
}

export function coverage(registry: Registry, capabilities: Capabilities, proxies: readonly string[]): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const { scenario } of registry.scenarios.values()) {
    const missing = proxiesNeeded(registry, scenario.name).filter((proxy) => !proxies.includes(proxy));
    for (const gate of scenario.gates) {
      if (missing.length === 0) rows.push(gateRow(scenario.name, gate, capabilities));
      else rows.push({ scenario: scenario.name, gate: gate.id, judged: false, why: `the scenario faults ${missing.join(", ")}, paths this target does not have`, add: `target.proxies: [{ name: ${missing[0]}, upstream, listenPort }] for each` });
    }
  }
  for (const check of registry.checks.values()) for (const gate of check.gates) rows.push(gateRow("after every scenario", gate, capabilities));
  return rows;
}
