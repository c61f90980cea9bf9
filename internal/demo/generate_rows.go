package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/postgres"
)

// copyBatches copies total rows made by next into table, genBatch rows per
// transaction, reporting progress after each; after runs in the last
// transaction.
func copyBatches(ctx context.Context, db *postgres.DB, table string, cols []string, total int,
	next func() []any, progress func(Progress), after func(tx pgx.Tx) error) error {
	done := 0
	for done < total {
		n := min(genBatch, total-done)
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			i := 0
			src := pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				i++
				return next(), nil
			})
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
				return fmt.Errorf("generate %s: %w", table, err)
			}
			if done+n == total && after != nil {
				return after(tx)
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += n
		progress(Progress{Table: table, Done: done, Total: total})
	}
	return nil
}

// randomDay is a day of the generated years.
func randomDay(r *rand.Rand, s Sizes) time.Time {
	first := time.Date(s.LastYear-s.Years+1, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(s.LastYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	return first.AddDate(0, 0, r.IntN(days))
}

var (
	genGenders    = []string{"woman", "woman", "woman", "man", "man", "non_binary", "not_stated"}
	genRegions    = []string{"sweden", "nordic", "eu", "europe", "africa", "africa", "asia", "asia", "asia", "south_america", "unknown"}
	genEducations = []string{"isced_0_2", "isced_0_2", "isced_3_4", "isced_5", "isced_6_8", "unknown"}
	genLabour     = []string{"registered_unemployed", "registered_unemployed", "unregistered_unemployed", "in_programme", "outside", "unknown"}
	genIncome     = []string{"social_assistance", "social_assistance", "establishment_allowance", "activity_support", "none", "unknown"}
	genSources    = []string{"employment_service", "social_services", "social_services", "self", "other"}
	genExits      = []string{"work", "work", "studies", "other_measure", "parental_leave", "moved", "unknown"}
	genDeclines   = []string{"no_show", "participant_before_interview", "participant_after_interview", "association_after_interview"}
)

func oneOf(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// generateParticipants copies the participants, pseudonymous and without
// identities, with codes numbered per agreement and referral year as the
// application numbers them, and records the last numbers so that a
// registration afterwards continues the series.
func generateParticipants(ctx context.Context, db *postgres.DB, s Sizes, r *rand.Rand, ags []*genAgreement,
	weights []float64, progress func(Progress)) error {
	type key struct {
		agreement int64
		year      int
	}
	last := map[key]int{}
	var order []key // first use, so the sequences are written in a fixed order
	next := func() []any {
		a := ags[pick(r, weights)]
		a.out.Participants++
		referred := randomDay(r, s)
		k := key{a.id, referred.Year()}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k]++
		var enrolled, declined, exited *time.Time
		var declineReason, destination *string
		switch roll := r.IntN(10); {
		case roll < 8:
			e := referred.AddDate(0, 0, r.IntN(30))
			enrolled = &e
			// A programme lasts months, not years: only those enrolled
			// lately are still in it at the end of the last year.
			if x := e.AddDate(0, 0, 60+r.IntN(640)); x.Year() <= s.LastYear {
				d := oneOf(r, genExits)
				exited, destination = &x, &d
			}
		case roll < 9:
			d := referred.AddDate(0, 0, r.IntN(20))
			reason := oneOf(r, genDeclines)
			declined, declineReason = &d, &reason
		}
		return []any{a.id, fmt.Sprintf("%s-%04d-%03d", a.prefix, k.year, last[k]), oneOf(r, genGenders),
			referred.Year() - 18 - r.IntN(45), oneOf(r, genRegions), oneOf(r, genEducations), oneOf(r, genLabour),
			oneOf(r, genIncome), referred, oneOf(r, genSources), enrolled, declined, declineReason, exited, destination}
	}
	sequences := func(tx pgx.Tx) error {
		rows := make([][]any, len(order))
		for i, k := range order {
			rows[i] = []any{k.agreement, k.year, last[k]}
		}
		return copyAll(ctx, tx, "participant_code_sequences", []string{"agreement_id", "year", "last_number"}, rows)
	}
	if s.Participants == 0 {
		return nil
	}
	return copyBatches(ctx, db, "participants", []string{"agreement_id", "code", "gender", "birth_year", "birth_region",
		"education", "labour_status", "income_source", "referred_on", "referral_source", "enrolled_on", "declined_on",
		"decline_reason", "exited_on", "exit_destination"}, s.Participants, next, progress, sequences)
}

// generateActivities copies the activities in date order across all
// agreements, interleaved as they are when logged day by day.
func generateActivities(ctx context.Context, db *postgres.DB, s Sizes, r *rand.Rand, ags []*genAgreement,
	weights []float64, progress func(Progress)) error {
	if s.Activities == 0 {
		return nil
	}
	first := time.Date(s.LastYear-s.Years+1, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(s.LastYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	g := 0
	next := func() []any {
		day := first.AddDate(0, 0, int(int64(g)*int64(days)/int64(s.Activities)))
		g++
		a := ags[pick(r, weights)]
		a.out.Activities++
		typ := a.types[r.IntN(len(a.types))]
		return []any{a.id, typ, day, 30 + 15*r.IntN(14), r.IntN(15), r.IntN(6), r.IntN(2), r.IntN(9),
			r.IntN(5) * 60, 1 + r.IntN(3), "Föreningens lokal", a.association}
	}
	return copyBatches(ctx, db, "activities", []string{"agreement_id", "type_id", "activity_date", "duration_minutes",
		"women", "men", "non_binary", "children", "volunteer_minutes", "staff_present", "place", "organisation_id"},
		s.Activities, next, progress, nil)
}
