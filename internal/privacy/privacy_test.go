package privacy_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"iop/internal/privacy"
)

func key(t testing.TB) []byte {
	t.Helper()
	b := make([]byte, privacy.KeySize)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func keyring(t testing.TB, current []byte, previous [][]byte, index []byte) *privacy.Keyring {
	t.Helper()
	k, err := privacy.NewKeyring(current, previous, index)
	if err != nil {
		t.Fatalf("NewKeyring: %v", err)
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	k := keyring(t, key(t), nil, key(t))
	for _, pt := range [][]byte{nil, {}, []byte("Anna Andersson"), []byte("19121212-1212"), bytes.Repeat([]byte{0xff}, 10000)} {
		id, ct, err := k.Seal(pt, []byte("participant:42"))
		if err != nil {
			t.Fatal(err)
		}
		if id != k.CurrentKeyID() {
			t.Errorf("Seal key id = %q, want current %q", id, k.CurrentKeyID())
		}
		if want := 12 + len(pt) + 16; len(ct) != want {
			t.Errorf("len(ciphertext) = %d, want nonce+body+tag = %d", len(ct), want)
		}
		if len(pt) > 4 && bytes.Contains(ct, pt) {
			t.Error("ciphertext contains the plaintext")
		}
		got, err := k.Open(id, ct, []byte("participant:42"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, pt) {
			t.Errorf("Open = %q, want %q", got, pt)
		}
	}
}

func TestTamperedRefused(t *testing.T) {
	k := keyring(t, key(t), nil, key(t))
	aad := []byte("participant:7")
	id, ct, err := k.Seal([]byte("Bertil Bengtsson"), aad)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]int{
		"nonce first byte": 0,
		"nonce last byte":  11,
		"body first byte":  12,
		"body last byte":   len(ct) - 17,
		"tag first byte":   len(ct) - 16,
		"tag last byte":    len(ct) - 1,
	}
	for name, i := range cases {
		t.Run(name, func(t *testing.T) {
			bad := bytes.Clone(ct)
			bad[i] ^= 0x01
			got, err := k.Open(id, bad, aad)
			if !errors.Is(err, privacy.ErrTampered) {
				t.Fatalf("Open(tampered) err = %v, want ErrTampered", err)
			}
			if got != nil {
				t.Errorf("Open(tampered) returned plaintext %q", got)
			}
		})
	}
	for name, bad := range map[string][]byte{
		"empty":          nil,
		"nonce only":     ct[:12],
		"truncated tag":  ct[:len(ct)-1],
		"extra byte":     append(bytes.Clone(ct), 0),
		"nonce+tag only": append(bytes.Clone(ct[:12]), ct[len(ct)-16:]...),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := k.Open(id, bad, aad)
			if !errors.Is(err, privacy.ErrTampered) || got != nil {
				t.Fatalf("Open(%s) = %q, %v; want nil, ErrTampered", name, got, err)
			}
		})
	}
}

