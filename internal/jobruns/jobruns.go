// Package jobruns counts the runs of the scheduled jobs (indexation,
// retention purge, reminders) in this process, for /metrics. It is a
// process-wide registry because the jobs and the server are started apart
// and meet only here.
package jobruns

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// Stats are one job's runs since the process started.
type Stats struct {
	Job         string
	OK          uint64 // runs that did their work
	Failed      uint64 // runs that ended in an error
	Busy        uint64 // runs skipped because another instance held the lock
	LastSuccess time.Time
}

var (
	mu   sync.Mutex
	jobs = map[string]*Stats{}
)

// Record counts one run of job that ended with err; a run that ended
// because another instance held the job's lock (errors.Is(err, busy)) is
// counted apart, as it is no failure.
func Record(job string, err, busy error) {
	mu.Lock()
	defer mu.Unlock()
	s := jobs[job]
	if s == nil {
		s = &Stats{Job: job}
		jobs[job] = s
	}
	switch {
	case err == nil:
		s.OK++
		s.LastSuccess = time.Now()
	case busy != nil && errors.Is(err, busy):
		s.Busy++
	default:
		s.Failed++
	}
}

// Snapshot returns every job's stats, ordered by job name.
func Snapshot() []Stats {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Stats, 0, len(jobs))
	for _, s := range jobs {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Job < out[j].Job })
	return out
}
