package partnership

import (
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Messages of step model and assessment validation.
const (
	MsgStepModelName  = "Ange modellens namn (högst 100 tecken)."
	MsgStepScale      = "Skalan ska gå från ett lägsta steg (0–19) till ett högsta (1–20) som är större."
	MsgStepDimensions = "Ange mellan 1 och 20 dimensioner med olika namn (högst 100 tecken vardera)."
	MsgStepModelInUse = "Modellen har bedömningar: dimensioner kan bara byta namn eller läggas till, skalan kan inte ändras."
	MsgAssessedOn     = "Ange bedömningsdatum; det kan inte ligga i framtiden."
)

// maxDimensions is the most dimensions a step model may have.
const maxDimensions = 20

// Dimension is one rated dimension of a step model. Its ID stays when it is
// renamed, so ratings follow it.
type Dimension struct {
	ID   int64
	Name string
}

// StepModel is the model an agreement's participants are assessed on: named
// dimensions, each rated on the steps ScaleMin…ScaleMax.
type StepModel struct {
	AgreementID int64
	Name        string
	ScaleMin    int
	ScaleMax    int
	Dimensions  []Dimension
}

// DefaultStepModel is GA-modellen, which seed 002 measures effect with. The
// seed names the model but not its dimensions, so these are a documented,
// plausible set on a 1–5 scale; officers adjust them per agreement. Until
// the model is stored (on the first assessment or configuration) its
// dimensions have the ids -1, -2, … by position, so that a form can name
// them; a dimension with an id ≤ 0 is a new one.
func DefaultStepModel() StepModel {
	m := StepModel{Name: "GA-modellen", ScaleMin: 1, ScaleMax: 5}
	for i, n := range []string{"Motivation", "Självförtroende", "Social förmåga", "Språk", "Arbetsförmåga", "Struktur och rutiner"} {
		m.Dimensions = append(m.Dimensions, Dimension{ID: -int64(i + 1), Name: n})
	}
	return m
}

// StoredRatings re-keys ratings given on the unstored default model (ids
// ≤ 0, see DefaultStepModel) to the dimensions of m, the model as now
// stored, by name; a rating whose dimension m no longer has is dropped, so
// that validation asks for it again. Ratings keyed by stored ids pass as
// they are.
func (m StepModel) StoredRatings(ratings map[int64]int) map[int64]int {
	defaults := DefaultStepModel().Dimensions
	out := make(map[int64]int, len(ratings))
	for id, r := range ratings {
		if id > 0 {
			out[id] = r
			continue
		}
		if pos := int(-id) - 1; pos >= 0 && pos < len(defaults) {
			for _, d := range m.Dimensions {
				if strings.EqualFold(d.Name, defaults[pos].Name) {
					out[d.ID] = r
				}
			}
		}
	}
	return out
}

// Steps are the steps of the scale, lowest first.
func (m StepModel) Steps() []int {
	var out []int
	for s := m.ScaleMin; s <= m.ScaleMax; s++ {
		out = append(out, s)
	}
	return out
}

// Validate checks the model on its own.
func (m StepModel) Validate() error {
	v := ValidationError{}
	if n := utf8.RuneCountInString(strings.TrimSpace(m.Name)); n == 0 || n > 100 {
		v.Add("name", MsgStepModelName)
	}
	if m.ScaleMin < 0 || m.ScaleMin > 19 || m.ScaleMax < 1 || m.ScaleMax > 20 || m.ScaleMax <= m.ScaleMin {
		v.Add("scale", MsgStepScale)
	}
	seen := map[string]bool{}
	if len(m.Dimensions) == 0 || len(m.Dimensions) > maxDimensions {
		v.Add("dimensions", MsgStepDimensions)
	}
	for _, d := range m.Dimensions {
		name := strings.ToLower(strings.TrimSpace(d.Name))
		if name == "" || utf8.RuneCountInString(name) > 100 || seen[name] {
			v.Add("dimensions", MsgStepDimensions)
		}
		seen[name] = true
	}
	return v.Err()
}

// CheckChange checks next as the new version of the model m. Once the
// model has assessments, changing the scale or dropping a dimension would
// change what recorded ratings mean, so only renaming and adding are
// allowed.
func (m StepModel) CheckChange(next StepModel, assessed bool) error {
	if err := next.Validate(); err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, d := range m.Dimensions {
		known[d.ID] = true
	}
	kept := 0
	for _, d := range next.Dimensions {
		if d.ID > 0 && !known[d.ID] {
			return ValidationError{"dimensions": MsgStepDimensions}
		}
		if d.ID > 0 {
			kept++
		}
	}
	if assessed && (next.ScaleMin != m.ScaleMin || next.ScaleMax != m.ScaleMax || kept != len(m.Dimensions)) {
		return ValidationError{"dimensions": MsgStepModelInUse}
	}
	return nil
}

// Assessment is one dated assessment of a participant: a step per
// dimension of the agreement's model, keyed by dimension id.
type Assessment struct {
	ID            int64
	ParticipantID int64
	AssessedOn    time.Time
	Ratings       map[int64]int
}

// RatingField is the form field of the rating of a dimension.
func RatingField(dimensionID int64) string {
	return "rating_" + strconv.FormatInt(dimensionID, 10)
}

// Validate checks the assessment against the model: a date not after
// today and one rating within the scale for every dimension.
func (a Assessment) Validate(m StepModel, today time.Time) error {
	v := ValidationError{}
	if !validDay(a.AssessedOn) || a.AssessedOn.After(today) {
		v.Add("assessed_on", MsgAssessedOn)
	}
	for _, d := range m.Dimensions {
		r, ok := a.Ratings[d.ID]
		if !ok || r < m.ScaleMin || r > m.ScaleMax {
			v.Add(RatingField(d.ID), "Välj ett steg mellan "+strconv.Itoa(m.ScaleMin)+" och "+strconv.Itoa(m.ScaleMax)+".")
		}
	}
	for id := range a.Ratings {
		if !m.has(id) {
			v.Add("assessed_on", MsgStepDimensions)
		}
	}
	return v.Err()
}

func (m StepModel) has(id int64) bool {
	for _, d := range m.Dimensions {
		if d.ID == id {
			return true
		}
	}
	return false
}

// DimensionProgress is a participant's progression on one dimension: the
// first and latest rating (nil when never rated) and the change between them.
type DimensionProgress struct {
	DimensionID int64
	Name        string
	First       *int
	Latest      *int
	Change      int
}

// Progression is the participant's progression per dimension of the model:
// the latest rating minus the first, over the assessments in date order.
// A dimension added after some assessments starts at its first rating.
func Progression(m StepModel, assessments []Assessment) []DimensionProgress {
	sorted := append([]Assessment(nil), assessments...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].AssessedOn.Equal(sorted[j].AssessedOn) {
			return sorted[i].AssessedOn.Before(sorted[j].AssessedOn)
		}
		return sorted[i].ID < sorted[j].ID
	})
	out := make([]DimensionProgress, 0, len(m.Dimensions))
	for _, d := range m.Dimensions {
		p := DimensionProgress{DimensionID: d.ID, Name: d.Name}
		for _, a := range sorted {
			r, ok := a.Ratings[d.ID]
			if !ok {
				continue
			}
			if p.First == nil {
				first := r
				p.First = &first
			}
			latest := r
			p.Latest = &latest
		}
		if p.First != nil {
			p.Change = *p.Latest - *p.First
		}
		out = append(out, p)
	}
	return out
}

// MovedUp reports whether the progression shows at least one step up on
// at least one dimension.
func MovedUp(progress []DimensionProgress) bool {
	for _, p := range progress {
		if p.Change >= 1 {
			return true
		}
	}
	return false
}
