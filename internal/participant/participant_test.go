package participant_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/privacy"
)

func TestCodesPerAgreementAndYear(t *testing.T) {
	w := newWorld(t)
	var codes []string
	for _, c := range []struct {
		agreement int64
		actor     partnership.Actor
		referred  string
	}{
		{w.ikf, w.staff, "2024-01-10"}, {w.ikf, w.coordinator, "2024-02-10"}, {w.ikf, w.staff, "2023-12-31"},
		{w.ikf, w.staff, "2024-03-01"}, {w.ikf2, w.staff, "2024-03-01"}, {w.other, w.otherStaff, "2024-03-01"},
	} {
		codes = append(codes, w.register(t, c.actor, c.agreement, c.referred, partnership.Identity{}).Participant.Code)
	}
	want := []string{"IKF-2024-001", "IKF-2024-002", "IKF-2023-001", "IKF-2024-003", "IKF2-2024-001", "HM-2024-001"}
	if strings.Join(codes, " ") != strings.Join(want, " ") {
		t.Errorf("codes = %v, want %v", codes, want)
	}
}

func TestConcurrentRegistrationsDoNotCollide(t *testing.T) {
	w := newWorld(t)
	const n = 16
	codes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := w.svc.Register(context.Background(), w.staff, w.ikf, participant.Registration{Participant: stats("2024-05-02")})
			codes[i], errs[i] = r.Participant.Code, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(codes)
	for i, c := range codes {
		if want := fmt.Sprintf("IKF-2024-%03d", i+1); c != want {
			t.Errorf("code %d = %s, want %s (all: %v)", i, c, want, codes)
		}
	}
}

func TestIdentityRoundTripIsAuditedOncePerRead(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	in := identity(t, "Anna Andersson", "198112189876")
	r := w.register(t, w.staff, w.ikf, "2024-02-01", in)
	if !r.Participant.HasIdentity {
		t.Fatal("HasIdentity is false after registering an identity")
	}
	// Nothing readable in the row: the name and personnummer are sealed.
	var ct []byte
	if err := w.db.Pool.QueryRow(ctx, `SELECT identity_ciphertext FROM participants WHERE id = $1`, r.Participant.ID).Scan(&ct); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Anna", "198112189876", "8112189876", "exempel"} {
		if bytes.Contains(ct, []byte(s)) {
			t.Errorf("the stored ciphertext contains %q", s)
		}
	}
	reads := func() int {
		return w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.identity.read' AND entity = 'participant' AND entity_id = $1`,
			fmt.Sprint(r.Participant.ID))
	}
	for i := 1; i <= 3; i++ {
		got, err := w.svc.Identity(ctx, w.staff, r.Participant.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != in {
			t.Fatalf("Identity = %q %q, want what was stored", got.Name, got.Personnummer.Normalized())
		}
		if n := reads(); n != i {
			t.Fatalf("after %d reads, %d read events", i, n)
		}
	}
	var actor *int64
	var ip string
	if err := w.db.Pool.QueryRow(ctx, `SELECT actor_id, host(client_ip) FROM audit_events WHERE action = 'participant.identity.read'
		ORDER BY id DESC LIMIT 1`).Scan(&actor, &ip); err != nil {
		t.Fatal(err)
	}
	if actor == nil || *actor != w.staff.UserID || ip != "192.0.2.7" {
		t.Errorf("read event by %v from %s, want user %d from 192.0.2.7", actor, ip, w.staff.UserID)
	}
	list, err := w.svc.IdentityReads(ctx, w.officer, r.Participant.ID, 10)
	if err != nil || len(list) != 3 || list[0].UserName != "Användare staff@ikf.se" || list[0].Via != "web" {
		t.Errorf("IdentityReads = %+v, %v", list, err)
	}
	// The identity is in no audit row, in any form.
	var all string
	if err := w.db.Pool.QueryRow(ctx, `SELECT coalesce(string_agg(a::text, ' '), '') FROM audit_events a`).Scan(&all); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Anna", "Andersson", "198112189876", "8112189876", "811218", "070-123", "deltagare@"} {
		if strings.Contains(all, s) {
			t.Errorf("the audit log contains %q", s)
		}
	}
}

func TestIdentityRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r := w.register(t, w.coordinator, w.ikf, "2024-02-01", identity(t, "Bertil Berg", "811218-9876"))
	for _, c := range []struct {
		name  string
		actor partnership.Actor
		want  error
	}{
		{"officer", w.officer, partnership.ErrForbidden},
		{"viewer", w.viewer, partnership.ErrNotFound},
		{"admin", w.admin, partnership.ErrForbidden},
		{"another association's staff", w.otherStaff, partnership.ErrNotFound},
		{"a coordinator who did not refer", w.coordinator2, partnership.ErrNotFound},
		{"the command line", partnership.SystemActor("cli"), partnership.ErrNotFound},
	} {
		got, err := w.svc.Identity(ctx, c.actor, r.Participant.ID)
		wantErr(t, c.name, err, c.want)
		if !got.IsZero() {
			t.Errorf("%s got an identity", c.name)
		}
		if err != nil && strings.Contains(err.Error(), "Bertil") {
			t.Errorf("%s: the error names the participant", c.name)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.identity.read'`); n != 0 {
		t.Errorf("refused reads wrote %d read events", n)
	}
	for _, a := range []partnership.Actor{w.coordinator, w.staff} {
		if got, err := w.svc.Identity(ctx, a, r.Participant.ID); err != nil || got.Name != "Bertil Berg" {
			t.Errorf("%s: Identity = %v", a.Role, err)
		}
	}
}

func TestTamperedOrMovedCiphertextRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.register(t, w.staff, w.ikf, "2024-02-01", identity(t, "Cecilia Ceder", "811218-9876"))
	b := w.register(t, w.staff, w.ikf, "2024-02-02", identity(t, "David Dahl", "191212121212"))
	// Copy a's sealed identity into b's row: it does not open there.
	if _, err := w.db.Pool.Exec(ctx, `UPDATE participants SET (identity_key_id, identity_ciphertext) =
		(SELECT identity_key_id, identity_ciphertext FROM participants WHERE id = $1) WHERE id = $2`,
		a.Participant.ID, b.Participant.ID); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Identity(ctx, w.staff, b.Participant.ID)
	wantErr(t, "moved ciphertext", err, privacy.ErrTampered)
	// Flip one bit of a's ciphertext.
	if _, err := w.db.Pool.Exec(ctx, `UPDATE participants SET identity_ciphertext =
		set_byte(identity_ciphertext, 20, get_byte(identity_ciphertext, 20) # 1) WHERE id = $1`, a.Participant.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Identity(ctx, w.staff, a.Participant.ID)
	wantErr(t, "tampered ciphertext", err, privacy.ErrTampered)
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.identity.read'`); n != 0 {
		t.Errorf("failed reads wrote %d read events", n)
	}
}

