package privacy_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"iop/internal/privacy"
)

// FuzzParseKeyring: keys from the environment either build a keyring that
// seals and opens, or fail with an error that never contains a value
// given (keys are secrets and must not reach logs).
func FuzzParseKeyring(f *testing.F) {
	a := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, privacy.KeySize))
	b := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, privacy.KeySize))
	c := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{3}, privacy.KeySize))
	f.Add(a, "", b)
	f.Add(a, b+","+c, c)
	f.Add(a, "", a)
	f.Add(" "+a+" ", " , ", b)
	f.Add("", "", "")
	f.Add("!!!!", "x", a[:10])
	f.Add(a+"AAAA", a, b)
	f.Fuzz(func(t *testing.T, current, previous, index string) {
		k, err := privacy.ParseKeyring(current, previous, index)
		if err != nil {
			if k != nil {
				t.Fatal("keyring returned with an error")
			}
			for _, v := range append(strings.Split(previous, ","), current, index) {
				if v = strings.TrimSpace(v); len(v) >= 8 && strings.Contains(err.Error(), v) {
					t.Fatalf("error %q contains a key value", err)
				}
			}
			return
		}
		id, ct, err := k.Seal([]byte("x"), []byte("aad"))
		if err != nil {
			t.Fatal(err)
		}
		if pt, err := k.Open(id, ct, []byte("aad")); err != nil || string(pt) != "x" {
			t.Fatalf("open: %q, %v", pt, err)
		}
	})
}
