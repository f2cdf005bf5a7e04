// Every script's setup(): refuse to load a target that does not declare itself a shadow instance.
import http from "k6/http";
import exec from "k6/execution";

export function requireShadowTarget(targetUrl: string): void {
  const res = http.get(`${targetUrl}/v1/health`, { tags: { name: "health" }, timeout: "5s" });
  if (res.status !== 200) {
    exec.test.abort(`target ${targetUrl} did not answer /v1/health (status ${res.status}: ${res.error})`);
  }
  const mode = (res.json() as { mode?: string } | null)?.mode;
  if (mode !== "shadow") {
    exec.test.abort(`target ${targetUrl} is not a shadow instance (mode=${String(mode)}); refusing to load it`);
  }
}
