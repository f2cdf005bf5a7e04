// The tool versions Gauntlet is tested with. The Go modules under tools/ pin the same versions
// (their go.sum makes the source build reproducible); change both together.
export const PINS = {
  k6: {
    version: "2.2.0",
    /** A k6 found on PATH is used when it is on this major line. */
    major: 2,
    /**
     * The Go package built (inside toolsDir): k6's own command with Gauntlet's output extension
     * linked in, as `xk6 build --with` would make it (tools/k6/cmd/k6, tools/k6/output).
     */
    module: "./cmd/k6",
    toolsDir: "tools/k6",
    ldflags: "",
  },
  toxiproxy: {
    version: "2.12.0",
    major: 2,
    module: "github.com/Shopify/toxiproxy/v2/cmd/server",
    toolsDir: "tools/toxiproxy",
    // Without this, /version answers "git".
    ldflags: "-X github.com/Shopify/toxiproxy/v2.Version=2.12.0",
  },
} as const;

export type PinnedTool = keyof typeof PINS;
