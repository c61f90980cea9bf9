package partnership

import (
	"testing"
	"time"
)

func TestDialogueRequirementIn(t *testing.T) {
	meetings := []Meeting{
		{Kind: MeetingDialogue, HeldOn: meetingDay("2024-03-12")},
		{Kind: MeetingDialogue, HeldOn: meetingDay("2024-10-08")},
		{Kind: MeetingSteeringGroup, HeldOn: meetingDay("2024-05-01")},
		{Kind: MeetingDialogue, HeldOn: meetingDay("2025-02-01")},
	}
	tests := []struct {
		name     string
		required int
		meetings []Meeting
		year     int
		today    string
		want     string
		met      bool
		ok       bool
	}{
		{"none required", 0, meetings, 2024, "2024-12-31", "", false, false},
		{"both held", 2, meetings, 2024, "2024-12-31", "2 av 2 dialogmöten hållna 2024", true, true},
		{"one held, one planned", 2, meetings, 2024, "2024-06-01", "1 av 2 dialogmöten hållna 2024 (1 planerade)", false, true},
		{"held on the day itself", 2, meetings, 2024, "2024-10-08", "2 av 2 dialogmöten hållna 2024", true, true},
		{"steering group does not count", 1, meetings[2:3], 2024, "2024-12-31", "0 av 1 dialogmöte hållna 2024", false, true},
		{"other year", 2, meetings, 2025, "2025-03-01", "1 av 2 dialogmöten hållna 2025", false, true},
		{"no meetings", 2, nil, 2024, "2024-12-31", "0 av 2 dialogmöten hållna 2024", false, true},
		{"more than required", 1, meetings, 2024, "2024-12-31", "2 av 1 dialogmöte hållna 2024", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := DialogueRequirementIn(Agreement{DialogueMeetingsPerYear: tt.required}, tt.meetings, tt.year, meetingDay(tt.today))
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if got := r.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if r.Met() != tt.met {
				t.Errorf("Met() = %v, want %v", r.Met(), tt.met)
			}
		})
	}
}

func TestSteeringGroupPresence(t *testing.T) {
	one, two := int64(1), int64(2)
	a := Agreement{RepresentativesPerParty: 2, Parties: []Party{
		{ID: 1, OrganisationName: "Kommunen"}, {ID: 2, OrganisationName: "Stadsmissionen"}}}
	attendees := []MeetingAttendee{{PartyID: &one, Name: "A"}, {PartyID: &one, Name: "B"}, {PartyID: &two, Name: "C"}, {Name: "Gäst"}}
	tests := []struct {
		name     string
		kind     MeetingKind
		required int
		want     []string
		met      []bool
	}{
		{"steering group, one party short", MeetingSteeringGroup, 2,
			[]string{"Kommunen: 2 av 2 representanter", "Stadsmissionen: 1 av 2 representanter"}, []bool{true, false}},
		{"one required", MeetingSteeringGroup, 1,
			[]string{"Kommunen: 2 av 1 representant", "Stadsmissionen: 1 av 1 representant"}, []bool{true, true}},
		{"dialogue meetings are not checked", MeetingDialogue, 2, nil, nil},
		{"nothing required", MeetingSteeringGroup, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.RepresentativesPerParty = tt.required
			got := SteeringGroupPresence(a, Meeting{Kind: tt.kind, Attendees: attendees})
			if len(got) != len(tt.want) {
				t.Fatalf("got %d parties, want %d", len(got), len(tt.want))
			}
			for i, p := range got {
				if p.String() != tt.want[i] || p.Met() != tt.met[i] {
					t.Errorf("party %d = %q met %v, want %q met %v", i, p.String(), p.Met(), tt.want[i], tt.met[i])
				}
			}
		})
	}
}

func TestMeetingValidate(t *testing.T) {
	party := int64(7)
	other := int64(8)
	parties := []Party{{ID: party}}
	tests := []struct {
		name  string
		m     Meeting
		field string
	}{
		{"valid", Meeting{Kind: MeetingDialogue, HeldOn: meetingDay("2024-03-12"), StartsAt: "13:30",
			Attendees: []MeetingAttendee{{PartyID: &party, Name: "Anna"}}}, ""},
		{"no kind", Meeting{HeldOn: meetingDay("2024-03-12")}, "kind"},
		{"no date", Meeting{Kind: MeetingDialogue}, "held_on"},
		{"bad time", Meeting{Kind: MeetingDialogue, HeldOn: meetingDay("2024-03-12"), StartsAt: "25:00"}, "starts_at"},
		{"foreign party", Meeting{Kind: MeetingDialogue, HeldOn: meetingDay("2024-03-12"),
			Attendees: []MeetingAttendee{{PartyID: &other, Name: "X"}}}, "attendees"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate(parties)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			v, ok := err.(ValidationError)
			if !ok || v[tt.field] == "" {
				t.Fatalf("Validate() = %v, want a message on %s", err, tt.field)
			}
		})
	}
}

func meetingDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
