// toxiproxy-node-client, made safe to drive a live run with. The client as published has no
// request timeout, drops the server's error body (status only) and never retries; Toxiproxy cuts
// API calls at 25 s and has hung removing toxics under load (Shopify/toxiproxy#412, #558). So
// every call here has a timeout, keeps the server's message and retries idempotent calls.
import { Toxiproxy, type Proxy, type ICreateToxicBody } from "toxiproxy-node-client";
import { describeFetchError, GauntletError } from "../errors.ts";
import { sleep } from "../process/child-process.ts";

export interface ProxySpec {
  name: string;
  listen: string;
  upstream: string;
  enabled?: boolean;
}

export interface ToxicSpec {
  name: string;
  type: string;
  stream: "upstream" | "downstream";
  toxicity: number;
  attributes: Record<string, number>;
}

/** A proxy as GET /proxies reports it, toxics included (the client drops them). */
export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicSpec[];
}

const REQUEST_TIMEOUT_MS = 5000;
const RETRIES = 3;

type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/** Replace the client's fetch with one that times out and keeps Toxiproxy's error text. */
function hardenFetch(client: Toxiproxy): void {
  const api = client.getApi() as unknown as { doFetch: Fetcher };
  api.doFetch = async (url, init) => {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new GauntletError("GAUNTLET_TOXIPROXY_API", `${init.method ?? "GET"} ${url}: ${describeFetchError(url, error)}`);
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => "")).trim();
      throw new GauntletError(
        "GAUNTLET_TOXIPROXY_API",
        `${init.method ?? "GET"} ${url} → ${response.status}${body ? `: ${body}` : ""}`,
      );
    }
    return response;
  };
}

async function withRetries<T>(what: string, action: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= RETRIES; attempt++) {
    try {
      return await action();
    } catch (error) {
      lastError = error;
      // A 4xx is a real answer (unknown proxy, bad toxic): retrying will not change it.
      if (error instanceof GauntletError && / → 4\d\d/.test(error.message)) throw error;
      await sleep(200 * attempt);
    }
  }
  if (lastError instanceof GauntletError) throw lastError;
  throw new GauntletError("GAUNTLET_TOXIPROXY_API", `${what}: ${String(lastError)}`);
}

export class ToxiproxyApi {
  readonly url: string;
  private readonly client: Toxiproxy;

  constructor(url: string) {
    this.url = url.replace(/\/$/, "");
    this.client = new Toxiproxy(this.url);
    hardenFetch(this.client);
  }

  version(): Promise<string> {
    return withRetries("version", () => this.client.getVersion());
  }

  /** Create or replace proxies in one call (idempotent). */
  async populate(proxies: ProxySpec[]): Promise<void> {
    await withRetries("populate", () =>
      this.client.populate(proxies.map((proxy) => ({ enabled: true, ...proxy }))),
    );
  }

  proxy(name: string): Promise<Proxy> {
    return withRetries(`get proxy ${name}`, () => this.client.get(name));
  }

  async proxies(): Promise<Record<string, Proxy>> {
    return withRetries("list proxies", () => this.client.getAll());
  }

  /** Every proxy with its toxics, sorted by name. */
  async listProxies(): Promise<ProxyState[]> {
    return withRetries("list proxies", async () => {
      const url = `${this.url}/proxies`;
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (error) {
        throw new GauntletError("GAUNTLET_TOXIPROXY_API", `GET ${url}: ${(error as Error).message}`);
      }
      if (!response.ok) throw new GauntletError("GAUNTLET_TOXIPROXY_API", `GET ${url} → ${response.status}: ${await response.text()}`);
      const proxies = Object.values((await response.json()) as Record<string, ProxyState>);
      return proxies.map((proxy) => ({ ...proxy, toxics: proxy.toxics ?? [] })).sort((a, b) => (a.name < b.name ? -1 : 1));
    });
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const proxy = await this.proxy(name);
    await withRetries(`${enabled ? "enable" : "disable"} ${name}`, () =>
      proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream }),
    );
  }

  async addToxic(proxyName: string, toxic: ToxicSpec): Promise<void> {
    const proxy = await this.proxy(proxyName);
    await withRetries(`add toxic ${toxic.name} to ${proxyName}`, () =>
      proxy.addToxic(toxic as unknown as ICreateToxicBody<unknown>),
    );
  }

  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    await withRetries(`remove toxic ${toxicName} from ${proxyName}`, async () => {
      const response = await fetch(`${this.url}/proxies/${proxyName}/toxics/${toxicName}`, {
        method: "DELETE",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // 404: already gone, which is what we wanted.
      if (!response.ok && response.status !== 404) {
        throw new GauntletError("GAUNTLET_TOXIPROXY_API", `DELETE toxic ${toxicName} → ${response.status}: ${await response.text()}`);
      }
    });
  }

  /** Re-enable every proxy and remove every toxic. */
  reset(): Promise<void> {
    return withRetries("reset", () => this.client.reset());
  }
}
