package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/report"
)

// demoReport is an annual report of a demo agreement, written by the
// association's staff user and, when approved, approved by the officer.
type demoReport struct {
	title, staff string
	year         int
	approved     bool
	narrative    postgres.Narrative
}

// demoReports are IKF's approved report of 2024 and Stadsmissionen's
// submitted report of 2019, awaiting the officer. The narratives say only
// what the agreements (seeds 001, 002) and the demo meetings say; every
// figure is computed from what is recorded.
var demoReports = []demoReport{
	{
		title: "Inkludering på lika villkor", staff: "ikf@iop.example", year: 2024, approved: true,
		narrative: postgres.Narrative{
			Activities: "IKF har arrangerat aktiviteter utifrån ett holistiskt hälsoperspektiv: promenader i naturen och utflykter " +
				"till närliggande utflyktsmål, lättare träningspass och gruppsamtal. Deltagarna har fått stöd av familjepedagog i " +
				"aktiviteterna och individuella motiverande samtal.\n\n" +
				"Män och barn i deltagarnas familjer har tagits emot främst i de aktiviteter som leds av familjepedagogen. " +
				"Aktiviteterna har planerats och genomförts av volontärer och personal, med idéer från deltagarna själva.",
			Results: "Verksamheten har erbjudit ett rum förbehållet kvinnor där deltagarna möter andra kvinnor. " +
				"Halvårssammanställningen, som parterna gick igenom vid dialogmötet i oktober, visade att gruppverksamheten når målgruppen.\n\n" +
				"Deltagare, aktiviteter och utfall redovisas i siffrorna nedan, som tas fram ur det som registrerats under året.",
			Lessons: "När aktiviteterna utgår från deltagarnas egna idéer växer förtroendet för verksamheten. " +
				"Parterna har vid dialogmötena diskuterat vilka lärdomar om måluppfyllelse som kan komma andra verksamheter till gagn.",
			Challenges: "Målgruppen bor framför allt i områden med socioekonomiska utmaningar, och brister i svenska språket gör att många " +
				"känner utanförskap. Förvaltningens utvecklingsarbete kring förvaltningsstruktur och arbetssätt kan påverka samverkan " +
				"kring anvisningar och uppföljningssamtal; parterna följer det vid dialogmötena.",
			NextYear: "Överenskommelsen gäller till och med 2024-12-31. Förvaltningen tar fram underlag om en ny överenskommelse " +
				"till arbetsmarknadsnämnden. IKF vill fortsätta verksamheten och verka för att minst 60 deltagare per år bereds plats.",
		},
	},
	{
		title: "Hoppfull framtid", staff: "stadsmissionen@iop.example", year: 2019,
		narrative: postgres.Narrative{
			Activities: "Stadsmissionen har erbjudit yrkescoachning, coachning och handledande samtal, teoretisk yrkesutbildning, " +
				"jobbsökaraktiviteter och workshops i utbildningslokalen samt volontärers mentorskap. Kommunens handläggarstöd har " +
				"arbetat i verksamheten. Deltagarna följs med individuella utvecklingsplaner (IUP) med regelbundna uppföljningar.",
			Results: "Insatserna syftar till en progression enligt GA-modellen, så att deltagarna efter avslutad insats går vidare mot " +
				"studier eller arbete. Deltagare, stegförflyttningar och vad deltagarna gått vidare till redovisas i siffrorna nedan.",
			Lessons: "Styrgruppen konstaterade vid mötet i maj att handläggarstödet och yrkescoachningen fungerar. Samarbetet med " +
				"andra idéburna aktörer och Jobb- och kunskapstorget gör att deltagare kan fångas upp direkt.",
			Challenges: "Volontärernas mentorskap behöver fler mentorer, och rekryteringen av nya mentorer pågår. Många i målgruppen " +
				"har negativa erfarenheter av insatser från myndigheter, och det tar tid att bygga förtroende.",
			NextYear: "Överenskommelsen gäller till och med 2019-12-31 med möjlighet till förlängning två år i taget. Stadsmissionen " +
				"vill fortsätta partnerskapet och erbjuda arbetsmarknadspolitiska anställningar inom sina verksamheter som ett utvecklingssteg.",
		},
	},
}

// loadAnnualReports writes and submits the demo reports through the
// annual report service, as the association's staff would, unless the
// agreement already has that year's report. The approved one is stored
// with its figures as approved, but its year is not locked: the demo data
// is history loaded as it stands, and the lock would stop the budget and
// activity pages of the demo (and their tests) from changing 2024.
func loadAnnualReports(ctx context.Context, db *postgres.DB, now time.Time) error {
	clock := func() time.Time { return now }
	figures := report.NewService(db, clock)
	svc := annualreport.NewService(db, figures, clock)
	officer, err := demoActor(ctx, db, officerEmail) // who approves the approved one
	if err != nil {
		return err
	}
	for _, d := range demoReports {
		if err := loadAnnualReport(ctx, db, svc, figures, officer, d); err != nil {
			return fmt.Errorf("demo annual report %d of %q: %w", d.year, d.title, err)
		}
	}
	return nil
}

func loadAnnualReport(ctx context.Context, db *postgres.DB, svc *annualreport.Service, figures *report.Service,
	officer partnership.Actor, d demoReport) error {
	a, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, d.title)
	if err != nil {
		return err
	}
	if _, err := postgres.NewAnnualReports(db.Pool).Get(ctx, a.ID, d.year); !errors.Is(err, partnership.ErrNotFound) {
		return err // there already, or the lookup failed
	}
	staff, err := demoActor(ctx, db, d.staff)
	if err != nil {
		return err
	}
	saved, err := svc.SaveDraft(ctx, staff, a.ID, d.year, 0, d.narrative)
	if err != nil {
		return err
	}
	if saved, err = svc.Submit(ctx, staff, a.ID, d.year, saved.Version, d.narrative); err != nil || !d.approved {
		return err
	}
	rep, err := figures.Agreement(ctx, officer, a.ID, d.year)
	if err != nil {
		return err
	}
	snapshot, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx pgx.Tx) error {
		approved, err := postgres.NewAnnualReports(tx).Approve(ctx, a.ID, d.year, saved.Version, officer.ActorID(), snapshot)
		if err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, officer.Event("annual_report.approve", "agreement", strconv.FormatInt(a.ID, 10),
			map[string]any{"year": d.year, "report_id": approved.ID, "state": approved.State, "version": approved.Version, "source": "demo"}))
	})
}

// demoActor is the demo user of email acting from the command line.
func demoActor(ctx context.Context, db *postgres.DB, email string) (partnership.Actor, error) {
	u, err := postgres.NewUsers(db.Pool).ByEmail(ctx, email)
	if err != nil {
		return partnership.Actor{}, fmt.Errorf("demo user %s: %w", email, err)
	}
	actor := partnership.ActorOf(u, "")
	actor.Via = "cli"
	return actor, nil
}
