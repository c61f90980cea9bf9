package meeting

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// AddAgendaPoint adds text to the agenda of the agreement's meeting. Staff
// of a party add it on behalf of their organisation. It returns
// partnership.ErrForbidden for a role that may add none.
func (s *Service) AddAgendaPoint(ctx context.Context, actor partnership.Actor, agreementID, meetingID int64, text string) (partnership.AgendaPoint, error) {
	if !MayAddAgendaPoint(actor.Role) {
		return partnership.AgendaPoint{}, fmt.Errorf("role %q adding agenda points: %w", actor.Role, partnership.ErrForbidden)
	}
	text = strings.TrimSpace(text)
	if err := partnership.ValidateText("text", text); err != nil {
		return partnership.AgendaPoint{}, err
	}
	var org *int64
	if actor.Role == partnership.RoleAssociationStaff {
		org = actor.OrganisationID
	}
	var p partnership.AgendaPoint
	err := s.onMeeting(ctx, actor, agreementID, meetingID, func(tx pgx.Tx, _ partnership.Agreement, m partnership.Meeting) error {
		var err error
		if p, err = postgres.NewMeetings(tx).AddAgendaPoint(ctx, meetingID, text, org, actor.ActorID()); err != nil {
			return err
		}
		return record(ctx, tx, actor, "meeting.agenda_point.add", m, map[string]any{"agenda_point_id": p.ID})
	})
	return p, err
}

// AddDecision adds text as the meeting's next numbered decision.
func (s *Service) AddDecision(ctx context.Context, actor partnership.Actor, agreementID, meetingID int64, text string) (partnership.MeetingDecision, error) {
	if err := mayManage(actor); err != nil {
		return partnership.MeetingDecision{}, err
	}
	text = strings.TrimSpace(text)
	if err := partnership.ValidateText("text", text); err != nil {
		return partnership.MeetingDecision{}, err
	}
	var d partnership.MeetingDecision
	err := s.onMeeting(ctx, actor, agreementID, meetingID, func(tx pgx.Tx, _ partnership.Agreement, m partnership.Meeting) error {
		var err error
		if d, err = postgres.NewMeetings(tx).AddDecision(ctx, meetingID, text); err != nil {
			return err
		}
		return record(ctx, tx, actor, "meeting.decision.add", m, map[string]any{"decision_number": d.Number})
	})
	return d, err
}

// AddActionItem adds the item to the meeting; its owner is a party of the
// agreement or a free name.
func (s *Service) AddActionItem(ctx context.Context, actor partnership.Actor, agreementID, meetingID int64, in partnership.ActionItem) (partnership.ActionItem, error) {
	if err := mayManage(actor); err != nil {
		return partnership.ActionItem{}, err
	}
	in.Text, in.OwnerName = strings.TrimSpace(in.Text), strings.TrimSpace(in.OwnerName)
	var item partnership.ActionItem
	err := s.onMeeting(ctx, actor, agreementID, meetingID, func(tx pgx.Tx, a partnership.Agreement, m partnership.Meeting) error {
		if err := in.Validate(a.Parties); err != nil {
			return err
		}
		var err error
		if item, err = postgres.NewMeetings(tx).AddActionItem(ctx, meetingID, in); err != nil {
			return err
		}
		return record(ctx, tx, actor, "meeting.action_item.add", m, itemDetails(item))
	})
	return item, err
}

// MarkActionItemDone records the meeting's action item as done today.
// Officers may mark any item; association staff only the items owned by
// their organisation's party (partnership.ErrForbidden for others). An
// item already done keeps its first date.
func (s *Service) MarkActionItemDone(ctx context.Context, actor partnership.Actor, agreementID, meetingID, itemID int64) (partnership.ActionItem, error) {
	if !MayAddAgendaPoint(actor.Role) {
		return partnership.ActionItem{}, fmt.Errorf("role %q marking action items: %w", actor.Role, partnership.ErrForbidden)
	}
	var item partnership.ActionItem
	err := s.onMeeting(ctx, actor, agreementID, meetingID, func(tx pgx.Tx, a partnership.Agreement, m partnership.Meeting) error {
		store := postgres.NewMeetings(tx)
		var err error
		if item, err = store.ActionItem(ctx, meetingID, itemID); err != nil {
			return err
		}
		if !MayMarkDone(actor, a, item) {
			return fmt.Errorf("action item %d: %w", itemID, partnership.ErrForbidden)
		}
		if item.DoneOn != nil {
			return nil
		}
		today := s.today()
		if err := store.MarkActionItemDone(ctx, meetingID, itemID, today, actor.ActorID()); err != nil {
			return err
		}
		item.DoneOn = &today
		return record(ctx, tx, actor, "meeting.action_item.done", m, itemDetails(item))
	})
	return item, err
}

// MayMarkDone reports whether the actor may mark the agreement's action
// item done: those who manage meetings any, association staff those owned
// by their organisation's party.
func MayMarkDone(actor partnership.Actor, a partnership.Agreement, item partnership.ActionItem) bool {
	if MayManage(actor.Role) {
		return true
	}
	if actor.Role != partnership.RoleAssociationStaff || item.OwnerPartyID == nil {
		return false
	}
	p, ok := a.Party(*item.OwnerPartyID)
	return ok && actor.InOrganisation(p.OrganisationID)
}

func itemDetails(item partnership.ActionItem) map[string]any {
	d := map[string]any{"action_item_id": item.ID}
	if item.DueOn != nil {
		d["due_on"] = item.DueOn.Format("2006-01-02")
	}
	if item.DoneOn != nil {
		d["done_on"] = item.DoneOn.Format("2006-01-02")
	}
	return d
}

// onMeeting runs change in a transaction on the agreement's meeting,
// provided the actor may see the agreement.
func (s *Service) onMeeting(ctx context.Context, actor partnership.Actor, agreementID, meetingID int64,
	change func(tx pgx.Tx, a partnership.Agreement, m partnership.Meeting) error) error {
	return s.inAgreement(ctx, actor, agreementID, func(tx pgx.Tx, a partnership.Agreement) error {
		m, err := postgres.NewMeetings(tx).ByID(ctx, agreementID, meetingID)
		if err != nil {
			return err
		}
		return change(tx, a, m)
	})
}