func TestRotateKey(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// Start under key A.
	keyA, keyB, index := randomKey(t), randomKey(t), randomKey(t)
	ringA, err := privacy.NewKeyring(keyA, nil, index)
	if err != nil {
		t.Fatal(err)
	}
	svcA := participant.NewService(w.db, ringA, func() time.Time { return now })
	names := map[int64]string{}
	for i := range 5 {
		name := fmt.Sprintf("Person %c", 'A'+i)
		r, err := svcA.Register(ctx, w.staff, w.ikf, participant.Registration{Participant: stats("2024-03-01"),
			Identity: identity(t, name, ""), ConsentGivenOn: dayp("2024-03-01")})
		if err != nil {
			t.Fatal(err)
		}
		names[r.Participant.ID] = name
	}
	w.register(t, w.staff, w.ikf, "2024-03-02", partnership.Identity{}) // no identity: nothing to rotate
	// Rotate to B, with A as previous.
	ringB, err := privacy.NewKeyring(keyB, [][]byte{keyA}, index)
	if err != nil {
		t.Fatal(err)
	}
	svcB := participant.NewService(w.db, ringB, func() time.Time { return now })
	n, err := svcB.RotateKey(ctx, partnership.SystemActor("cli"), 2)
	if err != nil || n != 5 {
		t.Fatalf("RotateKey = %d, %v; want 5", n, err)
	}
	if got := w.count(t, `SELECT count(*) FROM participants WHERE identity_key_id IS NOT NULL AND identity_key_id <> $1`, ringB.CurrentKeyID()); got != 0 {
		t.Errorf("%d identities not under key B after the rotation", got)
	}
	if got := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.identity.rekey'`); got != 3 {
		t.Errorf("%d rekey events, want one per batch (3)", got)
	}
	// Readable with B alone: A can be dropped.
	onlyB, err := privacy.NewKeyring(keyB, nil, index)
	if err != nil {
		t.Fatal(err)
	}
	svcOnlyB := participant.NewService(w.db, onlyB, func() time.Time { return now })
	for id, name := range names {
		got, err := svcOnlyB.Identity(ctx, w.staff, id)
		if err != nil || got.Name != name {
			t.Errorf("participant %d after rotation: %q, %v", id, got.Name, err)
		}
	}
	if n, err := svcB.RotateKey(ctx, partnership.SystemActor("cli"), 2); err != nil || n != 0 {
		t.Errorf("second RotateKey = %d, %v; want 0", n, err)
	}
	if _, err := svcB.RotateKey(ctx, w.officer, 2); err == nil {
		t.Error("an officer rotated the key")
	}
}

func TestDuplicateFoundWithAndWithoutCenturyAndHyphen(t *testing.T) {
	w := newWorld(t)
	first := w.register(t, w.staff, w.ikf, "2024-01-15", identity(t, "Eva Ek", "198112189876"))
	if first.Duplicate.Found() {
		t.Fatal("the first registration warns of a duplicate")
	}
	// Another association registers the same person without the century:
	// warned, but not told which agreement or participant.
	second := w.register(t, w.otherStaff, w.other, "2024-02-15", identity(t, "Eva Ek", "8112189876"))
	if second.Duplicate.Count != 1 || len(second.Duplicate.Visible) != 0 {
		t.Errorf("other association's warning = %+v, want a count of 1 and nothing visible", second.Duplicate)
	}
	// IKF again, with a hyphen: both matches counted, only its own shown.
	third := w.register(t, w.staff, w.ikf, "2024-03-15", identity(t, "Eva Ek", "811218-9876"))
	if third.Duplicate.Count != 2 || len(third.Duplicate.Visible) != 1 || third.Duplicate.Visible[0].ID != first.Participant.ID {
		t.Errorf("IKF's warning = %+v, want 2 matches with only %s visible", third.Duplicate, first.Participant.Code)
	}
	// A coordinator sees only their own referrals among the matches.
	fourth := w.register(t, w.coordinator, w.other, "2024-04-15", identity(t, "Eva Ek", "19811218-9876"))
	if fourth.Duplicate.Count != 3 || len(fourth.Duplicate.Visible) != 0 {
		t.Errorf("coordinator's warning = %+v, want 3 matches and nothing visible", fourth.Duplicate)
	}
	// Another person does not match.
	if r := w.register(t, w.staff, w.ikf, "2024-04-16", identity(t, "Frida Falk", "191212121212")); r.Duplicate.Found() {
		t.Errorf("another personnummer matched: %+v", r.Duplicate)
	}
}

