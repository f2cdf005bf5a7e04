//go:build tools

// Package tools keeps go.k6.io/k6/v2 pinned in go.mod/go.sum for the build of cmd/k6 (k6 with
// Gauntlet's output extension). k6 is built as a standalone binary and run as a child process;
// nothing here is linked into Gauntlet itself.
package tools

import _ "go.k6.io/k6/v2"
