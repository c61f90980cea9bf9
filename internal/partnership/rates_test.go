package partnership

import (
	"errors"
	"testing"

	"iop/internal/money"
)

func TestIndexRateBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typed string
		ok    bool
	}{
		{"−10 %", true},
		{"-10", true},
		{"-9,99", true},
		{"0", true},
		{"2,3 %", true},
		{"19,99", true},
		{"20 %", true},
		{"-10,01", false},
		{"20,01", false},
		{"-99", false},
		{"25", false},
		{"100", false},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			bp, err := money.ParsePercent(tt.typed)
			if err != nil {
				t.Fatal(err)
			}
			if got := ValidIndexRate(bp); got != tt.ok {
				t.Errorf("ValidIndexRate(%d) = %v, want %v", bp, got, tt.ok)
			}
			// The agreement's own rate and the municipality's decided
			// rates follow the same rule, with the message on their field.
			checks := map[string]error{
				"index_rate": Agreement{IndexMode: IndexFixed, IndexRateBP: bp}.ValidateEconomy(),
				"rate":       IndexRate{Year: 2024, RateBP: bp}.Validate(),
			}
			for field, err := range checks {
				var v ValidationError
				switch {
				case tt.ok && err != nil:
					t.Errorf("%s: %v", field, err)
				case !tt.ok && (!errors.As(err, &v) || v[field] != MsgIndexRateRange || len(v) != 1):
					t.Errorf("%s: got %v, want %q on %s", field, err, MsgIndexRateRange, field)
				}
			}
		})
	}
}
