//go:build tools

// Package tools pins the k6 version Gauntlet builds. k6 is built as a
// standalone binary and run as a child process; nothing here is linked into
// Gauntlet itself.
package tools

import _ "go.k6.io/k6/v2"
