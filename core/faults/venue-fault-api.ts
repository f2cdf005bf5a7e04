// The venue's fault API (venue/main.ts: PUT/DELETE/GET /admin/faults): how the fault timeline
// applies a venue protocol fault, removes it and finds what is applied. Every call has a timeout
// and keeps the venue's error text; removal is idempotent (the venue answers 200 for a fault it
// no longer has), so the timeline's cleanup rounds can repeat it.
import { describeFetchError, GauntletError } from "../errors.ts";
import type { VenueFault } from "../../protocol/venue-faults.ts";

const REQUEST_TIMEOUT_MS = 3000;

export class VenueFaultApi {
  constructor(readonly url: string) {}

  private async call(method: "GET" | "PUT" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    const url = `${this.url}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
    } catch (error) {
      throw new GauntletError("GAUNTLET_VENUE_FAULT_API", `${method} ${url}: ${describeFetchError(url, error)}`);
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) throw new GauntletError("GAUNTLET_VENUE_FAULT_API", `${method} ${url} → ${response.status}${text ? `: ${text.trim()}` : ""}`);
    return text ? JSON.parse(text) : undefined;
  }

  apply(name: string, fault: VenueFault): Promise<unknown> {
    return this.call("PUT", `/admin/faults/${encodeURIComponent(name)}`, fault);
  }

  remove(name: string): Promise<unknown> {
    return this.call("DELETE", `/admin/faults/${encodeURIComponent(name)}`);
  }

  /** The names of the faults applied now. */
  async list(): Promise<string[]> {
    const body = (await this.call("GET", "/admin/faults")) as { faults?: Array<{ name: string }> };
    return (body.faults ?? []).map((fault) => fault.name);
  }
}
