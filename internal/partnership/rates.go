package partnership

// MinIndexRateBP and MaxIndexRateBP bound, both included, a yearly index
// rate in basis points: −10 % and 20 %. Yearly price and wage development
// stays far inside them, even in years of high inflation, so a rate
// outside is a typing error ("25" meant as 2,5 %) that would otherwise
// compound silently into every later year's budget.
const (
	MinIndexRateBP = -1000
	MaxIndexRateBP = 2000
)

// MsgIndexRateRange is the message on a rate field outside the bounds.
const MsgIndexRateRange = "Ange en procentsats mellan −10\u00a0% och 20\u00a0%."

// ValidIndexRate reports whether bp, in basis points, is a yearly index
// rate that may be entered: from MinIndexRateBP to MaxIndexRateBP.
func ValidIndexRate(bp int64) bool { return bp >= MinIndexRateBP && bp <= MaxIndexRateBP }
