package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/postgres"
)

// Sizes is what Generate creates: a municipality-scale data set, the same
// for the same sizes and seed.
type Sizes struct {
	Agreements   int
	Participants int
	Activities   int
	Years        int    // activities and referrals span this many calendar years
	LastYear     int    // the last of them
	Seed         uint64 // the same seed gives the same data
}

// Validate reports sizes Generate cannot honour.
func (s Sizes) Validate() error {
	switch {
	case s.Agreements < 1 || s.Agreements > 100_000:
		return errors.New("--agreements must be between 1 and 100 000")
	case s.Participants < 0 || s.Activities < 0:
		return errors.New("--participants and --activities must not be negative")
	case s.Years < 1 || s.Years > 50:
		return errors.New("--years must be between 1 and 50")
	case s.LastYear-s.Years+1 < 2000 || s.LastYear > 2100:
		return errors.New("the years must lie within 2000–2100")
	}
	return nil
}

// Progress is how far Generate has come, reported after every batch.
type Progress struct {
	Table       string
	Done, Total int
}

// Generated is what Generate wrote, per agreement in the order of their ids.
type Generated struct {
	Organisations int
	Agreements    []GeneratedAgreement
	Types         int
	Targets       int
	BudgetLines   int
	Participants  int
	Activities    int
	Elapsed       time.Duration
}

// GeneratedAgreement is one generated agreement and how many rows it got.
type GeneratedAgreement struct {
	ID           int64
	Participants int
	Activities   int
}

// Rows is the number of rows Generate wrote in all.
func (g Generated) Rows() int {
	return g.Organisations + 2*len(g.Agreements) + g.Types + g.Targets + g.BudgetLines + g.Participants + g.Activities
}

// genBatch is how many rows one transaction copies: large enough for COPY's
// speed, small enough that a failure loses little and progress moves.
const genBatch = 100_000

// genAgreement is a generated agreement while its rows are made.
type genAgreement struct {
	id          int64
	association int64
	types       []int64
	prefix      string
	out         *GeneratedAgreement
}

