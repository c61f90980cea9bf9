package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Meetings stores the meetings of agreements' parties with their
// attendees, agenda, decisions and action items. Every lookup names the
// agreement as well as the meeting, so a meeting id is only ever found
// through its own agreement; tenancy is decided before the store is called.
type Meetings struct{ db DBTX }

// NewMeetings returns a meeting store on db (a pool or a transaction).
func NewMeetings(db DBTX) *Meetings { return &Meetings{db: db} }

const meetingColumns = `id, agreement_id, version, kind, held_on,
	coalesce(to_char(starts_at, 'HH24:MI'), '') AS starts_at, place, minutes`

type meetingRow struct {
	ID          int64
	AgreementID int64
	Version     int
	Kind        string
	HeldOn      time.Time
	StartsAt    string
	Place       string
	Minutes     string
}

func (r meetingRow) meeting() partnership.Meeting {
	return partnership.Meeting{ID: r.ID, AgreementID: r.AgreementID, Version: r.Version,
		Kind: partnership.MeetingKind(r.Kind), HeldOn: r.HeldOn, StartsAt: r.StartsAt, Place: r.Place, Minutes: r.Minutes}
}

// Create stores m as a new meeting of m.AgreementID, with its attendees,
// created by the user createdBy (nil for the system).
func (s *Meetings) Create(ctx context.Context, m partnership.Meeting, createdBy *int64) (partnership.Meeting, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO meetings (agreement_id, kind, held_on, starts_at, place, minutes, created_by)
		VALUES ($1, $2, $3, NULLIF($4, '')::time, $5, $6, $7)
		RETURNING `+meetingColumns,
		m.AgreementID, string(m.Kind), m.HeldOn, m.StartsAt, m.Place, m.Minutes, createdBy)
	created, err := pgx.CollectExactlyOneRow(rows, rowTo(meetingRow.meeting))
	if err != nil {
		return partnership.Meeting{}, fmt.Errorf("create meeting of agreement %d: %w", m.AgreementID, err)
	}
	created.Attendees = m.Attendees
	return created, s.setAttendees(ctx, created.ID, m.Attendees)
}

// Update saves m's date, kind, place, minutes and attendees over the
// meeting m.ID of m.AgreementID, provided it is still at m.Version; a
// wrapped partnership.ErrConflict when someone changed it meanwhile.
func (s *Meetings) Update(ctx context.Context, m partnership.Meeting) (partnership.Meeting, error) {
	rows, _ := s.db.Query(ctx, `UPDATE meetings SET kind = $3, held_on = $4, starts_at = NULLIF($5, '')::time,
		place = $6, minutes = $7, version = version + 1, updated_at = now()
		WHERE agreement_id = $1 AND id = $2 AND version = $8
		RETURNING `+meetingColumns,
		m.AgreementID, m.ID, string(m.Kind), m.HeldOn, m.StartsAt, m.Place, m.Minutes, m.Version)
	updated, err := pgx.CollectExactlyOneRow(rows, rowTo(meetingRow.meeting))
	if errors.Is(err, pgx.ErrNoRows) {
		if _, findErr := s.ByID(ctx, m.AgreementID, m.ID); findErr != nil {
			return partnership.Meeting{}, findErr
		}
		return partnership.Meeting{}, fmt.Errorf("update meeting %d: %w", m.ID, partnership.ErrConflict)
	}
	if err != nil {
		return partnership.Meeting{}, fmt.Errorf("update meeting %d: %w", m.ID, err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM meeting_attendees WHERE meeting_id = $1`, m.ID); err != nil {
		return partnership.Meeting{}, fmt.Errorf("replace attendees of meeting %d: %w", m.ID, err)
	}
	updated.Attendees = m.Attendees
	return updated, s.setAttendees(ctx, m.ID, m.Attendees)
}

// Delete removes the agreement's meeting id with everything recorded at it
// and returns what it was.
func (s *Meetings) Delete(ctx context.Context, agreementID, id int64) (partnership.Meeting, error) {
	rows, _ := s.db.Query(ctx, `DELETE FROM meetings WHERE agreement_id = $1 AND id = $2 RETURNING `+meetingColumns,
		agreementID, id)
	deleted, err := pgx.CollectExactlyOneRow(rows, rowTo(meetingRow.meeting))
	if errors.Is(err, pgx.ErrNoRows) {
		return partnership.Meeting{}, fmt.Errorf("meeting %d of agreement %d: %w", id, agreementID, partnership.ErrNotFound)
	}
	if err != nil {
		return partnership.Meeting{}, fmt.Errorf("delete meeting %d: %w", id, err)
	}
	return deleted, nil
}

