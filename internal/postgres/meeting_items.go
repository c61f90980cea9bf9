package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// AddAgendaPoint adds text as the last point of the meeting's agenda, by
// the user, for the organisation (nil for the municipality).
func (s *Meetings) AddAgendaPoint(ctx context.Context, meetingID int64, text string, orgID, userID *int64) (partnership.AgendaPoint, error) {
	p := partnership.AgendaPoint{Text: text, OrganisationID: orgID}
	err := s.db.QueryRow(ctx, `INSERT INTO meeting_agenda_points (meeting_id, text, organisation_id, created_by)
		VALUES ($1, $2, $3, $4) RETURNING id`, meetingID, text, orgID, userID).Scan(&p.ID)
	if err != nil {
		return partnership.AgendaPoint{}, fmt.Errorf("add agenda point to meeting %d: %w", meetingID, err)
	}
	return p, nil
}

// AddDecision adds text as the meeting's next numbered decision. The
// meeting row is locked so that two decisions added at once do not take
// the same number.
func (s *Meetings) AddDecision(ctx context.Context, meetingID int64, text string) (partnership.MeetingDecision, error) {
	if _, err := s.db.Exec(ctx, `SELECT 1 FROM meetings WHERE id = $1 FOR UPDATE`, meetingID); err != nil {
		return partnership.MeetingDecision{}, fmt.Errorf("lock meeting %d: %w", meetingID, err)
	}
	d := partnership.MeetingDecision{Text: text}
	err := s.db.QueryRow(ctx, `INSERT INTO meeting_decisions (meeting_id, number, text)
		SELECT $1, coalesce(max(number), 0) + 1, $2 FROM meeting_decisions WHERE meeting_id = $1
		RETURNING id, number`, meetingID, text).Scan(&d.ID, &d.Number)
	if err != nil {
		return partnership.MeetingDecision{}, fmt.Errorf("add decision to meeting %d: %w", meetingID, err)
	}
	return d, nil
}

// AddActionItem adds the item to the meeting.
func (s *Meetings) AddActionItem(ctx context.Context, meetingID int64, a partnership.ActionItem) (partnership.ActionItem, error) {
	a.MeetingID, a.DoneOn = meetingID, nil
	err := s.db.QueryRow(ctx, `INSERT INTO meeting_action_items (meeting_id, text, owner_party_id, owner_name, due_on)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, meetingID, a.Text, a.OwnerPartyID, a.OwnerName, a.DueOn).Scan(&a.ID)
	if err != nil {
		return partnership.ActionItem{}, fmt.Errorf("add action item to meeting %d: %w", meetingID, err)
	}
	return a, nil
}

// ActionItem reads the meeting's action item id.
func (s *Meetings) ActionItem(ctx context.Context, meetingID, id int64) (partnership.ActionItem, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+actionItemColumns+` FROM meeting_action_items
		WHERE meeting_id = $1 AND id = $2`, meetingID, id)
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[partnership.ActionItem])
	if errors.Is(err, pgx.ErrNoRows) {
		return partnership.ActionItem{}, fmt.Errorf("action item %d of meeting %d: %w", id, meetingID, partnership.ErrNotFound)
	}
	if err != nil {
		return partnership.ActionItem{}, fmt.Errorf("read action item %d: %w", id, err)
	}
	return a, nil
}

// MarkActionItemDone records the item as done on the day, by the user.
func (s *Meetings) MarkActionItemDone(ctx context.Context, meetingID, id int64, on time.Time, by *int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE meeting_action_items SET done_on = $3, done_by = $4
		WHERE meeting_id = $1 AND id = $2`, meetingID, id, on, by)
	if err != nil {
		return fmt.Errorf("mark action item %d done: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("action item %d of meeting %d: %w", id, meetingID, partnership.ErrNotFound)
	}
	return nil
}

const actionItemColumns = `id, meeting_id, text, owner_party_id, owner_name, due_on, done_on`

func (s *Meetings) agenda(ctx context.Context, meetingID int64) ([]partnership.AgendaPoint, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, text, organisation_id FROM meeting_agenda_points
		WHERE meeting_id = $1 ORDER BY id`, meetingID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.AgendaPoint])
	if err != nil {
		return nil, fmt.Errorf("read agenda of meeting %d: %w", meetingID, err)
	}
	return list, nil
}

func (s *Meetings) decisions(ctx context.Context, meetingID int64) ([]partnership.MeetingDecision, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, number, text FROM meeting_decisions
		WHERE meeting_id = $1 ORDER BY number`, meetingID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.MeetingDecision])
	if err != nil {
		return nil, fmt.Errorf("read decisions of meeting %d: %w", meetingID, err)
	}
	return list, nil
}

func (s *Meetings) actionItems(ctx context.Context, meetingID int64) ([]partnership.ActionItem, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+actionItemColumns+` FROM meeting_action_items
		WHERE meeting_id = $1 ORDER BY id`, meetingID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.ActionItem])
	if err != nil {
		return nil, fmt.Errorf("read action items of meeting %d: %w", meetingID, err)
	}
	return list, nil
}
