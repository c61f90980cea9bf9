// Package migrations holds the SQL schema migrations, embedded in the binary.
package migrations

import "embed"

// FS contains every NNNNNN_verb_object.{up,down}.sql file.
//
//go:embed *.sql
var FS embed.FS
