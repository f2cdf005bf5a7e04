// Reading one value out of a Prometheus text exposition (what /metrics serves).
export function metricValue(text: string, name: string): number | undefined {
  // Match "name value" or "name{labels} value" at the start of a line.
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at === -1) return undefined;
    const lineStart = at === 0 || text[at - 1] === "\n";
    const next = text[at + name.length];
    if (lineStart && (next === " " || next === "{")) {
      const end = text.indexOf("\n", at);
      const line = text.slice(at, end === -1 ? undefined : end);
      let rest = line.slice(name.length);
      if (rest.startsWith("{")) rest = rest.slice(rest.indexOf("}") + 1);
      // "value" or "value timestamp"
      const value = Number(rest.trim().split(" ")[0]);
      return Number.isFinite(value) ? value : undefined;
    }
    from = at + name.length;
  }
}

export async function scrape(url: string, timeoutMs = 1000): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} → ${response.status}`);
  return response.text();
}
