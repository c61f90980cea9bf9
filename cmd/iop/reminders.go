package main

import (
	"log/slog"
	"time"

	"iop/internal/config"
	"iop/internal/deadline"
	"iop/internal/postgres"
)

// reminders is the daily deadline digest of serve: without SMTP_URL it
// has no mailer and sends nothing.
func reminders(db *postgres.DB, cfg config.Config, log *slog.Logger) *deadline.Reminders {
	r := &deadline.Reminders{Service: deadline.NewService(db, time.Now), Days: cfg.ReminderDays, BaseURL: cfg.BaseURL.String(), Log: log}
	if cfg.SMTPURL != nil {
		r.Mailer = &deadline.Mailer{URL: cfg.SMTPURL, From: cfg.SMTPFrom}
	}
	return r
}
