package server

import (
	"errors"
	"fmt"
	"net/http"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/templates"
)

func participantImportPath(agreementID int64) string {
	return participantsPath(agreementID) + "/import"
}

// loadParticipantImport reads the agreement of the route for an actor who
// may import its participants: the association staff of a party. The
// route admits staff only; staff of another association do not find the
// agreement.
func (s *Server) loadParticipantImport(r *http.Request) (partnership.Agreement, error) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		return ag, err
	}
	if !partnership.MayManageParticipants(actorOf(r), ag.PartyOrganisations()) {
		return ag, partnership.ErrNotFound
	}
	return ag, nil
}

// renderParticipantImport shows the import page, with status 422 when the
// file was refused.
func (s *Server) renderParticipantImport(w http.ResponseWriter, r *http.Request, ag partnership.Agreement, fileName string,
	form templates.Form, problems partnership.ImportErrors) {
	vm := templates.ParticipantImportVM{
		Base: s.base(r, "Importera deltagare – "+ag.Title), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Action: participantImportPath(ag.ID), TemplateURL: participantImportPath(ag.ID) + "/template.csv",
		MaxSize: "5 MB", Columns: partnership.ParticipantImportColumns, FileName: fileName, Form: form,
	}
	var status int
	vm.Errors, status = importProblems(form, problems)
	s.render(w, r, status, templates.ParticipantImportPage(vm))
}

func (s *Server) handleParticipantImportForm(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadParticipantImport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderParticipantImport(w, r, ag, "", templates.Form{}, nil)
}

// handleParticipantImportTemplate sends the file to fill in: the columns
// and an example row without an identity.
func (s *Server) handleParticipantImportTemplate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.loadParticipantImport(r); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "text/csv; charset=utf-8", "deltagare-mall.csv")
	w.Write(partnership.ParticipantImportTemplate(s.agreementToday())) //nolint:errcheck // the client went away
}

// handleParticipantImport imports a CSV file of participants: every row is
// checked, by the parser and then by the service in its transaction, and
// a file with any problem registers nobody and lists them all.
func (s *Server) handleParticipantImport(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadParticipantImport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name, data, msg, err := readImportFile(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if msg != "" {
		s.renderParticipantImport(w, r, ag, name, templates.Form{Errors: map[string]string{"file": msg}}, nil)
		return
	}
	rows, err := partnership.ParseParticipantImport(data, s.agreementToday())
	var problems partnership.ImportErrors
	if err == nil {
		var imported participant.Imported
		imported, err = s.participants.Import(r.Context(), actorOf(r), ag.ID, rows)
		if err == nil {
			s.flash(r, importedMessage(imported.Count, imported.Duplicates))
			http.Redirect(w, r, participantsPath(ag.ID), http.StatusSeeOther)
			return
		}
	}
	if errors.As(err, &problems) {
		s.renderParticipantImport(w, r, ag, name, templates.Form{}, problems)
		return
	}
	s.fail(w, r, err)
}

// importedMessage is the flash after an import; duplicates are only
// counted, as the other participants may be another association's.
func importedMessage(n, duplicates int) string {
	msg := fmt.Sprintf("%d deltagare importerade.", n)
	switch {
	case duplicates == 1:
		msg += " Observera: 1 av dem har ett personnummer som redan finns hos en annan deltagare i registret."
	case duplicates > 1:
		msg += fmt.Sprintf(" Observera: %d av dem har personnummer som redan finns hos andra deltagare i registret.", duplicates)
	}
	return msg
}
