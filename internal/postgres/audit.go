package postgres

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Audit appends to and reads the audit log.
type Audit struct{ db DBTX }

// NewAudit returns an audit store on db; pass the transaction of the change
// being audited so that both commit or neither does.
func NewAudit(db DBTX) *Audit { return &Audit{db: db} }

// Record appends e. An unparsable client IP is stored as NULL.
func (s *Audit) Record(ctx context.Context, e partnership.AuditEvent) error {
	var ip *netip.Addr
	if a, err := netip.ParseAddr(e.ClientIP); err == nil {
		ip = &a
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	_, err := s.db.Exec(ctx, `INSERT INTO audit_events (actor_id, action, entity, entity_id, details, client_ip)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.ActorID, e.Action, e.Entity, e.EntityID, details, ip)
	if err != nil {
		return fmt.Errorf("record audit event %s: %w", e.Action, err)
	}
	return nil
}

// ForEntity returns the newest events of one entity first, at most limit.
func (s *Audit) ForEntity(ctx context.Context, entity, entityID string, limit int) ([]partnership.AuditEvent, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, occurred_at, actor_id, action, entity, entity_id, details,
		       coalesce(host(client_ip), '') AS client_ip
		FROM audit_events WHERE entity = $1 AND entity_id = $2
		ORDER BY occurred_at DESC, id DESC LIMIT $3`, entity, entityID, limit)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.AuditEvent])
	if err != nil {
		return nil, fmt.Errorf("audit events of %s %s: %w", entity, entityID, err)
	}
	return list, nil
}

// HistoryEntry is an audit event with the name of the user who caused it.
type HistoryEntry struct {
	partnership.AuditEvent
	ActorName string // "" when the system acted or the user no longer exists
}

// History returns the newest events of one entity first, at most limit,
// each with the name of its actor, for showing who did what and when.
func (s *Audit) History(ctx context.Context, entity, entityID string, limit int) ([]HistoryEntry, error) {
	rows, _ := s.db.Query(ctx, `SELECT e.id, e.occurred_at, e.actor_id, e.action, e.entity, e.entity_id, e.details,
		       coalesce(host(e.client_ip), '') AS client_ip, coalesce(u.name, '') AS actor_name
		FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.entity = $1 AND e.entity_id = $2
		ORDER BY e.occurred_at DESC, e.id DESC LIMIT $3`, entity, entityID, limit)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[HistoryEntry])
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", entity, entityID, err)
	}
	return list, nil
}
