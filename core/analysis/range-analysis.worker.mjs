// The thread entry of parallel-analysis.ts. Plain JS: Node's worker threads do not inherit the
// TypeScript loader, so this registers it and then loads the TypeScript worker body.
import { register } from "tsx/esm/api";

register();
await import("./range-analysis.ts");
