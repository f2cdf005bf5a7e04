// The venue's configuration: one JSON value in GAUNTLET_VENUE_CONFIG with where it listens and
// writes; the market it replays and the broker's terms come with every reset (POST /admin/reset,
// protocol/market-settings.ts), so one venue serves run after run. The venue is Gauntlet's own
// stand-in for an exchange and its broker, provisioned for every target; it depends on nothing in
// core/ — only on the market data (data/) and the protocol (protocol/).
import { z } from "zod";
import { MarketSettingsSchema } from "../protocol/market-settings.ts";

export const VenueConfigSchema = z.strictObject({
  orderPort: z.number().int().positive(),
  marketDataPort: z.number().int().positive(),
  adminPort: z.number().int().positive(),
  /** The venue's journal of every order, cancel, reject and fill it saw (NDJSON): the ground truth. */
  journal: z.string(),
  /** Book state per tick (mid, spread, depth), NDJSON: the market series a report plots. */
  marketLog: z.string().optional(),
  heartbeatMs: z.number().positive().default(100),
  seed: z.number().int().default(11),
  /** The market until the first reset says otherwise. */
  market: MarketSettingsSchema.default(MarketSettingsSchema.parse({})),
});
export type VenueConfig = z.infer<typeof VenueConfigSchema>;

export function loadVenueConfig(): VenueConfig {
  const raw = process.env.GAUNTLET_VENUE_CONFIG;
  if (!raw) throw new Error("GAUNTLET_VENUE_CONFIG is not set");
  return VenueConfigSchema.parse(JSON.parse(raw));
}
