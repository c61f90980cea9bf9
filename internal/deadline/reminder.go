package deadline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"iop/internal/jobruns"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Mailer sends e-mail through the SMTP server of SMTP_URL with net/smtp:
// STARTTLS when the server offers it, PLAIN authentication when the URL
// has a user (net/smtp refuses to send a password unencrypted except to
// localhost).
type Mailer struct {
	URL  *url.URL
	From string
}

// Send sends msg, a complete message with headers, to one recipient.
func (m Mailer) Send(to string, msg []byte) error {
	var auth smtp.Auth
	if m.URL.User != nil {
		pass, _ := m.URL.User.Password()
		auth = smtp.PlainAuth("", m.URL.User.Username(), pass, m.URL.Hostname())
	}
	return smtp.SendMail(m.URL.Host, auth, m.From, []string{to}, msg)
}

// Reminders is the daily e-mail digest of deadlines.
type Reminders struct {
	Service *Service
	Mailer  *Mailer // nil when SMTP_URL is unset: nothing is sent
	Days    int     // the horizon: deadlines due within this many days, and overdue ones
	BaseURL string  // for the links in the digest
	Log     *slog.Logger
}

// ErrBusy means another instance holds the reminder job's lock.
var ErrBusy = errors.New("reminders: another run holds the lock")

// reminderHour is the Swedish hour from which a day's digests go out, so
// nobody gets one in the middle of the night after a restart.
const reminderHour = 6

// RunEvery sends the day's digests at once and then every interval until
// ctx ends; the digests of a day go out only once however often it runs.
func (r *Reminders) RunEvery(ctx context.Context, every time.Duration) {
	if r.Mailer == nil {
		r.Log.Info("e-mail reminders off: SMTP_URL is not set")
		return
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if r.Service.now().In(partnership.Stockholm).Hour() >= reminderHour {
			sent, err := r.Send(ctx)
			jobruns.Record("reminders", err, ErrBusy)
			switch {
			case errors.Is(err, ErrBusy):
				r.Log.Info("reminders: another run holds the lock")
			case err != nil && ctx.Err() == nil:
				r.Log.Error("reminders", "error", err, "sent", sent)
			case sent > 0:
				r.Log.Info("reminders sent", "sent", sent)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Send sends today's digest to every active user with deadlines due
// within the horizon who has not had today's yet, and returns how many it
// sent. It holds a session advisory lock, so only one instance sends; each
// user's day is claimed in sent_reminders before the message goes out and
// the claim is dropped again when sending fails, so a digest is sent at
// most once and a failed one is tried again on the next run. Without a
// Mailer it sends nothing.
func (r *Reminders) Send(ctx context.Context) (int, error) {
	if r.Mailer == nil {
		return 0, nil
	}
	pool := r.Service.db.Pool
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	var locked bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, postgres.ReminderLockKey).Scan(&locked); err != nil {
		return 0, fmt.Errorf("reminder lock: %w", err)
	}
	if !locked {
		return 0, ErrBusy
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, postgres.ReminderLockKey)

	today := r.Service.Today()
	store := postgres.NewDeadlines(pool)
	users, err := store.ReminderRecipients(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, u := range users {
		ag, err := r.Service.For(ctx, u, today)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		due := Within(ag.Deadlines, today, r.Days)
		if len(due) == 0 {
			continue
		}
		claimed, err := store.ClaimReminder(ctx, u.ID, today, len(due))
		if err != nil || !claimed {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := r.Mailer.Send(u.Email, Digest(r.Mailer.From, u, due, r.Service.now(), r.Days, r.BaseURL)); err != nil {
			// No address in the log: the user id is enough to find it.
			errs = append(errs, fmt.Errorf("send digest to user %d: %w", u.ID, err))
			if _, derr := pool.Exec(context.WithoutCancel(ctx), `DELETE FROM sent_reminders WHERE user_id = $1 AND sent_on = $2`, u.ID, today); derr != nil {
				errs = append(errs, derr)
			}
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// Within are the deadlines due on or before today + days, overdue ones
// included, in their order.
func Within(ds []partnership.Deadline, today time.Time, days int) []partnership.Deadline {
	limit := today.AddDate(0, 0, days)
	var out []partnership.Deadline
	for _, d := range ds {
		if !d.Due.After(limit) {
			out = append(out, d)
		}
	}
	return out
}

// Digest is the e-mail of a user's deadlines: plain text in UTF-8, quoted-
// printable, one deadline a line with its date, agreement and link.
func Digest(from string, u partnership.User, ds []partnership.Deadline, now time.Time, days int, base string) []byte {
	y, m, dd := now.In(partnership.Stockholm).Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	base = strings.TrimSuffix(base, "/")
	var body bytes.Buffer
	fmt.Fprintf(&body, "Hej %s!\r\n\r\nDetta behöver göras inom %d dagar (%s):\r\n\r\n", u.Name, days, today.Format(time.DateOnly))
	for _, d := range ds {
		mark := ""
		if d.Overdue(today) {
			mark = " – FÖRSENAD"
		}
		fmt.Fprintf(&body, "%s  %s (%s)%s\r\n    %s%s\r\n", d.Due.Format(time.DateOnly), d.Title, d.AgreementTitle, mark, base, d.Link)
	}
	fmt.Fprintf(&body, "\r\nHela listan: %s/deadlines\r\n", base)
	var msg bytes.Buffer
	subject := fmt.Sprintf("Att göra: %d %s", len(ds), plural(len(ds), "punkt", "punkter"))
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
		from, u.Email, mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z))
	qp := quotedprintable.NewWriter(&msg)
	qp.Write(body.Bytes())
	qp.Close()
	msg.WriteString("\r\n")
	return msg.Bytes()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