// Generate writes a synthetic data set of the given sizes for load tests:
// one municipality, an association per agreement (some agreements with a
// partner), three to six activity types per agreement with yearly targets,
// pseudonymous participants without identities and activities spread over
// the years. A few agreements hold most of the participants and
// activities, as in a real municipality (a Zipf-like share). Everything is
// copied with COPY in transactions of genBatch rows; progress, if not nil,
// is called after each batch.
func Generate(ctx context.Context, db *postgres.DB, s Sizes, progress func(Progress)) (Generated, error) {
	if err := s.Validate(); err != nil {
		return Generated{}, err
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	start := time.Now()
	r := rand.New(rand.NewPCG(s.Seed, 0x10b))
	label := fmt.Sprintf("G%d", s.Seed)
	var out Generated
	ags, err := generateAgreements(ctx, db, s, r, label, &out)
	if err != nil {
		return out, err
	}
	progress(Progress{Table: "agreements", Done: len(ags), Total: s.Agreements})
	weights := zipfWeights(len(ags))
	if err := generateParticipants(ctx, db, s, r, ags, weights, progress); err != nil {
		return out, err
	}
	if err := generateActivities(ctx, db, s, r, ags, weights, progress); err != nil {
		return out, err
	}
	for _, a := range ags {
		out.Participants += a.out.Participants
		out.Activities += a.out.Activities
	}
	// VACUUM as well as ANALYZE: the pages are then marked all-visible, as
	// autovacuum leaves a settled database, so counts and lists read from
	// indexes alone instead of visiting every row.
	if _, err := db.Pool.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return out, fmt.Errorf("vacuum and analyse: %w", err)
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// zipfWeights are the cumulative shares of n agreements ranked by size,
// the k-th proportional to 1/k: with 300 agreements the largest ten hold
// about a half of everything.
func zipfWeights(n int) []float64 {
	cum := make([]float64, n)
	total := 0.0
	for k := range n {
		total += 1 / float64(k+1)
		cum[k] = total
	}
	for k := range cum {
		cum[k] /= total
	}
	return cum
}

// pick draws an agreement index by the cumulative weights.
func pick(r *rand.Rand, cum []float64) int {
	return min(sort.SearchFloat64s(cum, r.Float64()), len(cum)-1)
}

// generateAgreements writes the organisations, agreements, parties, types
// and targets in one transaction; they are few.
func generateAgreements(ctx context.Context, db *postgres.DB, s Sizes, r *rand.Rand, label string, out *Generated) ([]*genAgreement, error) {
	ags := make([]*genAgreement, s.Agreements)
	first := s.LastYear - s.Years + 1
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var municipality int64
		if err := tx.QueryRow(ctx, `INSERT INTO organisations (name, kind) VALUES ($1, 'municipality') RETURNING id`,
			"Genererad kommun "+label).Scan(&municipality); err != nil {
			return fmt.Errorf("generate municipality (has seed %d been generated before?): %w", s.Seed, err)
		}
		orgs := make([][]any, s.Agreements)
		for i := range orgs {
			orgs[i] = []any{fmt.Sprintf("Förening %s-%04d", label, i+1), "association"}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"organisations"}, []string{"name", "kind"}, pgx.CopyFromRows(orgs)); err != nil {
			return fmt.Errorf("generate organisations: %w", err)
		}
		assocIDs, err := idsOf(ctx, tx, `SELECT id FROM organisations WHERE name LIKE $1 ORDER BY id`, "Förening "+label+"-%")
		if err != nil {
			return err
		}
		out.Organisations = 1 + len(assocIDs)
		rows := make([][]any, s.Agreements)
		for i := range rows {
			startYear := first + r.IntN(max(s.Years/2, 1))
			startDate := time.Date(startYear, 1, 1, 0, 0, 0, 0, time.UTC)
			endDate := time.Date(s.LastYear+1+r.IntN(3), 12, 31, 0, 0, 0, 0, time.UTC)
			rows[i] = []any{fmt.Sprintf("Överenskommelse %s-%04d", label, i+1), fmt.Sprintf("KS %d-%04d", startYear, i+1),
				"Ett idéburet offentligt partnerskap för etablering och arbete (genererat).", startDate, endDate,
				"active", 10 + r.IntN(200), 4}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"agreements"}, []string{"title", "case_number", "purpose",
			"start_date", "end_date", "status", "participants_max", "dialogue_meetings_per_year"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("generate agreements: %w", err)
		}
		ids, err := idsOf(ctx, tx, `SELECT id FROM agreements WHERE title LIKE $1 ORDER BY id`, "Överenskommelse "+label+"-%")
		if err != nil {
			return err
		}
		out.Agreements = make([]GeneratedAgreement, len(ids))
		var parties, types, prefixes [][]any
		for i, id := range ids {
			out.Agreements[i].ID = id
			a := &genAgreement{id: id, association: assocIDs[i], prefix: fmt.Sprintf("G%d", id), out: &out.Agreements[i]}
			ags[i] = a
			parties = append(parties, []any{id, municipality, "municipality", 0}, []any{id, a.association, "lead_association", 1})
			if i%3 == 0 && len(assocIDs) > 1 {
				parties = append(parties, []any{id, assocIDs[(i+1)%len(assocIDs)], "partner_association", 2})
			}
			for t := range 3 + r.IntN(4) {
				unit := "occasions"
				if t == 0 {
					unit = "hours"
				}
				types = append(types, []any{id, typeNames[(i+t)%len(typeNames)], unit, t})
			}
			prefixes = append(prefixes, []any{id, a.prefix})
		}
		if err := copyAll(ctx, tx, "agreement_parties", []string{"agreement_id", "organisation_id", "role", "position"}, parties); err != nil {
			return err
		}
		if err := copyAll(ctx, tx, "participant_code_prefixes", []string{"agreement_id", "prefix"}, prefixes); err != nil {
			return err
		}
		if err := copyAll(ctx, tx, "activity_types", []string{"agreement_id", "name", "unit", "position"}, types); err != nil {
			return err
		}
		out.Types = len(types)
		if err := generateBudgetLines(ctx, tx, r, ags, out); err != nil {
			return err
		}
		return generateTargets(ctx, tx, s, r, ags, out)
	})
	return ags, err
}

