package partnership

import (
	"errors"
	"testing"
)

func TestParseOrgNumber(t *testing.T) {
	tests := []struct {
		in      string
		want    OrgNumber
		wantErr error
	}{
		{"212000-0449", "2120000449", nil}, // Linköpings kommun
		{"822001-3331", "8220013331", nil}, // Internationella Kvinnoföreningen
		{"8220010022", "8220010022", nil},  // Linköpings Stadsmission
		{" 822001 - 0022 ", "8220010022", nil},
		{"", "", nil},
		{"   ", "", nil},
		{"212000-0448", "", ErrOrgNumberChecksum},
		{"212000-044", "", ErrOrgNumberLength},
		{"2120000-04499", "", ErrOrgNumberLength},
		{"21200O-0449", "", ErrOrgNumberChars},
		{"212-000-0449", "", ErrOrgNumberChars},
		{"212000+0449", "2120000449", nil}, // the separator of the personal-number style
		{"21 20 00 04 49", "2120000449", nil},
		{"\t212000-0449\n", "2120000449", nil},
		{"212000-0440", "", ErrOrgNumberChecksum},
		{"8220013332", "", ErrOrgNumberChecksum},
		{"0000000001", "", ErrOrgNumberChecksum},
		{"2", "", ErrOrgNumberLength},
		{"-", "", ErrOrgNumberLength},
		{"212000-04490", "", ErrOrgNumberLength},
		{"212000\u20130449", "2120000449", nil},      // an en dash, as word processors type it
		{"212000-\u00a00449", "2120000449", nil},     // a non-breaking space
		{"212000\u2013-0449", "", ErrOrgNumberChars}, // two separators
		{"２１２０００-０４４９", "", ErrOrgNumberChars},       // full-width digits are not digits here
		{"212000/0449", "", ErrOrgNumberChars},
	}
	for _, tt := range tests {
		got, err := ParseOrgNumber(tt.in)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("ParseOrgNumber(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestOrgNumberString(t *testing.T) {
	if got := OrgNumber("2120000449").String(); got != "212000-0449" {
		t.Errorf("String() = %q", got)
	}
	if got := OrgNumber("").String(); got != "" {
		t.Errorf("empty String() = %q", got)
	}
}

func FuzzParseOrgNumber(f *testing.F) {
	for _, s := range []string{"212000-0449", "8220013331", "", "12-34", "abc", "0000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseOrgNumber(s)
		if err != nil {
			if n != "" {
				t.Fatalf("error with a value: %q", n)
			}
			return
		}
		if n == "" {
			return
		}
		// A parsed number round-trips through its display form.
		again, err := ParseOrgNumber(n.String())
		if err != nil || again != n {
			t.Fatalf("round trip of %q gave %q, %v", n, again, err)
		}
		if !luhnValid([]byte(n)) {
			t.Fatalf("accepted %q with a bad check digit", n)
		}
	})
}
