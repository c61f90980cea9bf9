// Package partnership is the domain of idea-based public partnerships (IOP):
// organisations, users and their roles, and the pure rules that govern them.
// It imports nothing infrastructural.
package partnership

import _ "time/tzdata" // Stockholm must be known on hosts without a zoneinfo database