// typeNames are the generated activity types, a few per agreement.
var typeNames = []string{"Språkcafé", "Arbetsträning", "Studiecirkel", "Individuellt stöd", "Föräldragrupp",
	"Friskvård", "Läxhjälp", "Samhällsinformation", "Praktik", "Mentorsträff"}

// generateTargets reads back the types and sets a yearly target for each.
func generateTargets(ctx context.Context, tx pgx.Tx, s Sizes, r *rand.Rand, ags []*genAgreement, out *Generated) error {
	byID := make(map[int64]*genAgreement, len(ags))
	for _, a := range ags {
		byID[a.id] = a
	}
	rows, err := tx.Query(ctx, `SELECT ARRAY[agreement_id, id] FROM activity_types WHERE agreement_id = ANY($1) ORDER BY id`, agreementIDs(ags))
	if err != nil {
		return fmt.Errorf("read generated types: %w", err)
	}
	pairs, err := pgx.CollectRows(rows, pgx.RowTo[[]int64])
	if err != nil {
		return fmt.Errorf("read generated types: %w", err)
	}
	var targets [][]any
	for _, p := range pairs {
		a := byID[p[0]]
		a.types = append(a.types, p[1])
		for y := s.LastYear - s.Years + 1; y <= s.LastYear; y++ {
			low := 20 + r.IntN(400)
			targets = append(targets, []any{p[0], p[1], y, low, low + low/5*r.IntN(2)})
		}
	}
	out.Targets = len(targets)
	return copyAll(ctx, tx, "activity_targets", []string{"agreement_id", "type_id", "year", "target_min", "target_max"}, targets)
}

// budgetTexts are the generated budget lines, per party: the municipality's
// contribution and the association's own, in cash and in kind.
var budgetTexts = []struct{ text, kind string }{
	{"Lönekostnad projektledare", "cash"}, {"Lokalhyra", "cash"}, {"Material och aktiviteter", "cash"},
	{"Resor", "cash"}, {"Ideellt arbete", "in_kind"}, {"Lokal, egen", "in_kind"},
}

// generateBudgetLines gives every party of every agreement two to five
// indexed budget lines, so that the indexation has amounts to compute.
func generateBudgetLines(ctx context.Context, tx pgx.Tx, r *rand.Rand, ags []*genAgreement, out *Generated) error {
	rows, err := tx.Query(ctx, `SELECT ARRAY[agreement_id, id] FROM agreement_parties WHERE agreement_id = ANY($1)
		ORDER BY agreement_id, position, id`, agreementIDs(ags))
	if err != nil {
		return fmt.Errorf("read generated parties: %w", err)
	}
	parties, err := pgx.CollectRows(rows, pgx.RowTo[[]int64])
	if err != nil {
		return fmt.Errorf("read generated parties: %w", err)
	}
	var lines [][]any
	position := map[int64]int{}
	for _, p := range parties {
		for range 2 + r.IntN(4) {
			b := budgetTexts[r.IntN(len(budgetTexts))]
			position[p[0]]++
			lines = append(lines, []any{p[0], p[1], position[p[0]], b.text, b.kind, r.IntN(10) > 0,
				int64(10_000+r.IntN(900_000)) * 100})
		}
	}
	out.BudgetLines = len(lines)
	return copyAll(ctx, tx, "budget_lines", []string{"agreement_id", "party_id", "position", "text", "kind", "indexed", "amount"}, lines)
}

func agreementIDs(ags []*genAgreement) []int64 {
	ids := make([]int64, len(ags))
	for i, a := range ags {
		ids[i] = a.id
	}
	return ids
}

func idsOf(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read generated ids: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func copyAll(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("generate %s: %w", table, err)
	}
	return nil
}
