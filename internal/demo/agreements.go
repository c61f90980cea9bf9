package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// demoAgreement is an agreement of the source documents, with its parties
// named by organisation.
type demoAgreement struct {
	agreement partnership.Agreement
	parties   []demoParty
}

type demoParty struct {
	organisation string
	party        partnership.Party
}

func date(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func intp(n int) *int { return &n }

const (
	linkoping      = "Linköpings kommun"
	kisam          = "KISAM-Världens mammor"
	ikf            = "Internationella Kvinnoföreningen Linköping (IKF)"
	stadsmissionen = "Linköpings Stadsmission"
)

// agreements are the four partnerships of shared/seeds as the documents
// state them: KISAM's has no dates or signatures (a draft whose checklist
// shows what is missing), IKF's and Stadsmissionen's are signed, and the
// Botkyrka description names five parties but no period.
var agreements = []demoAgreement{
	{
		agreement: partnership.Agreement{
			Title: "Förstegsinsats med KISAM-Världens mammor", Committee: "Arbetsmarknadsnämnden",
			Administration: "Arbetsmarknadsförvaltningen",
			Sections: partnership.Sections{
				Purpose: kisamPurpose, Background: kisamBackground, Values: kisamValues,
				TargetGroup: kisamTargetGroup, Activities: kisamActivities, Organisation: kisamOrganisation,
				Economy: kisamEconomy, FollowUp: kisamFollowUp,
			},
			ParticipantsMin: intp(40), ParticipantsMax: intp(60),
			DialogueMeetingsPerYear: 1, RepresentativesPerParty: 2,
			Status: partnership.StatusDraft,
		},
		parties: []demoParty{
			{linkoping, partnership.Party{Role: partnership.PartyMunicipality,
				Contribution: "Löner 2 anställda hel- och deltid med verksamhetskostnader 1 095 000 kr och kunskapsutflykter 10 st/heldagar/år 156 000 kr, totalt 1 251 000 kr per år."}},
			{kisam, partnership.Party{Role: partnership.PartyLeadAssociation,
				Contribution: "Ideellt arbete, heltidsanställd för praktiskt genomförande, hyra för lokal och fika, 834 000 kr per år."}},
		},
	},
	{
		agreement: partnership.Agreement{
			Title: "Inkludering på lika villkor", Committee: "Arbetsmarknadsnämnden",
			Administration: "Integration- och arbetsmarknadsförvaltningen",
			Sections: partnership.Sections{
				Purpose: ikfPurpose, Background: ikfBackground, Values: ikfValues, TargetGroup: ikfTargetGroup,
				Activities: ikfActivities, Organisation: ikfOrganisation, Economy: ikfEconomy,
				FollowUp: ikfFollowUp, TerminationTerms: ikfTermination,
			},
			StartDate: date("2023-01-01"), EndDate: date("2024-12-31"),
			ParticipantsMin: intp(60), DialogueMeetingsPerYear: 2,
			ReportingDuties:  "Parterna åtar sig att en gång per år rapportera genomförda aktiviteter och utfall av dessa skriftligt till arbetsmarknadsnämnden.",
			InvoiceFrequency: partnership.InvoiceYearly,
			InvoiceAddress:   "Linköpings Kommun, Integration- och arbetsmarknadsförvaltningen\nSkanningcentralen 150Z\n581 81 LINKÖPING",
			InvoiceReference: "150Z", InvoiceMarking: "ID 150010", ActivityCode: "450211",
			InvoiceLabel: "IOP Internationella kvinnoföreningen IKF",
			Status:       partnership.StatusActive,
		},
		parties: []demoParty{
			{linkoping, partnership.Party{Role: partnership.PartyMunicipality,
				SignatoryName: "Mikaela Schullström", SignatoryTitle: "Integration- och arbetsmarknadsdirektör, Integration- och arbetsmarknadsförvaltningen",
				Contribution: "Handledning för gruppverksamheten samt personalkostnader för administration och ekonomi, 450 000 kronor per år."}},
			{ikf, partnership.Party{Role: partnership.PartyLeadAssociation,
				SignatoryName: "Gunilla Rolling", SignatoryTitle: "Ordförande, Internationella Kvinnoföreningen i Linköping",
				Contribution: "Arbetstid för individuella motiverande insatser och familjepedagog, samordning med kommunen och lokalkostnader, 450 000 kronor per år."}},
		},
	},
	{
		agreement: partnership.Agreement{
			Title: "Hoppfull framtid", Committee: "Arbetsmarknadsnämnden",
			Sections: partnership.Sections{
				Purpose: smPurpose, Background: smBackground, Values: smValues, TargetGroup: smTargetGroup,
				Activities: smActivities, Organisation: smOrganisation, Economy: smEconomy,
				FollowUp: smFollowUp, TerminationTerms: smTermination,
			},
			StartDate: date("2018-01-01"), EndDate: date("2019-12-31"),
			ExtensionMonths: 24, MaxExtensions: 2,
			ParticipantsMin: intp(40), ParticipantsMax: intp(80), DialogueMeetingsPerYear: 1,
			ReportingDuties:  "Linköpings Stadsmission åtar sig att en gång per år rapportera arbetet skriftligt till arbetsmarknadsnämnden.",
			InvoiceAddress:   "Linköpings kommun\nScanningscentralen 123 E\n581 81 Linköping",
			InvoiceReference: "385-612 (arbetsmarknadssatsning)",
			Status:           partnership.StatusActive,
		},
		parties: []demoParty{
			{linkoping, partnership.Party{Role: partnership.PartyMunicipality, SignatoryName: "Helena Paulsson",
				Contribution: "Lönen för två heltidstjänster för handläggarstödet, 1 100 000 kr per år."}},
			{stadsmissionen, partnership.Party{Role: partnership.PartyLeadAssociation, SignatoryName: "Sanna Detlefsen",
				Contribution: "Yrkescoachning, utbildningslokal, teknik och utbildningsmaterial samt volontärsinsats (mentorskap), 980 500 kr per år."}},
		},
	},
	{
		agreement: partnership.Agreement{
			Title: "IOP Kvinna Botkyrka – Tillväxt Kvinna",
			Sections: partnership.Sections{
				Purpose: botkyrkaPurpose, Background: botkyrkaBackground, TargetGroup: botkyrkaTargetGroup,
				Activities: botkyrkaActivities, Organisation: botkyrkaOrganisation, FollowUp: botkyrkaFollowUp,
			},
			Status: partnership.StatusDraft,
		},
		parties: []demoParty{
			{"Botkyrka kommun", partnership.Party{Role: partnership.PartyMunicipality,
				Contribution: "Samordning samt aktiviteter med fokus arbetsgivare/företag."}},
			{"Arbetsförmedlingen", partnership.Party{Role: partnership.PartyReferringAuthority,
				Contribution: "Anvisar deltagare till verksamheterna."}},
			{"Hela Människan", partnership.Party{Role: partnership.PartyPartnerAssociation}},
			{"Studieförbundet Bilda", partnership.Party{Role: partnership.PartyPartnerAssociation}},
			{"Botkyrka folkhögskola", partnership.Party{Role: partnership.PartyPartnerAssociation,
				Contribution: "Utbildning (folkhögskola) med inriktning handel."}},
		},
	},
}

// loadAgreements creates the demo agreements that do not exist yet, each in
// one transaction with its audit event.
func loadAgreements(ctx context.Context, db *postgres.DB, orgIDs map[string]int64) error {
	for _, d := range agreements {
		a := d.agreement
		for _, p := range d.parties {
			id, ok := orgIDs[p.organisation]
			if !ok {
				return fmt.Errorf("demo agreement %q: unknown organisation %q", a.Title, p.organisation)
			}
			party := p.party
			party.OrganisationID = id
			a.Parties = append(a.Parties, party)
		}
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			store := postgres.NewAgreements(tx)
			if _, err := store.ByTitle(ctx, a.Title); err == nil {
				return nil
			} else if !errors.Is(err, partnership.ErrNotFound) {
				return err
			}
			created, err := store.Create(ctx, a)
			if err != nil {
				return err
			}
			return postgres.NewAudit(tx).Record(ctx, partnership.AuditEvent{
				Action: "agreement.create", Entity: "agreement", EntityID: fmt.Sprint(created.ID),
				Details: map[string]any{"title": created.Title, "source": "demo"},
			})
		})
		if err != nil {
			return fmt.Errorf("demo agreement %q: %w", a.Title, err)
		}
	}
	return nil
}
