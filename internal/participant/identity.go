package participant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// sealedIdentity is the JSON an identity is sealed as: one blob, so that
// nobody can tell from the stored bytes which fields are set, nor swap one
// field between rows.
type sealedIdentity struct {
	Name         string `json:"n,omitempty"`
	Personnummer string `json:"p,omitempty"`
	Phone        string `json:"t,omitempty"`
	Email        string `json:"e,omitempty"`
}

// aad binds a sealed identity to its participant: a ciphertext copied to
// another participant's row does not open there.
func aad(participantID int64) []byte {
	return []byte("participant:" + strconv.FormatInt(participantID, 10))
}

// seal encrypts the identity for the participant under the current key and
// computes the blind index of its personnummer.
func (s *Service) seal(participantID int64, id partnership.Identity) (postgres.SealedIdentity, error) {
	plain, err := json.Marshal(sealedIdentity{Name: id.Name, Personnummer: id.Personnummer.Normalized(), Phone: id.Phone, Email: id.Email})
	if err != nil {
		return postgres.SealedIdentity{}, fmt.Errorf("seal identity of participant %d: %w", participantID, err)
	}
	keyID, ct, err := s.keys.Seal(plain, aad(participantID))
	if err != nil {
		return postgres.SealedIdentity{}, fmt.Errorf("seal identity of participant %d: %w", participantID, err)
	}
	si := postgres.SealedIdentity{KeyID: keyID, Ciphertext: ct}
	if !id.Personnummer.IsZero() {
		si.PnrIndex = s.keys.BlindIndex(id.Personnummer.Normalized())
	}
	return si, nil
}

// open decrypts the participant's sealed identity. It fails with an error
// wrapping privacy.ErrTampered for a ciphertext altered or moved from
// another row, and never returns part of one.
func (s *Service) open(participantID int64, si postgres.SealedIdentity) (partnership.Identity, error) {
	plain, err := s.keys.Open(si.KeyID, si.Ciphertext, aad(participantID))
	if err != nil {
		return partnership.Identity{}, fmt.Errorf("open identity of participant %d (key %s): %w", participantID, si.KeyID, err)
	}
	var j sealedIdentity
	if err := json.Unmarshal(plain, &j); err != nil {
		return partnership.Identity{}, fmt.Errorf("decode identity of participant %d: malformed", participantID)
	}
	id := partnership.Identity{Name: j.Name, Phone: j.Phone, Email: j.Email}
	if j.Personnummer != "" {
		// Stored normalised, so any "today" after the birth date parses it.
		if id.Personnummer, err = partnership.ParsePersonnummer(j.Personnummer, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
			return partnership.Identity{}, fmt.Errorf("decode identity of participant %d: malformed personnummer", participantID)
		}
	}
	return id, nil
}

// storeIdentity seals and stores the participant's identity and looks its
// personnummer up among the other participants.
func (s *Service) storeIdentity(ctx context.Context, tx pgx.Tx, actor partnership.Actor, participantID int64, id partnership.Identity) (Duplicate, error) {
	si, err := s.seal(participantID, id)
	if err != nil {
		return Duplicate{}, err
	}
	store := postgres.NewParticipants(tx)
	if err := store.SetSealed(ctx, participantID, &si); err != nil {
		return Duplicate{}, err
	}
	if si.PnrIndex == nil {
		return Duplicate{}, nil
	}
	matches, err := store.WithPnrIndex(ctx, si.PnrIndex, participantID)
	if err != nil {
		return Duplicate{}, err
	}
	dup := Duplicate{Count: len(matches)}
	agreements := postgres.NewAgreements(tx)
	for _, m := range matches {
		ag, err := agreements.ByID(ctx, m.AgreementID)
		if err != nil {
			return Duplicate{}, err
		}
		if partnership.MaySeeIdentity(actor, m, ag.PartyOrganisations()) {
			dup.Visible = append(dup.Visible, m)
		}
	}
	return dup, nil
}

