package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// demoMeeting is a meeting of a demo agreement. Attendees are named by
// their function, not invented people; party is the organisation name of
// the party they attend for, "" for a guest.
type demoMeeting struct {
	kind      partnership.MeetingKind
	on        string
	at        string
	place     string
	attendees []demoAttendee
	agenda    []string
	minutes   string
	decisions []string
	items     []demoItem
}

type demoAttendee struct{ party, name string }

type demoItem struct {
	text, party, owner, due, done string
}

// demoMeetings are IKF's two dialogue meetings of 2024, which the
// agreement (seed 001) requires at least twice a year and the
// administration calls, and a meeting of Stadsmissionen's steering group,
// within which the partnership is followed up during the year (seed 002),
// with one action item still open after its due date.
var demoMeetings = map[string][]demoMeeting{
	"Inkludering på lika villkor": {
		{
			kind: partnership.MeetingDialogue, on: "2024-03-12", at: "13:00",
			place: "Integration- och arbetsmarknadsförvaltningen",
			attendees: []demoAttendee{
				{linkoping, "Handläggare, Integration- och arbetsmarknadsförvaltningen"},
				{ikf, "Verksamhetsledare, IKF"}, {ikf, "Ordförande, IKF"},
			},
			agenda: []string{"Verksamheten sedan årsskiftet", "Förvaltningens utvecklingsarbete", "Rapporten till arbetsmarknadsnämnden"},
			minutes: "IKF berättade om gruppverksamheten och de individuella motiverande insatserna sedan årsskiftet. " +
				"Förvaltningen beskrev utvecklingsarbetet kring förvaltningsstruktur och arbetssätt och hur det kan påverka samverkan.\n\n" +
				"Parterna gick igenom vad den skriftliga rapporten till arbetsmarknadsnämnden ska innehålla.",
			decisions: []string{
				"Parterna ses för nästa dialogmöte i oktober; förvaltningen kallar.",
				"Den årliga rapporten av genomförda aktiviteter och utfall lämnas till arbetsmarknadsnämnden efter årets slut.",
			},
			items: []demoItem{
				{text: "Sammanställa deltagarantal och aktiviteter för första halvåret", party: ikf, due: "2024-08-31", done: "2024-08-26"},
			},
		},
		{
			kind: partnership.MeetingDialogue, on: "2024-10-08", at: "09:30", place: "IKF:s lokal",
			attendees: []demoAttendee{
				{linkoping, "Handläggare, Integration- och arbetsmarknadsförvaltningen"},
				{ikf, "Verksamhetsledare, IKF"}, {ikf, "Familjepedagog, IKF"},
			},
			agenda: []string{"Halvårssammanställningen", "Lärdomar som kan spridas till andra verksamheter", "Överenskommelsens slut 2024-12-31"},
			minutes: "Halvårssammanställningen visade att gruppverksamheten når målgruppen. " +
				"Parterna diskuterade vilka lärdomar om måluppfyllelse som kan komma andra verksamheter till gagn.\n\n" +
				"Överenskommelsen gäller till 2024-12-31. Förvaltningen tar fram underlag om fortsättning.",
			decisions: []string{
				"Förvaltningen tar fram underlag om en ny överenskommelse till arbetsmarknadsnämnden.",
			},
			items: []demoItem{
				{text: "Underlag om fortsatt partnerskap till arbetsmarknadsnämnden", party: linkoping, due: "2024-11-30"},
			},
		},
	},
	"Hoppfull framtid": {
		{
			kind: partnership.MeetingSteeringGroup, on: "2019-05-14", at: "10:00", place: "Linköpings Stadsmission",
			attendees: []demoAttendee{
				{linkoping, "Avdelningschef, avdelningen för arbetsmarknad och integration"},
				{linkoping, "Handläggarstöd, avdelningen för arbetsmarknad och integration"},
				{stadsmissionen, "Verksamhetschef, Linköpings Stadsmission"},
			},
			agenda: []string{"Uppföljning av resurser för målgruppen", "Yrkescoachning och mentorskap", "Årlig uppföljning"},
			minutes: "Styrgruppen följde upp partnerskapet: handläggarstödet och yrkescoachningen fungerar, " +
				"volontärernas mentorskap behöver fler mentorer.",
			decisions: []string{"Den årliga uppföljningen hålls i november.", "Stadsmissionen rekryterar fler mentorer."},
			items: []demoItem{
				{text: "Rekrytera fem nya volontärer som mentorer", party: stadsmissionen, due: "2019-09-30"},
				{text: "Boka lokal för den årliga uppföljningen", owner: "Handläggarstöd", party: linkoping, due: "2019-10-15", done: "2019-10-01"},
			},
		},
	},
}

// loadMeetings stores the demo meetings of an agreement that has none yet.
func loadMeetings(ctx context.Context, db *postgres.DB) error {
	for title, meetings := range demoMeetings {
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			a, err := postgres.NewAgreements(tx).ByTitle(ctx, title)
			if err != nil {
				return err
			}
			store := postgres.NewMeetings(tx)
			if existing, err := store.List(ctx, a.ID); err != nil || len(existing) > 0 {
				return err
			}
			for _, m := range meetings {
				if err := loadMeeting(ctx, store, a, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo meetings of %q: %w", title, err)
		}
	}
	return nil
}

func loadMeeting(ctx context.Context, store *postgres.Meetings, a partnership.Agreement, d demoMeeting) error {
	partyID := func(org string) *int64 {
		for _, p := range a.Parties {
			if p.OrganisationName == org {
				id := p.ID
				return &id
			}
		}
		return nil
	}
	m := partnership.Meeting{AgreementID: a.ID, Kind: d.kind, HeldOn: *date(d.on), StartsAt: d.at, Place: d.place, Minutes: d.minutes}
	for _, at := range d.attendees {
		m.Attendees = append(m.Attendees, partnership.MeetingAttendee{PartyID: partyID(at.party), Name: at.name})
	}
	if err := m.Validate(a.Parties); err != nil {
		return err
	}
	created, err := store.Create(ctx, m, nil)
	if err != nil {
		return err
	}
	for _, p := range d.agenda {
		if _, err := store.AddAgendaPoint(ctx, created.ID, p, nil, nil); err != nil {
			return err
		}
	}
	for _, text := range d.decisions {
		if _, err := store.AddDecision(ctx, created.ID, text); err != nil {
			return err
		}
	}
	for _, it := range d.items {
		item, err := store.AddActionItem(ctx, created.ID, partnership.ActionItem{
			Text: it.text, OwnerPartyID: partyID(it.party), OwnerName: it.owner, DueOn: date(it.due)})
		if err != nil {
			return err
		}
		if it.done != "" {
			if err := store.MarkActionItemDone(ctx, created.ID, item.ID, *date(it.done), nil); err != nil {
				return err
			}
		}
	}
	return nil
}
