package server

import (
	"errors"
	"log/slog"
	"net/http"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// fail is the one error funnel: domain errors become their status page,
// anything else a 500 with the cause logged. Users never see Go errors.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var verr partnership.ValidationError
	switch {
	case errors.Is(err, partnership.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound)
	case errors.Is(err, partnership.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden)
	case errors.Is(err, partnership.ErrConflict):
		s.renderError(w, r, http.StatusConflict)
	case errors.As(err, &verr):
		s.renderError(w, r, http.StatusUnprocessableEntity)
	default:
		s.serverError(w, r, err)
	}
}

// serverError logs the cause with the request id and shows the 500 page,
// or, while the database cannot be reached, the 503 page: the next request
// after it is back is served as usual, since the pool reconnects by itself.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if postgres.Unavailable(err) {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "database unavailable",
			slog.String("request_id", requestIDFrom(r.Context())), slog.String("error", err.Error()))
		w.Header().Set("Retry-After", retryAfterSeconds)
		s.renderError(w, r, http.StatusServiceUnavailable)
		return
	}
	s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("request_id", requestIDFrom(r.Context())), slog.String("error", err.Error()))
	s.renderError(w, r, http.StatusInternalServerError)
}

// retryAfterSeconds is how long a client is asked to wait while the
// database is unavailable.
const retryAfterSeconds = "5"

// renderInvalidText answers a request with text that cannot be stored in
// the named fields: 422, and nothing is saved.
func (s *Server) renderInvalidText(w http.ResponseWriter, r *http.Request, fields []string) {
	vm := templates.ErrorVM{
		Base: s.base(r, "Otillåtna tecken"), Status: http.StatusUnprocessableEntity, Heading: "Otillåtna tecken",
		Message: "Fälten nedan innehåller tecken som inte kan sparas: ett nolltecken, ett annat styrtecken än " +
			"tabb och radbrytning, eller text som inte är giltig UTF-8 (till exempel inklistrad från ett annat " +
			"program). Ingenting har sparats. Gå tillbaka, ta bort tecknen och skicka igen.",
		Fields: fields,
	}
	s.render(w, r, http.StatusUnprocessableEntity, templates.ErrorPage(vm))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound)
}

var errorTexts = map[int][2]string{
	http.StatusForbidden:             {"Du saknar behörighet", "Din roll ger inte tillgång till den här sidan eller åtgärden."},
	http.StatusNotFound:              {"Sidan finns inte", "Sidan du söker finns inte, eller så har du inte tillgång till den. Kontrollera adressen."},
	http.StatusMethodNotAllowed:      {"Åtgärden stöds inte", "Sidan kan inte användas på det sättet."},
	http.StatusConflict:              {"Ändringen krockar", "Någon annan har ändrat uppgifterna under tiden. Ladda om sidan och försök igen."},
	http.StatusUnprocessableEntity:   {"Uppgifterna kunde inte sparas", "Några uppgifter är ogiltiga. Gå tillbaka och rätta dem."},
	http.StatusBadRequest:            {"Felaktig förfrågan", "Det som skickades kunde inte läsas. Ladda om sidan och försök igen."},
	http.StatusRequestEntityTooLarge: {"För mycket data", "Det som skickades är större än vad som tas emot: ett formulär högst 1 MB, en uppladdning högst 21 MB. Ingenting har sparats."},
	http.StatusServiceUnavailable:    {"Tjänsten är tillfälligt otillgänglig", "Databasen svarar inte just nu. Ingenting av det du skickade har sparats till hälften. Försök igen om en stund."},
	http.StatusInternalServerError:   {"Något gick fel", "Ett oväntat fel inträffade. Ingenting av det du skickade in har sparats till hälften; försök igen om en stund."},
}

// renderError shows the error page for status with the request id.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	text, ok := errorTexts[status]
	if !ok {
		text = [2]string{http.StatusText(status), ""}
	}
	vm := templates.ErrorVM{Base: s.base(r, text[0]), Status: status, Heading: text[0], Message: text[1]}
	s.render(w, r, status, templates.ErrorPage(vm))
}
