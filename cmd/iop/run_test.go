package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

// identityEnv returns fresh IDENTITY_KEY and IDENTITY_INDEX_KEY values, which
// serve requires.
func identityEnv(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, name := range []string{"IDENTITY_KEY", "IDENTITY_INDEX_KEY"} {
		k, err := privacy.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		env[name] = k
	}
	return env
}

// iop runs the program as a function with the given environment and stdin.
func iop(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"iop"}, args...), func(k string) string { return env[k] },
		strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"user", "--help"},
		{"user", "add", "--help"}, {"demo", "--help"}, {"demo", "load", "--help"}, {"index", "--help"}, {"index", "run", "--help"},
		{"identity", "--help"}, {"identity", "rotate-key", "--help"}, {"privacy", "--help"}, {"privacy", "purge", "--help"},
		{"backup", "--help"}, {"restore", "--help"}, {"demo", "generate", "--help"}} {
		out, err := iop(t, nil, "", args...)
		if err != nil || !strings.Contains(out, "Usage") {
			t.Errorf("iop %v: %v\n%s", args, err, out)
		}
	}
	if _, err := iop(t, nil, "", "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestBadConfigurationIsReported(t *testing.T) {
	_, err := iop(t, map[string]string{"HTTP_ADDR": "åtta", "LOG_LEVEL": "mycket"}, "", "serve")
	if err == nil {
		t.Fatal("serve started with a bad configuration")
	}
	for _, name := range []string{"DATABASE_URL", "HTTP_ADDR", "LOG_LEVEL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestServeRequiresIdentityKeys(t *testing.T) {
	keys := identityEnv(t)
	// An unreachable database: the keys are checked before anything connects.
	base := map[string]string{"DATABASE_URL": "postgres://iop@127.0.0.1:1/iop", "HTTP_ADDR": "127.0.0.1:0"}
	with := func(extra map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no keys", with(nil), "IDENTITY_KEY is not set"},
		{"no encryption key", with(map[string]string{"IDENTITY_INDEX_KEY": keys["IDENTITY_INDEX_KEY"]}), "IDENTITY_KEY is not set"},
		{"no index key", with(map[string]string{"IDENTITY_KEY": keys["IDENTITY_KEY"]}), "IDENTITY_INDEX_KEY is not set"},
		{"malformed key", with(map[string]string{"IDENTITY_KEY": "hemlig-nyckel-som-inte-ar-base64!", "IDENTITY_INDEX_KEY": keys["IDENTITY_INDEX_KEY"]}), "IDENTITY_KEY is not a valid key"},
		{"short key", with(map[string]string{"IDENTITY_KEY": keys["IDENTITY_KEY"][:20], "IDENTITY_INDEX_KEY": keys["IDENTITY_INDEX_KEY"]}), "IDENTITY_KEY is not a valid key"},
		{"same key twice", with(map[string]string{"IDENTITY_KEY": keys["IDENTITY_KEY"], "IDENTITY_INDEX_KEY": keys["IDENTITY_KEY"]}), "IDENTITY_INDEX_KEY must differ from IDENTITY_KEY"},
		{"malformed previous key", with(map[string]string{"IDENTITY_KEY": keys["IDENTITY_KEY"], "IDENTITY_INDEX_KEY": keys["IDENTITY_INDEX_KEY"], "IDENTITY_KEYS_PREVIOUS": "gammal"}), "IDENTITY_KEYS_PREVIOUS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var out bytes.Buffer
			err := run(ctx, []string{"iop", "serve"}, func(k string) string { return tt.env[k] }, strings.NewReader(""), &out, &out)
			if err == nil {
				t.Fatal("serve started")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not say %q: %v", tt.want, err)
			}
			if strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), "connect") {
				t.Errorf("serve reached the database before checking the keys: %v", err)
			}
			for _, name := range []string{"IDENTITY_KEY", "IDENTITY_INDEX_KEY", "IDENTITY_KEYS_PREVIOUS"} {
				if v := tt.env[name]; len(v) >= 6 && strings.Contains(err.Error()+out.String(), v) {
					t.Errorf("the value of %s is echoed: %v\n%s", name, err, out.String())
				}
			}
		})
	}
}

