// Package templates renders the pages and fragments of the web interface
// from view models shaped like the screen. Templates never query.
package templates

import "strconv"

// Base is what every page's layout needs.
type Base struct {
	Title       string
	CSS         string // hashed URL of the stylesheet
	JS          string // hashed URL of htmx, "" when not available
	CurrentPath string
	User        *CurrentUser // nil when signed out
	Nav         []NavItem
	Flash       string
	RequestID   string
}

// CurrentUser is the signed-in user as the layout shows them.
type CurrentUser struct {
	Name      string
	RoleLabel string
}

// NavItem is one link of the role's navigation.
type NavItem struct {
	Label string
	Href  string
}

// Current reports whether the item is the page being shown.
func (n NavItem) Current(path string) bool {
	if n.Href == "/" {
		return path == "/"
	}
	return path == n.Href || len(path) > len(n.Href) && path[:len(n.Href)+1] == n.Href+"/"
}

// Option is one choice of a select element.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// Form carries the submitted values and the per-field errors of a form.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// Value returns the submitted value of a field.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the error of a field, or "".
func (f Form) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether any field failed validation.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// statusText is the status code as shown on error pages.
func statusText(code int) string { return strconv.Itoa(code) }
