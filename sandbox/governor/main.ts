// Entry point of the reference governor process.
import { loadSandboxConfig } from "../config.ts";
import { Governor } from "./governor.ts";
import { createApi } from "./http-api.ts";

const config = loadSandboxConfig();
const governor = new Governor({ ...config.governor, limits: config.limits, faults: config.seededFaults });
await governor.start();
const server = createApi(governor);
await new Promise<void>((resolve) => server.listen(config.governor.port, "127.0.0.1", resolve));
console.log(`governor up on :${config.governor.port} (shadow mode, seeded faults: ${config.seededFaults.join(",") || "none"})`);

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close();
    server.closeAllConnections();
    // Drain the ledger and hot state before leaving: nothing written behind the path is lost.
    void governor.close().finally(() => process.exit(0));
  });
}
