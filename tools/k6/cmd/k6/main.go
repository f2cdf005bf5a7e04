// Command k6 is k6 v2 with Gauntlet's output extension linked in (what `xk6 build --with` makes):
// `--out gauntlet=<file.csv>` writes only the samples Gauntlet reads (see ../../output).
package main

import (
	"go.k6.io/k6/v2/cmd"

	_ "gauntlet.local/tools/k6/output"
)

func main() {
	cmd.Execute()
}
