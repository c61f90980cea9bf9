package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/templates"
)

// The chart's geometry: a label line and two bars per dimension.
const (
	chartBarWidth = 390 // the width of a bar at the top of the scale
	chartRowStep  = 52  // the height of one dimension's rows
)

// planSectionVM gathers the participant page's IUP and assessment section.
func (s *Server) planSectionVM(r *http.Request, p partnership.Participant, url string, forms map[string]templates.Form, today time.Time) (templates.PlanSectionVM, error) {
	ctx, actor := r.Context(), actorOf(r)
	vm := templates.PlanSectionVM{URL: url, Forms: forms, Today: today.Format(time.DateOnly),
		Terms:    enumOptions(partnership.GoalTerms, partnership.GoalTerm.Label, "", ""),
		Statuses: enumOptions(partnership.GoalStatuses, partnership.GoalStatus.Label, "", "Välj")}
	goals, err := s.plans.Goals(ctx, actor, p.ID)
	if err != nil {
		return vm, err
	}
	vm.Texts = goals.Texts
	for _, st := range partnership.GoalStatuses {
		vm.Counts = append(vm.Counts, templates.AgreementFact{Label: st.Label(), Value: strconv.Itoa(goals.Counts[st])})
	}
	for _, g := range goals.Goals {
		vm.Goals = append(vm.Goals, templates.GoalRow{
			ID: strconv.FormatInt(g.ID, 10), Term: g.Term.Label(), Text: g.Text, FollowUpOn: g.FollowUpOn.Format(time.DateOnly),
			Status: g.Status.Label(), OutcomeOn: day(g.OutcomeOn), OutcomeNote: g.OutcomeNote, Overdue: g.Overdue(today),
			OutcomeURL: url + "/goals/" + strconv.FormatInt(g.ID, 10) + "/outcome",
		})
	}
	as, err := s.plans.Assessments(ctx, actor, p.ID)
	if err != nil {
		return vm, err
	}
	vm.MayManage = as.MayAssess
	m := as.Model
	vm.ModelName, vm.Scale, vm.Assessed = m.Name, fmt.Sprintf("%d–%d", m.ScaleMin, m.ScaleMax), len(as.Assessments)
	for _, d := range m.Dimensions {
		in := templates.RatingInput{Field: partnership.RatingField(d.ID), Name: d.Name}
		for _, st := range m.Steps() {
			in.Steps = append(in.Steps, templates.Option{Value: strconv.Itoa(st), Label: strconv.Itoa(st)})
		}
		vm.Ratings = append(vm.Ratings, in)
	}
	moved := 0
	for i, pr := range as.Progression {
		row := templates.ProgressRow{Name: pr.Name, First: "–", Latest: "–", Change: "–",
			LabelY: strconv.Itoa(i*chartRowStep + 14), FirstY: strconv.Itoa(i*chartRowStep + 20),
			LatestY: strconv.Itoa(i*chartRowStep + 34), FirstW: "0", LatestW: "0"}
		if pr.First != nil {
			row.First, row.Latest = strconv.Itoa(*pr.First), strconv.Itoa(*pr.Latest)
			row.Change = fmt.Sprintf("%+d", pr.Change)
			row.FirstW, row.LatestW = barWidth(*pr.First, m.ScaleMax), barWidth(*pr.Latest, m.ScaleMax)
		}
		if pr.Change >= 1 {
			moved++
		}
		vm.Progress = append(vm.Progress, row)
	}
	vm.ChartHeight = strconv.Itoa(len(vm.Progress)*chartRowStep + 4)
	switch vm.Assessed {
	case 0:
		vm.ChartSummary = "Inga bedömningar ännu."
	case 1:
		vm.ChartSummary = "En bedömning; förflyttning syns från den andra."
	default:
		vm.ChartSummary = fmt.Sprintf("%d bedömningar. Förflyttning uppåt på %d av %d dimensioner.", vm.Assessed, moved, len(vm.Progress))
	}
	return vm, nil
}

// barWidth is a rating's bar, as a share of the full width at the top of the scale.
func barWidth(rating, top int) string {
	if top <= 0 || rating <= 0 {
		return "0"
	}
	return strconv.Itoa(rating * chartBarWidth / top)
}

func (s *Server) handlePlanGoalCreate(w http.ResponseWriter, r *http.Request) {
	s.participantStep(w, r, "goal", []string{"term", "text", "follow_up_on"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "follow_up_on", verr)
		term, ok := partnership.ParseGoalTerm(v["term"])
		if !ok {
			verr.Add("term", partnership.MsgGoalTerm)
		}
		if strings.TrimSpace(v["text"]) == "" {
			verr.Add("text", partnership.MsgGoalText)
		}
		if len(verr) > 0 {
			return "", nil
		}
		_, err := s.plans.AddGoal(r.Context(), actorOf(r), p.ID, partnership.Goal{Term: term, Text: strings.TrimSpace(v["text"]), FollowUpOn: *on})
		return "Målet lades till i planen för " + p.Code + ".", err
	})
}

func (s *Server) handlePlanGoalOutcome(w http.ResponseWriter, r *http.Request) {
	goalID, err := urlID(r, "goalID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := "outcome-" + strconv.FormatInt(goalID, 10)
	s.participantStep(w, r, form, []string{"outcome_on", "status", "outcome_note"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "outcome_on", verr)
		status, ok := partnership.ParseGoalStatus(v["status"])
		if !ok {
			verr.Add("status", partnership.MsgGoalStatus)
		}
		if len(verr) > 0 {
			return "", nil
		}
		g, err := s.plans.RecordGoalOutcome(r.Context(), actorOf(r), p.ID, goalID, *on, status, v["outcome_note"])
		return "Utfallet registrerades: " + g.Status.Label() + ".", err
	})
}

func (s *Server) handlePlanAssess(w http.ResponseWriter, r *http.Request) {
	ag, _, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.plans.Model(r.Context(), actorOf(r), ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fields := []string{"assessed_on"}
	for _, d := range m.Dimensions {
		fields = append(fields, partnership.RatingField(d.ID))
	}
	s.participantStep(w, r, "assessment", fields, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "assessed_on", verr)
		a := partnership.Assessment{Ratings: map[int64]int{}}
		for _, d := range m.Dimensions {
			n, err := strconv.Atoi(strings.TrimSpace(v[partnership.RatingField(d.ID)]))
			if err != nil {
				verr.Add(partnership.RatingField(d.ID), fmt.Sprintf("Välj ett steg mellan %d och %d.", m.ScaleMin, m.ScaleMax))
				continue
			}
			a.Ratings[d.ID] = n
		}
		if len(verr) > 0 {
			return "", nil
		}
		a.AssessedOn = *on
		_, err := s.plans.Assess(r.Context(), actorOf(r), p.ID, a)
		return "Bedömningen av " + p.Code + " sparades.", err
	})
}
