package main

import (
	"strings"
	"testing"

	"iop/internal/money"
	"iop/internal/postgres/pgtest"
)

func TestIndexCommand(t *testing.T) {
	t.Parallel()
	env := identityEnv(t)
	env["DATABASE_URL"] = pgtest.NewDatabase(t)
	if out, err := iop(t, env, "", "demo", "load"); err != nil {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"index", "--help"}, {"index", "run", "--help"}} {
		if out, err := iop(t, env, "", args...); err != nil || !strings.Contains(out, "Usage: iop index run --year Y [--dry-run]") {
			t.Errorf("iop %v: %v\n%s", args, err, out)
		}
	}
	if _, err := iop(t, env, "", "index", "run"); err == nil || !strings.Contains(err.Error(), "--year") {
		t.Errorf("run without a year: %v", err)
	}
	if _, err := iop(t, env, "", "index", "run", "--year", "1999"); err == nil || !strings.Contains(err.Error(), "Ange ett år mellan 2000 och 2100") {
		t.Errorf("run of 1999: %v", err)
	}
	if _, err := iop(t, env, "", "index", "frobnicate"); err == nil {
		t.Error("unknown subcommand accepted")
	}

	kr := func(k int64) string { return money.Kronor(k).String() }
	out, err := iop(t, env, "", "index", "run", "--year", "2024", "--dry-run")
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Indexering av år 2024\n",
		"\nInkludering på lika villkor",
		"  Linköpings kommun: inte indexerat → " + kr(459000) + "\n",
		"  Internationella Kvinnoföreningen Linköping (IKF): inte indexerat → " + kr(459000) + "\n",
		"  5 nya belopp, 0 ändrade, 0 oförändrade, 0 låsta\n",
		"Indexeringen av år 2024 skulle ge 5 nya belopp",
		"(torrkörning: inget ändrades)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Hoppfull framtid") {
		t.Errorf("an agreement that does not cover 2024 is listed:\n%s", out)
	}
	// The dry run changed nothing: it says the same again.
	if again, err := iop(t, env, "", "index", "run", "--year", "2024", "--dry-run"); err != nil || again != out {
		t.Errorf("second dry run: %v\n%s", err, again)
	}

	out, err = iop(t, env, "", "index", "run", "--year", "2024")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Indexeringen av år 2024 är klar: 5 nya belopp") || strings.Contains(out, "torrkörning") {
		t.Errorf("run output:\n%s", out)
	}
	out, err = iop(t, env, "", "index", "run", "--year", "2024")
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	for _, want := range []string{
		"  Linköpings kommun: " + kr(459000) + " → " + kr(459000) + "\n",
		"  0 nya belopp, 0 ändrade, 5 oförändrade, 0 låsta\n",
		"Inga ändringar: år 2024 var redan indexerat.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("second run output lacks %q:\n%s", want, out)
		}
	}
}
