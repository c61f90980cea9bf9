package deadline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// tokenBytes is how much randomness a feed token carries.
const tokenBytes = 32

// hashToken is what is stored of a token: knowing the table does not give
// anyone a working feed address.
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateFeed makes a new secret calendar feed for the actor and returns
// its token, which is shown once and never stored. The creation is
// audited, without the token.
func (s *Service) CreateFeed(ctx context.Context, actor partnership.Actor) (string, error) {
	if actor.UserID == 0 {
		return "", partnership.ErrForbidden
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		f, err := postgres.NewCalendarFeeds(tx).Create(ctx, actor.UserID, hashToken(token))
		if err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("calendar_feed.create", "calendar_feed", strconv.FormatInt(f.ID, 10), nil))
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeed ends the actor's feed id at once; partnership.ErrNotFound for
// a feed that is not the actor's or already revoked. Audited.
func (s *Service) RevokeFeed(ctx context.Context, actor partnership.Actor, id int64) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := postgres.NewCalendarFeeds(tx).Revoke(ctx, actor.UserID, id, s.now()); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("calendar_feed.revoke", "calendar_feed", strconv.FormatInt(id, 10), nil))
	})
}

// Feeds lists the actor's feeds, the newest first.
func (s *Service) Feeds(ctx context.Context, actor partnership.Actor) ([]postgres.CalendarFeed, error) {
	return postgres.NewCalendarFeeds(s.db.Pool).List(ctx, actor.UserID)
}

// FeedUser is the user whose feed in use has token; partnership.ErrNotFound
// for an unknown or revoked token.
func (s *Service) FeedUser(ctx context.Context, token string) (partnership.User, error) {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return partnership.User{}, partnership.ErrNotFound
	}
	return postgres.NewCalendarFeeds(s.db.Pool).UserByToken(ctx, hashToken(token))
}
