//go:build tools

// Package tools pins the Toxiproxy version Gauntlet builds (server and CLI).
package tools

import _ "github.com/Shopify/toxiproxy/v2/cmd/server"
