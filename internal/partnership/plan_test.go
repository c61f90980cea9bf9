package partnership

import (
	"errors"
	"testing"
	"time"
)

func planDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestProgression(t *testing.T) {
	model := StepModel{Name: "GA-modellen", ScaleMin: 1, ScaleMax: 5, Dimensions: []Dimension{{ID: 1, Name: "Motivation"}, {ID: 2, Name: "Språk"}}}
	renamed := model
	renamed.Dimensions = []Dimension{{ID: 1, Name: "Drivkraft"}, {ID: 2, Name: "Språk"}, {ID: 3, Name: "Struktur"}}
	a := func(id int64, on string, r map[int64]int) Assessment {
		return Assessment{ID: id, AssessedOn: planDay(on), Ratings: r}
	}
	type want struct {
		first, latest *int
		change        int
	}
	n := func(i int) *int { return &i }
	tests := []struct {
		name  string
		model StepModel
		in    []Assessment
		want  []want
		moved bool
	}{
		{"no assessment", model, nil, []want{{nil, nil, 0}, {nil, nil, 0}}, false},
		{"one assessment", model, []Assessment{a(1, "2024-01-10", map[int64]int{1: 2, 2: 3})},
			[]want{{n(2), n(2), 0}, {n(3), n(3), 0}}, false},
		{"improvement on one dimension", model, []Assessment{
			a(1, "2024-01-10", map[int64]int{1: 2, 2: 3}), a(2, "2024-06-10", map[int64]int{1: 4, 2: 3}),
		}, []want{{n(2), n(4), 2}, {n(3), n(3), 0}}, true},
		{"decline", model, []Assessment{
			a(1, "2024-01-10", map[int64]int{1: 3, 2: 3}), a(2, "2024-06-10", map[int64]int{1: 2, 2: 1}),
		}, []want{{n(3), n(2), -1}, {n(3), n(1), -2}}, false},
		{"date order, not input order; middle ignored", model, []Assessment{
			a(3, "2024-09-01", map[int64]int{1: 3, 2: 2}), a(1, "2024-01-10", map[int64]int{1: 1, 2: 2}),
			a(2, "2024-05-01", map[int64]int{1: 5, 2: 1}),
		}, []want{{n(1), n(3), 2}, {n(2), n(2), 0}}, true},
		{"renamed and added dimension", renamed, []Assessment{
			a(1, "2024-01-10", map[int64]int{1: 1, 2: 3}), a(2, "2024-06-10", map[int64]int{1: 2, 2: 3, 3: 4}),
		}, []want{{n(1), n(2), 1}, {n(3), n(3), 0}, {n(4), n(4), 0}}, true},
	}
	eq := func(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Progression(tt.model, tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d dimensions, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Name != tt.model.Dimensions[i].Name || !eq(g.First, w.first) || !eq(g.Latest, w.latest) || g.Change != w.change {
					t.Errorf("dimension %d = %+v, want %+v", i, g, w)
				}
			}
			if MovedUp(got) != tt.moved {
				t.Errorf("MovedUp = %v, want %v", !tt.moved, tt.moved)
			}
		})
	}
}

func TestStepModelCheckChange(t *testing.T) {
	m := StepModel{Name: "GA-modellen", ScaleMin: 1, ScaleMax: 5, Dimensions: []Dimension{{ID: 1, Name: "Motivation"}, {ID: 2, Name: "Språk"}}}
	with := func(f func(*StepModel)) StepModel {
		n := m
		n.Dimensions = append([]Dimension(nil), m.Dimensions...)
		f(&n)
		return n
	}
	tests := []struct {
		name     string
		next     StepModel
		assessed bool
		ok       bool
	}{
		{"rename while assessed", with(func(n *StepModel) { n.Dimensions[0].Name = "Drivkraft" }), true, true},
		{"add while assessed", with(func(n *StepModel) { n.Dimensions = append(n.Dimensions, Dimension{Name: "Struktur"}) }), true, true},
		{"drop while assessed", with(func(n *StepModel) { n.Dimensions = n.Dimensions[:1] }), true, false},
		{"scale while assessed", with(func(n *StepModel) { n.ScaleMax = 7 }), true, false},
		{"drop and rescale unassessed", with(func(n *StepModel) { n.Dimensions = n.Dimensions[:1]; n.ScaleMax = 7 }), false, true},
		{"duplicate names", with(func(n *StepModel) { n.Dimensions[1].Name = "motivation" }), false, false},
		{"inverted scale", with(func(n *StepModel) { n.ScaleMin = 5; n.ScaleMax = 1 }), false, false},
		{"unknown dimension id", with(func(n *StepModel) { n.Dimensions[0].ID = 99 }), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.CheckChange(tt.next, tt.assessed)
			var v ValidationError
			if tt.ok != (err == nil) || (err != nil && !errors.As(err, &v)) {
				t.Errorf("CheckChange = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestGoalOutcome(t *testing.T) {
	today := planDay("2024-06-15")
	g := Goal{Term: GoalShortTerm, Text: "Söka tre jobb", FollowUpOn: planDay("2024-06-01"), Status: GoalInProgress}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if !g.Overdue(today) {
		t.Error("a passed follow-up without outcome is overdue")
	}
	if err := g.RecordOutcome(planDay("2024-06-20"), GoalAchieved, "", today); err == nil {
		t.Error("an outcome in the future is refused")
	}
	if err := g.RecordOutcome(planDay("2024-06-10"), GoalPartlyAchieved, " Två av tre ", today); err != nil || g.Overdue(today) || g.OutcomeNote != "Två av tre" {
		t.Errorf("RecordOutcome: %v, goal %+v", err, g)
	}
	if err := (Goal{Term: "x", FollowUpOn: planDay("1999-01-01")}).Validate(); len(err.(ValidationError)) != 3 {
		t.Errorf("Validate = %v, want three problems", err)
	}
}
