package meeting

import (
	"context"
	"sort"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Overview is an agreement's meetings with how its yearly requirement of
// dialogue meetings stands, the newest year first.
type Overview struct {
	Agreement    partnership.Agreement
	Meetings     []partnership.Meeting
	Requirements []partnership.DialogueRequirement
}

// Detail is one meeting with the agreement it belongs to and, for a
// steering-group meeting, each party's presence against the requirement.
type Detail struct {
	Agreement partnership.Agreement
	Meeting   partnership.Meeting
	Presence  []partnership.PartyPresence
}

// List reads the agreement's meetings for the actor; every role reads the
// meetings of the agreements it may see (partnership.ErrNotFound for
// others), as meetings carry no personal data of participants.
func (s *Service) List(ctx context.Context, actor partnership.Actor, agreementID int64) (Overview, error) {
	a, err := visibleAgreement(ctx, s.db.Pool, actor, agreementID)
	if err != nil {
		return Overview{}, err
	}
	meetings, err := postgres.NewMeetings(s.db.Pool).List(ctx, agreementID)
	if err != nil {
		return Overview{}, err
	}
	return Overview{Agreement: a, Meetings: meetings, Requirements: requirements(a, meetings, s.today())}, nil
}

// Get reads the agreement's meeting for the actor.
func (s *Service) Get(ctx context.Context, actor partnership.Actor, agreementID, meetingID int64) (Detail, error) {
	a, err := visibleAgreement(ctx, s.db.Pool, actor, agreementID)
	if err != nil {
		return Detail{}, err
	}
	m, err := postgres.NewMeetings(s.db.Pool).ByID(ctx, agreementID, meetingID)
	if err != nil {
		return Detail{}, err
	}
	return Detail{Agreement: a, Meeting: m, Presence: partnership.SteeringGroupPresence(a, m)}, nil
}

// Held is how the agreement's requirement of dialogue meetings stands in
// year; false when the agreement requires none.
func (s *Service) Held(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (partnership.DialogueRequirement, bool, error) {
	a, err := visibleAgreement(ctx, s.db.Pool, actor, agreementID)
	if err != nil {
		return partnership.DialogueRequirement{}, false, err
	}
	meetings, err := postgres.NewMeetings(s.db.Pool).List(ctx, agreementID)
	if err != nil {
		return partnership.DialogueRequirement{}, false, err
	}
	r, ok := partnership.DialogueRequirementIn(a, meetings, year, s.today())
	return r, ok, nil
}

// requirements is the requirement of every year that has meetings or is
// this year, newest first; none when the agreement requires no meetings.
func requirements(a partnership.Agreement, meetings []partnership.Meeting, today time.Time) []partnership.DialogueRequirement {
	years := map[int]bool{today.Year(): true}
	for _, m := range meetings {
		years[m.HeldOn.Year()] = true
	}
	var out []partnership.DialogueRequirement
	for y := range years {
		if r, ok := partnership.DialogueRequirementIn(a, meetings, y, today); ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return out
}
