package partnership

import "time"

// AuditEvent records who did what to which entity, when and from where.
type AuditEvent struct {
	ID         int64
	OccurredAt time.Time
	ActorID    *int64 // nil for the system itself or an anonymous caller
	Action     string // e.g. "login.failed", "user.create"
	Entity     string // e.g. "user", "agreement"
	EntityID   string
	Details    map[string]any
	ClientIP   string // empty when unknown
}
