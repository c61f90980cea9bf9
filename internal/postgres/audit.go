package postgres

import (
	"context"
	"fmt"
	"net/netip"
	"time"

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
	type auditRow struct {
		ID         int64
		OccurredAt time.Time
		ActorID    *int64
		Action     string
		Entity     string
		EntityID   string
		Details    map[string]any
		ClientIP   string
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[auditRow])
	if err != nil {
		return nil, fmt.Errorf("audit events of %s %s: %w", entity, entityID, err)
	}
	out := make([]partnership.AuditEvent, len(list))
	for i, r := range list {
		out[i] = partnership.AuditEvent(r)
	}
	return out, nil
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
	type historyRow struct {
		ID         int64
		OccurredAt time.Time
		ActorID    *int64
		Action     string
		Entity     string
		EntityID   string
		Details    map[string]any
		ClientIP   string
		ActorName  string
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[historyRow])
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", entity, entityID, err)
	}
	out := make([]HistoryEntry, len(list))
	for i, r := range list {
		out[i] = HistoryEntry{
			AuditEvent: partnership.AuditEvent{
				ID: r.ID, OccurredAt: r.OccurredAt, ActorID: r.ActorID, Action: r.Action, Entity: r.Entity,
				EntityID: r.EntityID, Details: r.Details, ClientIP: r.ClientIP,
			},
			ActorName: r.ActorName,
		}
	}
	return out, nil
}