// List reads the agreement's meetings, newest first, with their attendees
// (for the steering-group check) but without agenda, decisions or items.
func (s *Meetings) List(ctx context.Context, agreementID int64) ([]partnership.Meeting, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE agreement_id = $1
		ORDER BY held_on DESC, starts_at DESC NULLS LAST, id DESC`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(meetingRow.meeting))
	if err != nil {
		return nil, fmt.Errorf("list meetings of agreement %d: %w", agreementID, err)
	}
	attendees, err := s.attendees(ctx, `m.agreement_id = $1`, agreementID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Attendees = attendees[list[i].ID]
	}
	return list, nil
}

// ByID reads the agreement's meeting id with its attendees, agenda,
// decisions and action items.
func (s *Meetings) ByID(ctx context.Context, agreementID, id int64) (partnership.Meeting, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE agreement_id = $1 AND id = $2`,
		agreementID, id)
	m, err := pgx.CollectExactlyOneRow(rows, rowTo(meetingRow.meeting))
	if errors.Is(err, pgx.ErrNoRows) {
		return partnership.Meeting{}, fmt.Errorf("meeting %d of agreement %d: %w", id, agreementID, partnership.ErrNotFound)
	}
	if err != nil {
		return partnership.Meeting{}, fmt.Errorf("read meeting %d: %w", id, err)
	}
	attendees, err := s.attendees(ctx, `m.id = $1`, id)
	if err != nil {
		return partnership.Meeting{}, err
	}
	m.Attendees = attendees[id]
	if m.Agenda, err = s.agenda(ctx, id); err != nil {
		return partnership.Meeting{}, err
	}
	if m.Decisions, err = s.decisions(ctx, id); err != nil {
		return partnership.Meeting{}, err
	}
	if m.ActionItems, err = s.actionItems(ctx, id); err != nil {
		return partnership.Meeting{}, err
	}
	return m, nil
}

// HeldCount counts the agreement's meetings of kind in year whose date is
// on or before today: the meetings held per agreement and year.
func (s *Meetings) HeldCount(ctx context.Context, agreementID int64, kind partnership.MeetingKind, year int, today time.Time) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM meetings
		WHERE agreement_id = $1 AND kind = $2 AND extract(year FROM held_on) = $3 AND held_on <= $4`,
		agreementID, string(kind), year, today).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count meetings of agreement %d in %d: %w", agreementID, year, err)
	}
	return n, nil
}

func (s *Meetings) setAttendees(ctx context.Context, meetingID int64, attendees []partnership.MeetingAttendee) error {
	for i, a := range attendees {
		if _, err := s.db.Exec(ctx, `INSERT INTO meeting_attendees (meeting_id, party_id, name, position)
			VALUES ($1, $2, $3, $4)`, meetingID, a.PartyID, a.Name, i); err != nil {
			return fmt.Errorf("add attendee to meeting %d: %w", meetingID, err)
		}
	}
	return nil
}

type attendeeOfMeeting struct {
	MeetingID int64
	PartyID   *int64
	Name      string
}

// attendees reads the attendees of the meetings matching where (on "m",
// with $1), by meeting id.
func (s *Meetings) attendees(ctx context.Context, where string, arg int64) (map[int64][]partnership.MeetingAttendee, error) {
	rows, _ := s.db.Query(ctx, `SELECT a.meeting_id, a.party_id, a.name FROM meeting_attendees a
		JOIN meetings m ON m.id = a.meeting_id WHERE `+where+` ORDER BY a.meeting_id, a.position, a.id`, arg)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[attendeeOfMeeting])
	if err != nil {
		return nil, fmt.Errorf("read meeting attendees: %w", err)
	}
	out := map[int64][]partnership.MeetingAttendee{}
	for _, a := range list {
		out[a.MeetingID] = append(out[a.MeetingID], partnership.MeetingAttendee{PartyID: a.PartyID, Name: a.Name})
	}
	return out, nil
}
