package partnership

import "fmt"

// MsgActivityType is the message on the type field of an activity whose
// type is not one of the agreement's active types.
const MsgActivityType = "Välj en av överenskommelsens aktivitetstyper."

// MsgActivityYearLocked says why no activity of year can be logged,
// changed or deleted any more: the year is locked for the agreement.
func MsgActivityYearLocked(year int) string {
	return fmt.Sprintf("År %d är låst eftersom det har fakturerats eller rapporterats. "+
		"Aktiviteter det året kan inte längre loggas, ändras eller tas bort.", year)
}
