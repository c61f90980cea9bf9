package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// DeadlineInputs is what the deadline rules read of the agreements a user
// may see, each read in one query for all of them (never one per
// agreement).
type DeadlineInputs struct {
	// Agreements are ordered as the agreement list sorted by end: by current
	// end (undated last), title and id; only the fields the deadline rules
	// read, with extensions, without parties or texts.
	Agreements       []partnership.Agreement
	DialogueMeetings map[int64]int                        // dialogue meetings held or planned in the year asked for
	Invoices         map[int64][]partnership.Invoice      // year and period only, of the years asked for
	ActionItems      map[int64][]partnership.Meeting      // the meetings with open items with a due date, each with only those, the items by due date
	FollowUps        map[int64][]partnership.OpenFollowUp // not yet recorded, by due date, the participant by code only; nil unless asked for
}

// IDs are the ids of the agreements, in their order.
func (in DeadlineInputs) IDs() []int64 {
	ids := make([]int64, len(in.Agreements))
	for i, a := range in.Agreements {
		ids[i] = a.ID
	}
	return ids
}

// Inputs reads the deadline inputs of the agreements u may see (association
// staff those their organisation is a party to, everyone else all): their
// fields and extensions, the number of dialogue meetings in year, the
// invoices of the years from invoicesFrom on, the open action items and,
// when followUps, the open follow-ups.
func (s *Deadlines) Inputs(ctx context.Context, u partnership.User, year, invoicesFrom int, followUps bool) (DeadlineInputs, error) {
	in := DeadlineInputs{
		DialogueMeetings: map[int64]int{}, Invoices: map[int64][]partnership.Invoice{},
		ActionItems: map[int64][]partnership.Meeting{},
	}
	// Only the columns the rules read, scanned by position: the agreements'
	// texts are most of their bytes, and a scan by name costs more than
	// the query.
	rows, _ := s.db.Query(ctx, `SELECT count(*) OVER ()::int, a.id, a.title, a.start_date, a.end_date, a.extension_months,
		       a.max_extensions, a.notice_months, a.status, a.terminated_on, a.termination_kind,
		       a.dialogue_meetings_per_year, a.reporting_duties, a.invoice_frequency
		FROM agreements a
		CROSS JOIN LATERAL (SELECT max(e.new_end_date) AS last_end
			FROM agreement_extensions e WHERE e.agreement_id = a.id) x
		WHERE ($1::bigint IS NULL OR EXISTS (
			SELECT 1 FROM agreement_parties p WHERE p.agreement_id = a.id AND p.organisation_id = $1))
		ORDER BY GREATEST(a.end_date, x.last_end) ASC NULLS LAST, a.title COLLATE "sv-SE-x-icu", a.id`, staffScope(u))
	// The slice is made to size (the count comes with every row): an
	// agreement is over half a kilobyte, too big to copy again and again as
	// a slice grows.
	var a partnership.Agreement
	var count int
	var status, frequency string
	var terminatedOn *time.Time
	var terminationKind *string
	_, err := pgx.ForEachRow(rows, []any{&count, &a.ID, &a.Title, &a.StartDate, &a.EndDate, &a.ExtensionMonths,
		&a.MaxExtensions, &a.NoticeMonths, &status, &terminatedOn, &terminationKind,
		&a.DialogueMeetingsPerYear, &a.ReportingDuties, &frequency}, func() error {
		if in.Agreements == nil {
			in.Agreements = make([]partnership.Agreement, 0, count)
		}
		in.Agreements = append(in.Agreements, a)
		ag := &in.Agreements[len(in.Agreements)-1]
		ag.Status, ag.InvoiceFrequency = partnership.AgreementStatus(status), partnership.InvoiceFrequency(frequency)
		if terminatedOn != nil && terminationKind != nil {
			ag.Termination = &partnership.Termination{On: *terminatedOn, Kind: partnership.TerminationKind(*terminationKind)}
		}
		return nil
	})
	if err != nil {
		return in, fmt.Errorf("deadline agreements: %w", err)
	}
	if len(in.Agreements) == 0 {
		return in, nil
	}
	ids := in.IDs()
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	// The other inputs depend only on ids: sent in one round trip.
	queries := [][]any{
		{`SELECT agreement_id, id, decided_on, decision_ref, new_end_date
		FROM agreement_extensions WHERE agreement_id = ANY($1) ORDER BY agreement_id, new_end_date, id`, ids},
		{`SELECT agreement_id, count(*)::int FROM meetings
		WHERE agreement_id = ANY($1) AND kind = $2 AND held_on >= make_date($3, 1, 1) AND held_on < make_date($3 + 1, 1, 1)
		GROUP BY agreement_id`, ids, string(partnership.MeetingDialogue), year},
		{`SELECT DISTINCT agreement_id, year, period FROM invoices
		WHERE agreement_id = ANY($1) AND year >= $2`, ids, invoicesFrom},
		{`SELECT m.agreement_id, i.meeting_id, i.id, i.text, i.due_on
		FROM meeting_action_items i JOIN meetings m ON m.id = i.meeting_id
		WHERE m.agreement_id = ANY($1) AND i.done_on IS NULL AND i.due_on IS NOT NULL
		ORDER BY i.due_on, i.id`, ids},
	}
	if followUps {
		queries = append(queries, []any{`SELECT f.id, f.agreement_id, p.code AS participant_code, f.months, f.due_on
			FROM followups f JOIN participants p ON p.id = f.participant_id
			WHERE f.agreement_id = ANY($1) AND f.done_on IS NULL
			ORDER BY f.due_on, f.id`, ids})
	}
	next, done := s.batch(ctx, queries)
	defer done()
	var agreementID, id int64
	var n, y, p int
	var due, end, decided time.Time
	var ref string
	rows = next()
	_, err = pgx.ForEachRow(rows, []any{&agreementID, &id, &decided, &ref, &end}, func() error {
		a := &in.Agreements[at[agreementID]]
		a.Extensions = append(a.Extensions, partnership.Extension{ID: id, DecidedOn: decided, DecisionRef: ref, NewEndDate: end})
		return nil
	})
	if err != nil {
		return in, fmt.Errorf("deadline extensions: %w", err)
	}
	rows = next()
	_, err = pgx.ForEachRow(rows, []any{&agreementID, &n}, func() error {
		in.DialogueMeetings[agreementID] = n
		return nil
	})
	if err != nil {
		return in, fmt.Errorf("deadline meetings: %w", err)
	}
	rows = next()
	_, err = pgx.ForEachRow(rows, []any{&agreementID, &y, &p}, func() error {
		in.Invoices[agreementID] = append(in.Invoices[agreementID], partnership.Invoice{AgreementID: agreementID, Year: y, Period: p})
		return nil
	})
	if err != nil {
		return in, fmt.Errorf("deadline invoices: %w", err)
	}
	var meetingID int64
	var text string
	rows = next()
	index := map[int64]int{}
	_, err = pgx.ForEachRow(rows, []any{&agreementID, &meetingID, &id, &text, &due}, func() error {
		ms := in.ActionItems[agreementID]
		i, ok := index[meetingID]
		if !ok {
			i = len(ms)
			index[meetingID] = i
			ms = append(ms, partnership.Meeting{ID: meetingID, AgreementID: agreementID})
		}
		d := due
		ms[i].ActionItems = append(ms[i].ActionItems, partnership.ActionItem{ID: id, MeetingID: meetingID, Text: text, DueOn: &d})
		in.ActionItems[agreementID] = ms
		return nil
	})
	if err != nil {
		return in, fmt.Errorf("deadline action items: %w", err)
	}
	if followUps {
		rows = next()
		list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.OpenFollowUp])
		if err != nil {
			return in, fmt.Errorf("deadline follow-ups: %w", err)
		}
		in.FollowUps = map[int64][]partnership.OpenFollowUp{}
		for _, f := range list {
			in.FollowUps[f.AgreementID] = append(in.FollowUps[f.AgreementID], f)
		}
	}
	return in, nil
}

