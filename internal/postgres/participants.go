package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Participants stores the participant register. It stores identities only
// as SealedIdentity, sealed and opened by the participant service; it never
// sees a plaintext identity. Tenancy is decided before the store is called.
type Participants struct{ db DBTX }

// NewParticipants returns a participant store on db (a pool or a transaction).
func NewParticipants(db DBTX) *Participants { return &Participants{db: db} }

// SealedIdentity is a participant's identity as stored: the ciphertext, the
// id of the key it is sealed under, and the blind index of the personnummer
// (nil when no personnummer is given).
type SealedIdentity struct {
	KeyID      string
	Ciphertext []byte
	PnrIndex   []byte
}

// StaleIdentity is a participant's sealed identity found by a key rotation.
type StaleIdentity struct {
	ParticipantID int64
	SealedIdentity
}

const participantColumns = `id, agreement_id, code, gender, birth_year, birth_region, years_in_sweden, education,
	labour_status, income_source, living_area, work_capacity_hours, cohort, referred_on, referral_source,
	referred_by, enrolled_on, declined_on, decline_reason, decline_note, exited_on, exit_destination,
	identity_ciphertext IS NOT NULL AS has_identity, version, created_at, updated_at`

type participantRow struct {
	ID                int64
	AgreementID       int64
	Code              string
	Gender            string
	BirthYear         int
	BirthRegion       string
	YearsInSweden     *int
	Education         string
	LabourStatus      string
	IncomeSource      string
	LivingArea        string
	WorkCapacityHours *int
	Cohort            string
	ReferredOn        time.Time
	ReferralSource    string
	ReferredBy        *int64
	EnrolledOn        *time.Time
	DeclinedOn        *time.Time
	DeclineReason     *string
	DeclineNote       string
	ExitedOn          *time.Time
	ExitDestination   *string
	HasIdentity       bool
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (r participantRow) participant() partnership.Participant {
	p := partnership.Participant{
		ID: r.ID, AgreementID: r.AgreementID, Code: r.Code, Gender: partnership.Gender(r.Gender),
		BirthYear: r.BirthYear, BirthRegion: partnership.BirthRegion(r.BirthRegion), YearsInSweden: r.YearsInSweden,
		Education: partnership.Education(r.Education), LabourStatus: partnership.LabourStatus(r.LabourStatus),
		IncomeSource: partnership.IncomeSource(r.IncomeSource), LivingArea: r.LivingArea,
		WorkCapacityHours: r.WorkCapacityHours, Cohort: r.Cohort, ReferredOn: r.ReferredOn,
		ReferralSource: partnership.ReferralSource(r.ReferralSource), ReferredBy: r.ReferredBy,
		EnrolledOn: r.EnrolledOn, DeclinedOn: r.DeclinedOn, DeclineNote: r.DeclineNote, ExitedOn: r.ExitedOn,
		HasIdentity: r.HasIdentity, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.DeclineReason != nil {
		p.DeclineReason = partnership.DeclineReason(*r.DeclineReason)
	}
	if r.ExitDestination != nil {
		p.ExitDestination = partnership.ExitDestination(*r.ExitDestination)
	}
	return p
}

// nullIfZero is s as a nullable column: NULL for the empty code.
func nullIfZero[T ~string](s T) *string {
	if s == "" {
		return nil
	}
	v := string(s)
	return &v
}

// CodePrefix returns the agreement's code prefix, fixing it on first use:
// the first of base, base2, base3, … that no other agreement holds. Two
// transactions fixing the same agreement's prefix at once end with the
// same prefix, as the second waits on the first's insert and then finds it.
func (s *Participants) CodePrefix(ctx context.Context, agreementID int64, base string) (string, error) {
	for n := 0; n < 1000; n++ {
		if _, err := s.db.Exec(ctx, `INSERT INTO participant_code_prefixes (agreement_id, prefix) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, agreementID, partnership.ParticipantPrefixCandidate(base, n)); err != nil {
			return "", fmt.Errorf("fix code prefix of agreement %d: %w", agreementID, err)
		}
		var prefix string
		err := s.db.QueryRow(ctx, `SELECT prefix FROM participant_code_prefixes WHERE agreement_id = $1`, agreementID).Scan(&prefix)
		if err == nil {
			return prefix, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return "", fmt.Errorf("code prefix of agreement %d: %w", agreementID, err)
		}
		// The candidate is another agreement's: try the next.
	}
	return "", fmt.Errorf("code prefix of agreement %d: no free prefix from %q", agreementID, base)
}

// NextNumber takes the next number of the agreement's referrals in year.
// The sequence row stays locked until the transaction ends, so concurrent
// registrations get consecutive numbers and never the same.
func (s *Participants) NextNumber(ctx context.Context, agreementID int64, year int) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `INSERT INTO participant_code_sequences (agreement_id, year, last_number) VALUES ($1, $2, 1)
		ON CONFLICT (agreement_id, year) DO UPDATE SET last_number = participant_code_sequences.last_number + 1
		RETURNING last_number`, agreementID, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next participant number of agreement %d in %d: %w", agreementID, year, err)
	}
	return n, nil
}

func participantArgs(p partnership.Participant) []any {
	return []any{
		string(p.Gender), p.BirthYear, string(p.BirthRegion), p.YearsInSweden, string(p.Education),
		string(p.LabourStatus), string(p.IncomeSource), p.LivingArea, p.WorkCapacityHours, p.Cohort,
		p.ReferredOn, string(p.ReferralSource), p.EnrolledOn, p.DeclinedOn, nullIfZero(p.DeclineReason),
		p.DeclineNote, p.ExitedOn, nullIfZero(p.ExitDestination),
	}
}

// Create inserts p with its code; p.ID, Version and HasIdentity are ignored.
func (s *Participants) Create(ctx context.Context, p partnership.Participant) (partnership.Participant, error) {
	args := append([]any{p.AgreementID, p.Code, p.ReferredBy}, participantArgs(p)...)
	return s.one(ctx, "create participant", `INSERT INTO participants (agreement_id, code, referred_by,
		gender, birth_year, birth_region, years_in_sweden, education, labour_status, income_source, living_area,
		work_capacity_hours, cohort, referred_on, referral_source, enrolled_on, declined_on, decline_reason,
		decline_note, exited_on, exit_destination)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
		RETURNING `+participantColumns, args...)
}

// Update saves the statistical and lifecycle fields of p over the stored
// participant, provided it is still at p.Version; the code, agreement and
// referrer never change. A participant changed meanwhile is ErrConflict.
func (s *Participants) Update(ctx context.Context, p partnership.Participant) (partnership.Participant, error) {
	args := append([]any{p.ID, p.Version}, participantArgs(p)...)
	saved, err := s.one(ctx, fmt.Sprintf("update participant %d", p.ID), `UPDATE participants SET
		gender = $3, birth_year = $4, birth_region = $5, years_in_sweden = $6, education = $7, labour_status = $8,
		income_source = $9, living_area = $10, work_capacity_hours = $11, cohort = $12, referred_on = $13,
		referral_source = $14, enrolled_on = $15, declined_on = $16, decline_reason = $17, decline_note = $18,
		exited_on = $19, exit_destination = $20, version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $2 RETURNING `+participantColumns, args...)
	if errors.Is(err, partnership.ErrNotFound) {
		if _, err := s.ByID(ctx, p.ID); err != nil {
			return partnership.Participant{}, err
		}
		return partnership.Participant{}, fmt.Errorf("participant %d changed since version %d: %w", p.ID, p.Version, partnership.ErrConflict)
	}
	return saved, err
}

// ByID returns the participant with the id.
func (s *Participants) ByID(ctx context.Context, id int64) (partnership.Participant, error) {
	return s.one(ctx, fmt.Sprintf("participant %d", id), `SELECT `+participantColumns+` FROM participants WHERE id = $1`, id)
}

// ByIDForUpdate returns the participant with the id and locks its row until
// the transaction ends, so that changes based on it do not interleave.
func (s *Participants) ByIDForUpdate(ctx context.Context, id int64) (partnership.Participant, error) {
	return s.one(ctx, fmt.Sprintf("participant %d", id), `SELECT `+participantColumns+` FROM participants WHERE id = $1 FOR UPDATE`, id)
}

func (s *Participants) one(ctx context.Context, what, sql string, args ...any) (partnership.Participant, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	p, err := pgx.CollectExactlyOneRow(rows, rowTo(participantRow.participant))
	if err != nil {
		return partnership.Participant{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return p, nil
}

// Sealed returns the participant's sealed identity; ErrNotFound when the
// participant has none (or does not exist).
func (s *Participants) Sealed(ctx context.Context, id int64) (SealedIdentity, error) {
	var si SealedIdentity
	err := s.db.QueryRow(ctx, `SELECT identity_key_id, identity_ciphertext, pnr_index FROM participants
		WHERE id = $1 AND identity_ciphertext IS NOT NULL`, id).Scan(&si.KeyID, &si.Ciphertext, &si.PnrIndex)
	if err != nil {
		return SealedIdentity{}, fmt.Errorf("identity of participant %d: %w", id, mapError(err))
	}
	return si, nil
}

// SetSealed stores the participant's sealed identity, or erases it when si
// is nil.
func (s *Participants) SetSealed(ctx context.Context, id int64, si *SealedIdentity) error {
	var keyID *string
	var ct, idx []byte
	if si != nil {
		keyID, ct, idx = &si.KeyID, si.Ciphertext, si.PnrIndex
	}
	tag, err := s.db.Exec(ctx, `UPDATE participants SET identity_key_id = $2, identity_ciphertext = $3, pnr_index = $4,
		updated_at = now() WHERE id = $1`, id, keyID, ct, idx)
	if err != nil {
		return fmt.Errorf("store identity of participant %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store identity of participant %d: %w", id, partnership.ErrNotFound)
	}
	return nil
}

// WithPnrIndex returns the participants, other than exceptID, whose
// personnummer has the blind index idx.
func (s *Participants) WithPnrIndex(ctx context.Context, idx []byte, exceptID int64) ([]partnership.Participant, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+participantColumns+` FROM participants
		WHERE pnr_index = $1 AND id <> $2 ORDER BY id`, idx, exceptID)
	list, err := pgx.CollectRows(rows, rowTo(participantRow.participant))
	if err != nil {
		return nil, fmt.Errorf("participants by personnummer index: %w", err)
	}
	return list, nil
}

// StaleIdentities returns at most limit sealed identities under another key
// than currentKeyID, locked until the transaction ends; rows another
// rotation holds are skipped, so two rotations never re-encrypt one row
// twice.
func (s *Participants) StaleIdentities(ctx context.Context, currentKeyID string, limit int) ([]StaleIdentity, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, identity_key_id, identity_ciphertext, pnr_index FROM participants
		WHERE identity_key_id IS NOT NULL AND identity_key_id <> $1
		ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, currentKeyID, limit)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (StaleIdentity, error) {
		var st StaleIdentity
		err := row.Scan(&st.ParticipantID, &st.KeyID, &st.Ciphertext, &st.PnrIndex)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("identities not under key %s: %w", currentKeyID, err)
	}
	return list, nil
}

// ReachableParticipant reads participant id as the actor may reach it,
// locked for update when forUpdate, with the organisations that are parties
// to its agreement. A participant the actor may not see is
// partnership.ErrNotFound, so that nobody can tell another association's
// participant, or another coordinator's referral, from one that does not
// exist. Every use case that acts on one participant starts here.
func ReachableParticipant(ctx context.Context, db DBTX, actor partnership.Actor, id int64, forUpdate bool) (partnership.Participant, []int64, error) {
	store := NewParticipants(db)
	read := store.ByID
	if forUpdate {
		read = store.ByIDForUpdate
	}
	p, err := read(ctx, id)
	if err != nil {
		return partnership.Participant{}, nil, err
	}
	ag, err := NewAgreements(db).ByID(ctx, p.AgreementID)
	if err != nil {
		return partnership.Participant{}, nil, err
	}
	parties := ag.PartyOrganisations()
	if !partnership.MaySeeParticipant(actor, p, parties) {
		return partnership.Participant{}, nil, fmt.Errorf("participant %d: %w", id, partnership.ErrNotFound)
	}
	return p, parties, nil
}