func TestMigrateUserAndDemoCommands(t *testing.T) {
	t.Parallel()
	env := identityEnv(t)
	env["DATABASE_URL"] = pgtest.EmptyDatabase(t)

	out, err := iop(t, env, "", "migrate", "status")
	if err != nil || !strings.Contains(out, "pending  000001_create_sessions") {
		t.Fatalf("status before up: %v\n%s", err, out)
	}
	if out, err := iop(t, env, "", "migrate", "up"); err != nil || strings.Contains(out, "pending") {
		t.Fatalf("up: %v\n%s", err, out)
	}
	if out, err := iop(t, env, "", "migrate", "down", "1"); err != nil || strings.Count(out, "pending") != 1 ||
		!strings.HasPrefix(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:], "pending") {
		t.Fatalf("down 1: %v\n%s", err, out)
	}
	if _, err := iop(t, env, "", "migrate", "down", "noll"); err == nil {
		t.Error("down with a bad count accepted")
	}
	if _, err := iop(t, env, "", "migrate", "up"); err != nil {
		t.Fatal(err)
	}

	for i := 0; i < 2; i++ { // idempotent
		out, err := iop(t, env, "", "demo", "load")
		if err != nil || !strings.Contains(out, "admin@iop.example") {
			t.Fatalf("demo load #%d: %v\n%s", i+1, err, out)
		}
	}
	db, err := postgres.Open(context.Background(), env["DATABASE_URL"], 5*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var users, orgs int
	if err := db.Pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM organisations)`).Scan(&users, &orgs); err != nil {
		t.Fatal(err)
	}
	if users != len(demo.Users) || orgs != 9 {
		t.Errorf("after two loads: %d users, %d organisations", users, orgs)
	}

	// A password piped in is used; without one, one is generated and printed.
	out, err = iop(t, env, "ett-langt-losenord\n", "user", "add", "--email", "Per@Kommun.se", "--name", "Per Persson", "--role", "viewer")
	if err != nil || strings.Contains(out, "password:") {
		t.Fatalf("user add with stdin: %v\n%s", err, out)
	}
	svc, err := newAuth(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Login(context.Background(), "per@kommun.se", "ett-langt-losenord", "127.0.0.1"); err != nil {
		t.Fatalf("login with the piped password: %v", err)
	}
	out, err = iop(t, env, "", "user", "passwd", "--email", "per@kommun.se")
	if err != nil || !strings.Contains(out, "password: ") {
		t.Fatalf("passwd: %v\n%s", err, out)
	}
	if _, err := iop(t, env, "", "user", "add", "--email", "per@kommun.se", "--name", "Per", "--role", "viewer"); err == nil ||
		!strings.Contains(err.Error(), "e-postadressen") {
		t.Errorf("duplicate user: %v", err)
	}
	if _, err := iop(t, env, "", "user", "add", "--email", "x@kommun.se", "--name", "X", "--role", "association_staff"); err == nil ||
		!strings.Contains(err.Error(), "organisation") {
		t.Errorf("staff without organisation: %v", err)
	}
	if out, err := iop(t, env, "", "user", "disable", "--email", "per@kommun.se"); err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %v\n%s", err, out)
	}
	// A lost phone: the officer sets up a new app at the next login.
	if out, err := iop(t, env, "", "user", "reset-totp", "--email", "handlaggare@iop.example"); err != nil || !strings.Contains(out, "reset") {
		t.Fatalf("reset-totp: %v\n%s", err, out)
	}
	if _, factor, err := svc.Login(context.Background(), "handlaggare@iop.example", demo.Password, "127.0.0.1"); err != nil || factor != auth.FactorEnrol {
		t.Errorf("officer after reset-totp: factor %v, %v", factor, err)
	}
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env := identityEnv(t)
	env["DATABASE_URL"], env["HTTP_ADDR"], env["MIGRATE_ON_START"] = pgtest.EmptyDatabase(t), addr, "true"

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- run(ctx, []string{"iop", "serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	}()
	var ready bool
	for i := 0; i < 100 && !ready; i++ {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			ready = res.StatusCode == http.StatusOK
		}
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		cancel()
		err := <-done
		t.Fatalf("server never became ready: %v\n%s", err, out.String())
	}
	res, err := http.Get("http://" + addr + "/login")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("login page: %v %v", err, res)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
		// The keys never reach the log; their derived id does.
		for _, name := range []string{"IDENTITY_KEY", "IDENTITY_INDEX_KEY"} {
			if strings.Contains(out.String(), env[name]) || strings.Contains(out.String(), env[name][:16]) {
				t.Errorf("the log carries %s:\n%s", name, out.String())
			}
		}
		if !strings.Contains(out.String(), "identity_key_id=k") {
			t.Errorf("the listening line does not name the identity key id:\n%s", out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestIdentityRotateKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url, 10*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org, err := postgres.NewOrganisations(db.Pool).Create(ctx, partnership.Organisation{Name: "Förening (FX)", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ag, err := postgres.NewAgreements(db.Pool).Create(ctx, partnership.Agreement{Title: "IOP", StartDate: &start,
		Status: partnership.StatusActive, Parties: []partnership.Party{{OrganisationID: org.ID,
			Role: partnership.PartyLeadAssociation, Representatives: []string{}}}})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := postgres.NewUsers(db.Pool).Create(ctx, partnership.User{Email: "s@fx.se", Name: "S",
		Role: partnership.RoleAssociationStaff, OrganisationID: &org.ID, Active: true}, "x")
	if err != nil {
		t.Fatal(err)
	}
	keyA, keyB, index := identityKey(t), identityKey(t), identityKey(t)
	ringA, err := privacy.ParseKeyring(keyA, "", index)
	if err != nil {
		t.Fatal(err)
	}
	svc := participant.NewService(db, ringA, time.Now)
	referred := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"Anna A", "Bo B", "Cia C"} {
		_, err := svc.Register(ctx, partnership.ActorOf(staff, ""), ag.ID, participant.Registration{
			Participant: partnership.Participant{Gender: partnership.GenderWoman, BirthYear: 1980,
				BirthRegion: partnership.RegionAfrica, Education: partnership.EducationUnknown,
				LabourStatus: partnership.LabourUnknown, IncomeSource: partnership.IncomeUnknown,
				ReferredOn: referred, ReferralSource: partnership.ReferralSelf},
			Identity: partnership.Identity{Name: name}, ConsentGivenOn: &referred})
		if err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"DATABASE_URL": url, "IDENTITY_KEY": keyB, "IDENTITY_INDEX_KEY": index}
	// Without the old key the identities cannot be opened: nothing changes.
	if out, err := iop(t, env, "", "identity", "rotate-key"); err == nil {
		t.Fatalf("rotated without the previous key:\n%s", out)
	}
	env["IDENTITY_KEYS_PREVIOUS"] = keyA
	out, err := iop(t, env, "", "identity", "rotate-key", "--batch", "2")
	if err != nil || !strings.Contains(out, "3 identiteter") {
		t.Fatalf("rotate-key: %v\n%s", err, out)
	}
	out, err = iop(t, env, "", "identity", "rotate-key")
	if err != nil || !strings.Contains(out, "0 identiteter") {
		t.Fatalf("second rotate-key: %v\n%s", err, out)
	}
	ringB, err := privacy.ParseKeyring(keyB, "", index)
	if err != nil {
		t.Fatal(err)
	}
	var stale int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM participants WHERE identity_key_id <> $1`, ringB.CurrentKeyID()).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("%d identities not under the new key (%v)", stale, err)
	}
	if out, err := iop(t, map[string]string{"DATABASE_URL": url}, "", "identity", "rotate-key"); err == nil ||
		!strings.Contains(err.Error(), "IDENTITY_KEY") {
		t.Errorf("rotate-key without keys: %v\n%s", err, out)
	}
}

func identityKey(t *testing.T) string {
	t.Helper()
	k, err := privacy.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