// batch sends queries (each the SQL and its arguments) in one round trip
// when db can (a pool or a transaction), else one by one; next returns the
// rows of the next query in order, done ends the batch.
func (s *Deadlines) batch(ctx context.Context, queries [][]any) (next func() pgx.Rows, done func()) {
	i := 0
	if sender, ok := s.db.(interface {
		SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
	}); ok {
		b := &pgx.Batch{}
		for _, q := range queries {
			b.Queue(q[0].(string), q[1:]...)
		}
		results := sender.SendBatch(ctx, b)
		return func() pgx.Rows {
				rows, _ := results.Query()
				return rows
			}, func() {
				_ = results.Close()
			}
	}
	return func() pgx.Rows {
		q := queries[i]
		i++
		rows, _ := s.db.Query(ctx, q[0].(string), q[1:]...)
		return rows
	}, func() {}
}

// ReportStates are the states of the annual reports asked for, each a
// pair of agreement and year, by that pair; a report not started is
// absent.
func (s *Deadlines) ReportStates(ctx context.Context, agreementIDs []int64, years []int) (map[[2]int64]string, error) {
	out := map[[2]int64]string{}
	if len(agreementIDs) == 0 {
		return out, nil
	}
	rows, _ := s.db.Query(ctx, `SELECT r.agreement_id, r.year, r.state FROM annual_reports r
		JOIN unnest($1::bigint[], $2::int[]) AS want(agreement_id, year)
		  ON want.agreement_id = r.agreement_id AND want.year = r.year`, agreementIDs, years)
	var id int64
	var year int
	var state string
	_, err := pgx.ForEachRow(rows, []any{&id, &year, &state}, func() error {
		out[[2]int64{id, int64(year)}] = state
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("annual report states: %w", err)
	}
	return out, nil
}

// MeetingsOf returns the meetings of the agreements ids, by agreement,
// each agreement's newest first as Meetings.List orders them, without
// attendees, agenda, decisions or items.
func (s *Deadlines) MeetingsOf(ctx context.Context, ids []int64) (map[int64][]partnership.Meeting, error) {
	out := map[int64][]partnership.Meeting{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := s.db.Query(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE agreement_id = ANY($1)
		ORDER BY agreement_id, held_on DESC, starts_at DESC NULLS LAST, id DESC`, ids)
	list, err := pgx.CollectRows(rows, rowTo(meetingRow.meeting))
	if err != nil {
		return nil, fmt.Errorf("meetings of agreements: %w", err)
	}
	for _, m := range list {
		out[m.AgreementID] = append(out[m.AgreementID], m)
	}
	return out, nil
}