func TestWrongAADRefused(t *testing.T) {
	k := keyring(t, key(t), nil, key(t))
	id, ct, err := k.Seal([]byte("Cecilia"), []byte("participant:1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, aad := range [][]byte{[]byte("participant:2"), []byte("participant:10"), nil, []byte("participant:1 ")} {
		if got, err := k.Open(id, ct, aad); !errors.Is(err, privacy.ErrTampered) || got != nil {
			t.Errorf("Open with aad %q = %q, %v; want nil, ErrTampered", aad, got, err)
		}
	}
}

func TestUnknownKeyRefused(t *testing.T) {
	a := keyring(t, key(t), nil, key(t))
	b := keyring(t, key(t), nil, key(t))
	id, ct, err := a.Seal([]byte("David"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b.Open(id, ct, nil); !errors.Is(err, privacy.ErrUnknownKey) || got != nil {
		t.Errorf("Open under a foreign key id = %q, %v; want nil, ErrUnknownKey", got, err)
	}
	if got, err := a.Open("k000000000000", ct, nil); !errors.Is(err, privacy.ErrUnknownKey) || got != nil {
		t.Errorf("Open under a made-up key id = %q, %v; want nil, ErrUnknownKey", got, err)
	}
	if got, err := a.Open("", ct, nil); !errors.Is(err, privacy.ErrUnknownKey) || got != nil {
		t.Errorf("Open under an empty key id = %q, %v; want nil, ErrUnknownKey", got, err)
	}
	// HasKey agrees with Open.
	if b.HasKey(id) || !a.HasKey(id) {
		t.Error("HasKey disagrees with Open")
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey, idx := key(t), key(t), key(t)
	before := keyring(t, oldKey, nil, idx)
	oldID, ct, err := before.Seal([]byte("Erik Eriksson"), []byte("participant:3"))
	if err != nil {
		t.Fatal(err)
	}

	after := keyring(t, newKey, [][]byte{oldKey}, idx)
	if after.CurrentKeyID() == oldID {
		t.Fatal("rotation did not change the current key id")
	}
	got, err := after.Open(oldID, ct, []byte("participant:3"))
	if err != nil {
		t.Fatalf("Open old ciphertext after rotation: %v", err)
	}
	if string(got) != "Erik Eriksson" {
		t.Errorf("Open = %q", got)
	}

	// Re-encryption, as `iop identity rotate-key` does: seal again, under the new key.
	newID, ct2, err := after.Seal(got, []byte("participant:3"))
	if err != nil {
		t.Fatal(err)
	}
	if newID != after.CurrentKeyID() || newID == oldID {
		t.Errorf("Seal after rotation used key %q, want current %q", newID, after.CurrentKeyID())
	}
	// Once the old key is dropped, only the re-encrypted row still opens.
	dropped := keyring(t, newKey, nil, idx)
	if _, err := dropped.Open(oldID, ct, []byte("participant:3")); !errors.Is(err, privacy.ErrUnknownKey) {
		t.Errorf("Open old ciphertext after dropping the old key: %v, want ErrUnknownKey", err)
	}
	if got, err := dropped.Open(newID, ct2, []byte("participant:3")); err != nil || string(got) != "Erik Eriksson" {
		t.Errorf("Open re-encrypted = %q, %v", got, err)
	}
	// The blind index does not change with encryption-key rotation.
	if !bytes.Equal(before.BlindIndex("191212121212"), dropped.BlindIndex("191212121212")) {
		t.Error("blind index changed on encryption-key rotation")
	}
}

func TestNoncesDiffer(t *testing.T) {
	k := keyring(t, key(t), nil, key(t))
	seen := map[string]bool{}
	for range 100 {
		_, ct, err := k.Seal([]byte("same"), []byte("participant:1"))
		if err != nil {
			t.Fatal(err)
		}
		nonce := string(ct[:12])
		if seen[nonce] {
			t.Fatal("nonce repeated")
		}
		seen[nonce] = true
	}
}

var keyIDPattern = regexp.MustCompile(`^k[0-9a-f]{12}$`)

func TestKeyIDs(t *testing.T) {
	k1, k2, idx := key(t), key(t), key(t)
	a := keyring(t, k1, nil, idx)
	b := keyring(t, k1, [][]byte{k2}, key(t))
	c := keyring(t, k2, nil, idx)
	if a.CurrentKeyID() != b.CurrentKeyID() {
		t.Errorf("same key, different ids: %q, %q", a.CurrentKeyID(), b.CurrentKeyID())
	}
	if a.CurrentKeyID() == c.CurrentKeyID() {
		t.Errorf("different keys, same id %q", a.CurrentKeyID())
	}
	for _, id := range []string{a.CurrentKeyID(), c.CurrentKeyID()} {
		if !keyIDPattern.MatchString(id) {
			t.Errorf("key id %q does not look like k + 12 hex", id)
		}
	}
	// A known vector pins the derivation: all-zero key.
	zero := make([]byte, 32)
	z := keyring(t, zero, nil, key(t))
	// sha256 of 32 zero bytes = 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925
	if got, want := z.CurrentKeyID(), "k66687aadf862"; got != want {
		t.Errorf("key id of the zero key = %q, want %q", got, want)
	}
	// The id is not the key, nor any prefix of its encodings.
	enc := base64.StdEncoding.EncodeToString(k1)
	if strings.Contains(enc, a.CurrentKeyID()[1:]) {
		t.Error("key id is part of the key's encoding")
	}
}

func TestSealUsesCurrentKey(t *testing.T) {
	oldKey, newKey, idx := key(t), key(t), key(t)
	k := keyring(t, newKey, [][]byte{oldKey}, idx)
	id, ct, err := k.Seal([]byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if id != k.CurrentKeyID() {
		t.Errorf("Seal used %q, want current %q", id, k.CurrentKeyID())
	}
	// Only the new key opens it.
	onlyNew := keyring(t, newKey, nil, idx)
	if _, err := onlyNew.Open(id, ct, nil); err != nil {
		t.Errorf("new key alone cannot open: %v", err)
	}
	onlyOld := keyring(t, oldKey, nil, idx)
	if _, err := onlyOld.Open(id, ct, nil); !errors.Is(err, privacy.ErrUnknownKey) {
		t.Errorf("old key alone: %v, want ErrUnknownKey", err)
	}
}

func TestBlindIndex(t *testing.T) {
	idx := key(t)
	a := keyring(t, key(t), nil, idx)
	b := keyring(t, key(t), nil, idx) // different encryption key, same index key
	c := keyring(t, key(t), nil, key(t))

	x := a.BlindIndex("191212121212")
	if len(x) != 32 {
		t.Fatalf("len = %d, want 32", len(x))
	}
	if !bytes.Equal(x, a.BlindIndex("191212121212")) {
		t.Error("not deterministic")
	}
	if !bytes.Equal(x, b.BlindIndex("191212121212")) {
		t.Error("depends on the encryption key")
	}
	if bytes.Equal(x, a.BlindIndex("199001010017")) {
		t.Error("same index for different values")
	}
	if bytes.Equal(x, c.BlindIndex("191212121212")) {
		t.Error("same index under a different index key")
	}
	// Known-answer test against an independent computation of the spec:
	// HMAC-SHA-256(key, "pnr:"+value).
	zeroIdx := bytes.Repeat([]byte{1}, 32)
	z := keyring(t, key(t), nil, zeroIdx)
	got := z.BlindIndex("191212121212")
	want := hmacSHA256(zeroIdx, []byte("pnr:191212121212"))
	if !bytes.Equal(got, want) {
		t.Errorf("BlindIndex = %x, want %x", got, want)
	}
	// Mutating the returned slice does not affect later results.
	got[0] ^= 0xff
	if !bytes.Equal(z.BlindIndex("191212121212"), want) {
		t.Error("returned slice aliases internal state")
	}
}

func TestKeyringCopiesKeys(t *testing.T) {
	cur, idx := key(t), key(t)
	k := keyring(t, cur, nil, idx)
	id := k.CurrentKeyID()
	bi := k.BlindIndex("191212121212")
	_, ct, _ := k.Seal([]byte("x"), nil)
	for i := range cur {
		cur[i], idx[i] = 0, 0
	}
	if _, err := k.Open(id, ct, nil); err != nil {
		t.Errorf("keyring affected by caller zeroing its key: %v", err)
	}
	if !bytes.Equal(bi, k.BlindIndex("191212121212")) {
		t.Error("blind index affected by caller zeroing the index key")
	}
}

func TestConcurrentUse(t *testing.T) {
	k := keyring(t, key(t), nil, key(t))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			aad := []byte{byte(i)}
			for range 200 {
				id, ct, err := k.Seal([]byte("concurrent"), aad)
				if err != nil {
					t.Error(err)
					return
				}
				if pt, err := k.Open(id, ct, aad); err != nil || string(pt) != "concurrent" {
					t.Errorf("Open = %q, %v", pt, err)
					return
				}
				_ = k.BlindIndex("191212121212")
			}
		}()
	}
	wg.Wait()
}

func TestNewKeyringRejects(t *testing.T) {
	good, other := key(t), key(t)
	cases := []struct {
		name     string
		current  []byte
		previous [][]byte
		index    []byte
		want     string
	}{
		{"current short", good[:31], nil, other, "current"},
		{"current long", append(bytes.Clone(good), 0), nil, other, "current"},
		{"current nil", nil, nil, other, "current"},
		{"index short", good, nil, other[:16], "index"},
		{"index equals current", good, nil, bytes.Clone(good), "index"},
		{"previous short", good, [][]byte{other[:10]}, key(t), "previous"},
		{"index equals previous", good, [][]byte{other}, bytes.Clone(other), "previous"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, err := privacy.NewKeyring(tc.current, tc.previous, tc.index)
			if err == nil {
				t.Fatalf("NewKeyring accepted: %v", k.CurrentKeyID())
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
	// Previous equal to current is harmless and folded together.
	if _, err := privacy.NewKeyring(good, [][]byte{bytes.Clone(good)}, other); err != nil {
		t.Errorf("previous equal to current rejected: %v", err)
	}
}

func TestParseKeyring(t *testing.T) {
	k1, k2, k3, idx := key(t), key(t), key(t), key(t)
	std := base64.StdEncoding.EncodeToString
	for name, enc := range map[string]func([]byte) string{
		"std":     std,
		"raw std": base64.RawStdEncoding.EncodeToString,
		"url":     base64.URLEncoding.EncodeToString,
		"raw url": base64.RawURLEncoding.EncodeToString,
	} {
		t.Run(name, func(t *testing.T) {
			k, err := privacy.ParseKeyring(" "+enc(k1)+"\n", enc(k2)+", "+enc(k3), enc(idx))
			if err != nil {
				t.Fatalf("ParseKeyring: %v", err)
			}
			want := keyring(t, k1, [][]byte{k2, k3}, idx)
			if k.CurrentKeyID() != want.CurrentKeyID() {
				t.Errorf("current id %q, want %q", k.CurrentKeyID(), want.CurrentKeyID())
			}
			for _, p := range [][]byte{k2, k3} {
				id, ct, _ := keyring(t, p, nil, idx).Seal([]byte("old"), nil)
				if _, err := k.Open(id, ct, nil); err != nil {
					t.Errorf("previous key not readable: %v", err)
				}
			}
			if !bytes.Equal(k.BlindIndex("x"), want.BlindIndex("x")) {
				t.Error("index key parsed differently")
			}
		})
	}
	if _, err := privacy.ParseKeyring(std(k1), "", std(idx)); err != nil {
		t.Errorf("empty previous: %v", err)
	}
	if _, err := privacy.ParseKeyring(std(k1), "  ", std(idx)); err != nil {
		t.Errorf("blank previous: %v", err)
	}

	short := std(k1[:16])
	secretLooking := "c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw!!" // not base64
	cases := []struct {
		name                     string
		current, previous, index string
		want                     string
	}{
		{"current empty", "", "", std(idx), "current"},
		{"current bad base64", secretLooking, "", std(idx), "current"},
		{"current short", short, "", std(idx), "current"},
		{"index empty", std(k1), "", "", "index"},
		{"index bad base64", std(k1), "", secretLooking, "index"},
		{"index short", std(k1), "", short, "index"},
		{"index equals current", std(k1), "", std(k1), "index"},
		{"index equals current other encoding", std(k1), "", base64.RawURLEncoding.EncodeToString(k1), "index"},
		{"previous bad base64", std(k1), std(k2) + "," + secretLooking, std(idx), "previous key 2"},
		{"previous short", std(k1), short, std(idx), "previous key 1"},
		{"previous trailing comma", std(k1), std(k2) + ",", std(idx), "previous key 2"},
		{"index equals previous", std(k1), std(k2), std(k2), "previous"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := privacy.ParseKeyring(tc.current, tc.previous, tc.index)
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not name %q", msg, tc.want)
			}
			for _, v := range []string{tc.current, tc.previous, tc.index, secretLooking[:20], std(k1)[:20], std(idx)[:20]} {
				if len(v) >= 8 && strings.Contains(msg, strings.TrimSpace(v)) {
					t.Errorf("error %q echoes a key value", msg)
				}
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	a, err := privacy.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := privacy.GenerateKey()
	if a == b {
		t.Error("two generated keys are equal")
	}
	raw, err := base64.StdEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 {
		t.Fatalf("GenerateKey = %q: %d bytes, %v", a, len(raw), err)
	}
	if _, err := privacy.ParseKeyring(a, "", b); err != nil {
		t.Errorf("generated keys do not parse: %v", err)
	}
}

func TestErrorsDoNotLeak(t *testing.T) {
	k := keyring(t, key(t), nil, key(t))
	pt := []byte("19121212-1212 Anna")
	id, ct, _ := k.Seal(pt, []byte("participant:1"))
	_, err := k.Open(id, ct, []byte("participant:2"))
	if err == nil || strings.Contains(err.Error(), "1212") || strings.Contains(err.Error(), "Anna") {
		t.Errorf("error %v leaks or is missing", err)
	}
}

func FuzzOpen(f *testing.F) {
	// Random keys per process: the fuzz engine runs this in several processes
	// and passes inputs between them, so one process's genuine ciphertext must
	// not open in another.
	k := keyring(f, key(f), nil, key(f))
	aad := []byte("participant:1")
	_, good, err := k.Seal([]byte("seed plaintext"), aad)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, aad)
	f.Add(good, []byte("participant:2"))
	f.Add([]byte{}, []byte{})
	f.Add(make([]byte, 28), aad)
	f.Add(bytes.Repeat([]byte{0xff}, 64), []byte(nil))
	f.Fuzz(func(t *testing.T, ct, aad []byte) {
		if bytes.Equal(ct, good) && string(aad) == "participant:1" {
			return // this process's one genuine ciphertext
		}
		pt, err := k.Open(k.CurrentKeyID(), ct, aad)
		if err == nil {
			t.Fatalf("random ciphertext opened to %q", pt)
		}
		if pt != nil {
			t.Fatal("plaintext returned with an error")
		}
		if !errors.Is(err, privacy.ErrTampered) {
			t.Fatalf("err = %v, want ErrTampered", err)
		}
	})
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}
