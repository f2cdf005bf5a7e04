// How Gauntlet reaches the governor under test: what a target plugin provisions (or points at),
// the optional capabilities it declares, and — filled in by the orchestrator for every target —
// the venue it trades on and the Toxiproxy in front of its paths.
import type { Capabilities } from "./capabilities.ts";

export interface TargetHandle {
  name: string;
  /** The decision API (target contract: /v1/decisions, /v1/health, /v1/state, /v1/admin/…). */
  baseUrl: string;
  /** What it offers beyond the minimum; an absent capability makes its gates "not applicable". */
  capabilities: Capabilities;
  /** How long it may take to connect to the venue before the run is given up (default 30 s). */
  connectTimeoutMs?: number;
  /** The run's Toxiproxy API and the names of every proxy on the target's paths. */
  toxiproxyUrl?: string;
  proxies?: string[];
  /** The venue (Gauntlet's, for every target): admin API, journal, per-tick book state. */
  venueAdminUrl?: string;
  venueJournal?: string;
  venueMarketLog?: string;
  stop(): Promise<void>;
}