func TestConsentRequiredForIdentity(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	id := identity(t, "Gustav Gran", "811218-9876")
	_, err := w.svc.Register(ctx, w.staff, w.ikf, participant.Registration{Participant: stats("2024-02-01"), Identity: id})
	verr, ok := err.(partnership.ValidationError)
	if !ok || verr["consent_given_on"] != partnership.MsgIdentityNoConsent {
		t.Fatalf("Register with identity and no consent = %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM participants`); n != 0 {
		t.Fatalf("%d participants stored by a refused registration", n)
	}
	p := w.register(t, w.staff, w.ikf, "2024-02-01", partnership.Identity{}).Participant
	_, err = w.svc.SetIdentity(ctx, w.staff, p.ID, id)
	if verr, ok := err.(partnership.ValidationError); !ok || verr["identity"] != partnership.MsgIdentityNoConsent {
		t.Fatalf("SetIdentity without consent = %v", err)
	}
	// A follow-up consent is not a consent to identity storage.
	if _, err := w.svc.RecordConsent(ctx, w.staff, p.ID, partnership.Consent{Scope: partnership.ConsentFollowUp, GivenOn: day("2024-02-01")}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetIdentity(ctx, w.staff, p.ID, id); err == nil {
		t.Fatal("identity saved under a follow-up consent")
	}
	c, err := w.svc.RecordConsent(ctx, w.staff, p.ID, partnership.Consent{Scope: partnership.ConsentIdentity, GivenOn: day("2024-02-03")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetIdentity(ctx, w.staff, p.ID, id); err != nil {
		t.Fatalf("SetIdentity with consent: %v", err)
	}
	if got, _ := w.svc.Get(ctx, w.staff, p.ID); !got.HasIdentity {
		t.Fatal("no identity after SetIdentity")
	}
	// The officer may neither record consent nor set an identity.
	_, err = w.svc.RecordConsent(ctx, w.officer, p.ID, partnership.Consent{Scope: partnership.ConsentIdentity, GivenOn: day("2024-02-03")})
	wantErr(t, "officer records consent", err, partnership.ErrForbidden)
	_, err = w.svc.SetIdentity(ctx, w.officer, p.ID, id)
	wantErr(t, "officer sets identity", err, partnership.ErrForbidden)
	// Withdrawing the only identity consent erases the identity.
	if _, err := w.svc.WithdrawConsent(ctx, w.staff, p.ID, c.ID, day("2024-06-01")); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.svc.Get(ctx, w.staff, p.ID); got.HasIdentity {
		t.Error("the identity is kept after its consent was withdrawn")
	}
	if n := w.count(t, `SELECT count(*) FROM participants WHERE identity_ciphertext IS NOT NULL OR pnr_index IS NOT NULL`); n != 0 {
		t.Errorf("%d rows keep a ciphertext or blind index", n)
	}
	if _, err := w.svc.WithdrawConsent(ctx, w.staff, p.ID, c.ID, day("2024-06-02")); err == nil {
		t.Error("a consent was withdrawn twice")
	}
}

func TestTenancy(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := w.register(t, w.staff, w.ikf, "2024-02-01", partnership.Identity{}).Participant
	upd := p
	upd.Cohort = "Grupp 2"
	_, err := w.svc.Get(ctx, w.otherStaff, p.ID)
	wantErr(t, "other staff Get", err, partnership.ErrNotFound)
	_, err = w.svc.Update(ctx, w.otherStaff, upd)
	wantErr(t, "other staff Update", err, partnership.ErrNotFound)
	_, err = w.svc.Enrol(ctx, w.otherStaff, p.ID, day("2024-02-10"))
	wantErr(t, "other staff Enrol", err, partnership.ErrNotFound)
	_, err = w.svc.List(ctx, w.otherStaff, w.ikf, partnership.ParticipantFilter{})
	wantErr(t, "other staff List", err, partnership.ErrNotFound)
	_, err = w.svc.Counts(ctx, w.otherStaff, w.ikf, 2024, 2024)
	wantErr(t, "other staff Counts", err, partnership.ErrNotFound)
	_, err = w.svc.Register(ctx, w.otherStaff, w.ikf, participant.Registration{Participant: stats("2024-02-01")})
	wantErr(t, "other staff Register", err, partnership.ErrNotFound)
	_, err = w.svc.Get(ctx, w.coordinator2, p.ID)
	wantErr(t, "coordinator Get of another's referral", err, partnership.ErrNotFound)
	_, err = w.svc.Get(ctx, w.staff, p.ID+1000)
	wantErr(t, "Get of a missing participant", err, partnership.ErrNotFound)
	// A viewer sees no participant, not even pseudonymously.
	_, err = w.svc.Get(ctx, w.viewer, p.ID)
	wantErr(t, "viewer Get", err, partnership.ErrNotFound)
	_, err = w.svc.List(ctx, w.viewer, w.ikf, partnership.ParticipantFilter{})
	wantErr(t, "viewer List", err, partnership.ErrForbidden)
	// Officers and admins read the pseudonymous record but change nothing.
	for _, a := range []partnership.Actor{w.officer, w.admin} {
		if got, err := w.svc.Get(ctx, a, p.ID); err != nil || got.Code != p.Code {
			t.Errorf("%s Get = %v", a.Role, err)
		}
		_, err := w.svc.Update(ctx, a, upd)
		wantErr(t, string(a.Role)+" Update", err, partnership.ErrForbidden)
		_, err = w.svc.Register(ctx, a, w.ikf, participant.Registration{Participant: stats("2024-02-01")})
		wantErr(t, string(a.Role)+" Register", err, partnership.ErrForbidden)
	}
	got, err := w.svc.Update(ctx, w.staff, upd)
	if err != nil || got.Cohort != "Grupp 2" || got.Version != p.Version+1 || got.Code != p.Code {
		t.Fatalf("staff Update = %+v, %v", got, err)
	}
	_, err = w.svc.Update(ctx, w.staff, upd) // the old version again
	wantErr(t, "stale Update", err, partnership.ErrConflict)
}

func TestLifecycleListCountsAndFunnel(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	reg := func(referred string) partnership.Participant {
		return w.register(t, w.staff, w.ikf, referred, partnership.Identity{}).Participant
	}
	must := func(p partnership.Participant, err error) partnership.Participant {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	// 2023: one enrolled and exited to work in 2024.
	a := reg("2023-11-01")
	must(w.svc.Enrol(ctx, w.staff, a.ID, day("2023-11-15")))
	must(w.svc.Exit(ctx, w.staff, a.ID, day("2024-03-31"), partnership.ExitWork))
	// 2024: five referred; three enrolled (one exited), one declined after
	// the interview, one no-show, one still referred.
	b, c, d, e, f, g := reg("2024-01-10"), reg("2024-01-10"), reg("2024-01-10"), reg("2024-01-10"), reg("2024-01-11"), reg("2024-02-01")
	for _, p := range []partnership.Participant{b, c, d} {
		must(w.svc.Enrol(ctx, w.staff, p.ID, day("2024-01-20")))
	}
	must(w.svc.Exit(ctx, w.staff, d.ID, day("2024-05-01"), partnership.ExitStudies))
	must(w.svc.Decline(ctx, w.staff, e.ID, day("2024-01-20"), partnership.DeclineAssociation, "Behöver läsa mer svenska"))
	must(w.svc.Decline(ctx, w.staff, f.ID, day("2024-01-20"), partnership.DeclineNoShow, ""))
	_ = g
	// The note about the person is the staff's, never the officer's.
	if got := must(w.svc.Get(ctx, w.staff, e.ID)).DeclineNote; got != "Behöver läsa mer svenska" {
		t.Errorf("staff read the decline note as %q", got)
	}
	if got := must(w.svc.Get(ctx, w.officer, e.ID)).DeclineNote; got != "" {
		t.Errorf("an officer read the decline note %q", got)
	}

	// Lifecycle refusals through the service.
	_, err := w.svc.Exit(ctx, w.staff, g.ID, day("2024-03-01"), partnership.ExitWork)
	if verr, ok := err.(partnership.ValidationError); !ok || verr["exited_on"] == "" {
		t.Errorf("exit of a referred participant = %v", err)
	}
	_, err = w.svc.Enrol(ctx, w.staff, g.ID, day("2024-01-31"))
	if verr, ok := err.(partnership.ValidationError); !ok || verr["enrolled_on"] != partnership.MsgEnrolBeforeRefer {
		t.Errorf("enrolment before referral = %v", err)
	}
	_, err = w.svc.Enrol(ctx, w.staff, g.ID, day("2024-06-16"))
	if verr, ok := err.(partnership.ValidationError); !ok || verr["enrolled_on"] != partnership.MsgFutureDate {
		t.Errorf("enrolment tomorrow = %v", err)
	}
	// The database refuses an exit before enrolment even past the rules.
	if _, err := w.db.Pool.Exec(ctx, `UPDATE participants SET exited_on = '2024-01-01', exit_destination = 'work' WHERE id = $1`, b.ID); err == nil {
		t.Error("the database stored an exit before the enrolment")
	}

	counts, err := w.svc.Counts(ctx, w.officer, w.ikf, 2023, 2025)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := []partnership.ParticipantYearCounts{
		{Year: 2023, New: 1, Active: 1}, {Year: 2024, New: 3, Active: 4, Exited: 2}, {Year: 2025, Active: 2},
	}
	if fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
		t.Errorf("Counts = %v, want %v", counts, wantCounts)
	}
	funnel, err := w.svc.Funnel(ctx, w.viewer, w.ikf, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if want := (partnership.IntakeFunnel{Year: 2024, Referred: 6, Came: 4, Enrolled: 3, Declined: 2, Active: 2, Exited: 1}); funnel != want {
		t.Errorf("Funnel = %+v, want %+v", funnel, want)
	}

	list := func(actor partnership.Actor, f partnership.ParticipantFilter) []string {
		t.Helper()
		page, err := w.svc.List(ctx, actor, w.ikf, f)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, p := range page.Participants {
			if p.Status() == "" {
				t.Error("no status")
			}
			codes = append(codes, p.Code)
		}
		return append(codes, fmt.Sprint(page.Total))
	}
	if got := list(w.officer, partnership.ParticipantFilter{Status: partnership.StatusEnrolled}); strings.Join(got, " ") != c.Code+" "+b.Code+" 2" {
		t.Errorf("enrolled = %v", got)
	}
	if got := list(w.staff, partnership.ParticipantFilter{Year: 2023}); strings.Join(got, " ") != a.Code+" 1" {
		t.Errorf("2023 = %v", got)
	}
	if got := list(w.staff, partnership.ParticipantFilter{Cohort: "grupp 1", Limit: 2, Offset: 1}); len(got) != 3 || got[2] != "7" {
		t.Errorf("cohort page 2 = %v", got)
	}
	if got := list(w.coordinator, partnership.ParticipantFilter{}); strings.Join(got, " ") != "0" {
		t.Errorf("a coordinator sees others' referrals: %v", got)
	}
	// The status the database computes agrees with the domain's.
	if n := w.count(t, `SELECT count(*) FROM participants WHERE status = 'declined'`); n != 2 {
		t.Errorf("%d declined in the database, want 2", n)
	}
	var audited int
	audited = w.count(t, `SELECT count(*) FROM audit_events WHERE entity = 'participant' AND action IN
		('participant.create', 'participant.enrol', 'participant.exit', 'participant.decline')`)
	if audited != 7+4+2+2 {
		t.Errorf("%d participant audit events, want 15", audited)
	}
}
