package participant

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Imported is the outcome of an import: how many participants were
// registered, how many with an identity, and how many of those had a
// personnummer another participant has too. The duplicates are a count
// only: an import names nobody else's participants.
type Imported struct {
	Count        int
	WithIdentity int
	Duplicates   int
}

// Import registers the participants read from an import file to the
// agreement, all or none, in one transaction: each as Register would
// (code, consent, sealed identity, one "participant.create" event) and one
// "participant.import" event for the whole file. Only the association
// staff of a party import; a coordinator refers one participant at a time.
// Every row is checked before anything is stored; the problems of all
// rows, and a problem found only in the database, are partnership.ImportErrors
// by row and column, and then nothing is stored. Other roles get
// partnership.ErrForbidden, staff of another association
// partnership.ErrNotFound.
func (s *Service) Import(ctx context.Context, actor partnership.Actor, agreementID int64, rows []partnership.ParticipantImportRow) (Imported, error) {
	if actor.Role != partnership.RoleAssociationStaff {
		return Imported{}, fmt.Errorf("role %q importing participants: %w", actor.Role, partnership.ErrForbidden)
	}
	if len(rows) == 0 {
		return Imported{}, partnership.ImportErrors{{Row: 2, Message: "Filen innehåller inga deltagare under rubrikraden."}}
	}
	today := s.today()
	regs := make([]Registration, len(rows))
	var problems partnership.ImportErrors
	for i, row := range rows {
		in, err := checkRegistration(actor, agreementID, Registration{
			Participant: row.Participant, Identity: row.Identity, ConsentGivenOn: row.ConsentGivenOn,
		}, today)
		var v partnership.ValidationError
		if errors.As(err, &v) {
			problems = append(problems, partnership.ParticipantImportErrors(row.Row, v)...)
		}
		regs[i] = in
	}
	var out Imported
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		ag, err := registrable(ctx, tx, actor, agreementID, today)
		if err != nil {
			return rowProblems(0, err)
		}
		if len(problems) > 0 {
			return problems
		}
		for i, in := range regs {
			reg, err := s.register(ctx, tx, actor, ag, in)
			if err != nil {
				return rowProblems(rows[i].Row, err)
			}
			out.Count++
			if reg.Participant.HasIdentity {
				out.WithIdentity++
			}
			if reg.Duplicate.Found() {
				out.Duplicates++
			}
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("participant.import", "agreement", strconv.FormatInt(agreementID, 10),
			map[string]any{"count": out.Count, "with_identity": out.WithIdentity, "duplicates": out.Duplicates, "via": actor.Via}))
	})
	if err != nil {
		return Imported{}, err
	}
	return out, nil
}

// rowProblems turns a validation error of the file's row (0 for the whole
// file) into import problems by column; other errors pass unchanged.
func rowProblems(row int, err error) error {
	var v partnership.ValidationError
	if errors.As(err, &v) {
		return partnership.ParticipantImportErrors(row, v)
	}
	return err
}
