// Runs one TypeScript entry point of this checkout (the CLI, the sandbox's governor and exporter,
// the venue) as a single esbuild bundle. Through tsx's loader node resolves and transforms ~200
// modules on every start: 2.0 s for `gauntlet --version`, ~1 s of CPU for each governor a run
// starts. One bundled file loads in a fraction of that.
//
//   node bin/run-bundled.mjs <entry.ts> [args...]
//   new Worker("bin/run-bundled.mjs", { argv: [entry.ts], workerData })
//
// The bundle lives in dist/node/ with the size and mtime of every file it was built from; it is
// rebuilt when any of them has changed, so an edit is never run stale. npm packages stay
// external (loaded from node_modules as usual). Each module keeps its own import.meta.url,
// dirname and filename (paths are found relative to the source, not to the bundle). Where
// dist/node/ cannot be written, or with GAUNTLET_NO_BUNDLE=1, the entry runs through tsx.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const REPO_ROOT = resolve(import.meta.dirname, "..");
const OUT_DIR = join(REPO_ROOT, "dist", "node");

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  console.error("usage: node bin/run-bundled.mjs <entry.ts> [args...]");
  process.exit(2);
}
const entry = resolve(entryArg);
const name = relative(REPO_ROOT, entry).replace(/\.ts$/, "").replaceAll("/", "__");
const bundle = join(OUT_DIR, `${name}.mjs`);
const inputsFile = join(OUT_DIR, `${name}.inputs.json`);

/** Every input still has the size and mtime it was bundled from. */
function isFresh() {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
    statSync(bundle);
  } catch {
    return false;
  }
  for (const [path, [size, mtimeMs]] of Object.entries(inputs)) {
    let stat;
    try {
      stat = statSync(join(REPO_ROOT, path));
    } catch {
      return false;
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/** esbuild would give every module the bundle's import.meta: give each its own source's. */
const ownImportMeta = {
  name: "own-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("import.meta")) return { contents: source, loader: "ts" };
      const contents = source
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};

async function rebuild() {
  const { build, stop } = await import("esbuild");
  const startedMs = Date.now();
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: REPO_ROOT, // the metafile's input paths are relative to it
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    sourcemap: "linked",
    outfile: bundle,
    logLevel: "error",
    plugins: [ownImportMeta],
    banner: { js: `// Built by bin/run-bundled.mjs from ${relative(REPO_ROOT, entry)}. Edit the TypeScript, not this file.` },
  });
  stop(); // esbuild's service process would otherwise live as long as the governor or the CLI
  const inputs = {};
  let editedMeanwhile = false;
  for (const path of Object.keys(result.metafile.inputs)) {
    const stat = statSync(join(REPO_ROOT, path));
    inputs[path] = [stat.size, stat.mtimeMs];
    editedMeanwhile ||= stat.mtimeMs >= startedMs;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  // Written aside, then renamed: runs started side by side may rebuild the same bundle at once.
  const suffix = `.${process.pid}.tmp`;
  for (const file of result.outputFiles) writeFileSync(file.path + suffix, file.contents);
  for (const file of result.outputFiles) renameSync(file.path + suffix, file.path);
  // A file saved while the build read it: this bundle may hold its old text, so the next start
  // builds again.
  if (editedMeanwhile) return;
  writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  renameSync(inputsFile + suffix, inputsFile);
}

// GAUNTLET_NO_BUNDLE=1 runs the sources through tsx, as before the bundles (to compare, or to debug).
let runnable = process.env.GAUNTLET_NO_BUNDLE ? undefined : bundle;
if (runnable && !isFresh()) {
  try {
    await rebuild();
  } catch (error) {
    if (error?.errors === undefined && error?.code !== "EACCES" && error?.code !== "EROFS") throw error;
    // A build error is tsx's to report too, with the same file and line; a read-only checkout runs unbundled.
    runnable = undefined;
  }
}
// The entry sees itself as the program, as it would under tsx.
process.argv = [process.argv[0], entry, ...args];
if (runnable) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(runnable).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(entry).href);
}
