// `npm run build`: bundle the k6 scripts into dist/k6/ with their standalone plans (what
// `gauntlet setup` does when the bundles are stale).
import { REPO_ROOT } from "../core/paths.ts";
import { buildK6Scripts } from "../esbuild.config.ts";
import { builtinRegistry } from "./builtin.ts";
import { standalonePlans } from "./standalone-plans.ts";

const written = await buildK6Scripts({ defaultPlans: standalonePlans(builtinRegistry()) });
console.log(`built ${written.map((file) => file.replace(`${REPO_ROOT}/`, "")).join(", ")} and dist/k6/observations.json`);