// SetIdentity stores the participant's identity, replacing what was
// stored, or erases it when id is zero. Whoever may see the identity may
// set it (partnership.MaySeeIdentity); a participant someone else may see
// gives partnership.ErrForbidden, one they may not partnership.ErrNotFound.
// An identity is saved only while a consent to identity storage is in
// force today, else a partnership.ValidationError. The audit event names
// the fields set, never their values.
func (s *Service) SetIdentity(ctx context.Context, actor partnership.Actor, participantID int64, id partnership.Identity) (Duplicate, error) {
	var dup Duplicate
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, parties, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, true)
		if err != nil {
			return err
		}
		if !partnership.MaySeeIdentity(actor, p, parties) {
			return fmt.Errorf("identity of participant %d by role %q: %w", participantID, actor.Role, partnership.ErrForbidden)
		}
		store := postgres.NewParticipants(tx)
		if id.IsZero() {
			if err := store.SetSealed(ctx, participantID, nil); err != nil {
				return err
			}
			return record(ctx, tx, actor, "participant.identity.erase", p, nil)
		}
		consents, err := store.Consents(ctx, participantID)
		if err != nil {
			return err
		}
		if !partnership.ConsentInForce(consents, partnership.ConsentIdentity, s.today()) {
			return partnership.ValidationError{"identity": partnership.MsgIdentityNoConsent}
		}
		if dup, err = s.storeIdentity(ctx, tx, actor, participantID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "participant.identity.update", p, map[string]any{
			"identity_fields": id.Fields(), "duplicates": dup.Count,
		})
	})
	if err != nil {
		return Duplicate{}, err
	}
	return dup, nil
}

// Identity decrypts the participant's identity for the actor and records
// the read: exactly one audit event postgres.IdentityReadAction (who, which
// participant, when, from where) in the same transaction, so no identity
// is shown without its record. A participant without identity gives the
// zero Identity, and the attempt is recorded all the same. Only those
// partnership.MaySeeIdentity allows may read: officers, viewers and
// administrators, who may see the participant, get partnership.ErrForbidden;
// others partnership.ErrNotFound. A ciphertext that does not open (altered,
// or copied from another row) is an error wrapping privacy.ErrTampered.
func (s *Service) Identity(ctx context.Context, actor partnership.Actor, participantID int64) (partnership.Identity, error) {
	var id partnership.Identity
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, parties, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, false)
		if err != nil {
			return err
		}
		if !partnership.MaySeeIdentity(actor, p, parties) {
			return fmt.Errorf("identity of participant %d by role %q: %w", participantID, actor.Role, partnership.ErrForbidden)
		}
		si, err := postgres.NewParticipants(tx).Sealed(ctx, participantID)
		switch {
		case errors.Is(err, partnership.ErrNotFound):
		case err != nil:
			return err
		default:
			if id, err = s.open(participantID, si); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, postgres.IdentityReadAction, p, map[string]any{"has_identity": !id.IsZero()})
	})
	if err != nil {
		return partnership.Identity{}, err
	}
	return id, nil
}

// IdentityReads lists who has read the participant's identity, newest
// first, at most limit, for whoever may see the participant.
func (s *Service) IdentityReads(ctx context.Context, actor partnership.Actor, participantID int64, limit int) ([]partnership.IdentityRead, error) {
	var list []partnership.IdentityRead
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, false); err != nil {
			return err
		}
		var err error
		list, err = postgres.NewParticipants(tx).IdentityReads(ctx, participantID, limit)
		return err
	})
	return list, err
}

// DefaultRotationBatch is how many identities RotateKey re-encrypts per
// transaction when given no batch size.
const DefaultRotationBatch = 200

// RotateKey re-encrypts every identity not sealed under the keyring's
// current key, batch identities per transaction, and returns how many it
// re-encrypted; a second run finds none. The keys the identities are under
// must be in the keyring (IDENTITY_KEYS_PREVIOUS). Each batch is audited
// as one event "participant.identity.rekey". Only the command line, the
// system and administrators may run it; it shows no identity to anyone.
func (s *Service) RotateKey(ctx context.Context, actor partnership.Actor, batch int) (int, error) {
	if actor.Role != "" && actor.Role != partnership.RoleAdmin {
		return 0, fmt.Errorf("role %q rotating the identity key: %w", actor.Role, partnership.ErrForbidden)
	}
	if batch <= 0 {
		batch = DefaultRotationBatch
	}
	current := s.keys.CurrentKeyID()
	total := 0
	for {
		n := 0
		err := s.db.InTx(ctx, func(tx pgx.Tx) error {
			store := postgres.NewParticipants(tx)
			stale, err := store.StaleIdentities(ctx, current, batch)
			if err != nil {
				return err
			}
			from := map[string]int{}
			for _, st := range stale {
				keyID, ct, err := s.keys.Reseal(st.KeyID, st.Ciphertext, aad(st.ParticipantID))
				if err != nil {
					return fmt.Errorf("rotate identity of participant %d (key %s): %w", st.ParticipantID, st.KeyID, err)
				}
				if err := store.SetSealed(ctx, st.ParticipantID, &postgres.SealedIdentity{KeyID: keyID, Ciphertext: ct, PnrIndex: st.PnrIndex}); err != nil {
					return err
				}
				from[st.KeyID]++
			}
			if n = len(stale); n == 0 {
				return nil
			}
			return postgres.NewAudit(tx).Record(ctx, actor.Event("participant.identity.rekey", "identity_key", current,
				map[string]any{"count": n, "from_keys": from, "via": actor.Via}))
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}
