package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"iop/internal/partnership"
)

// OIDC is the municipality's identity provider (OpenID Connect), from
// OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_SCOPES,
// OIDC_ROLE_CLAIM and OIDC_ROLE_MAP.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// Scopes are asked for besides openid, email and profile, e.g. "groups".
	Scopes []string
	// RoleClaim is the claim (e.g. "roles" or "groups") whose values
	// RoleMap turns into IOP roles; a login is refused unless one of them
	// is the account's role. Empty: roles are not checked against the
	// provider.
	RoleClaim string
	RoleMap   map[string]partnership.Role
}

// OIDC returns the identity provider's settings, and whether one is
// configured. The client secret is kept behind a pointer, so printing a
// Config shows none of it.
func (c Config) OIDC() (OIDC, bool) {
	if c.oidc == nil {
		return OIDC{}, false
	}
	return *c.oidc, true
}

// loadOIDC validates the OIDC_* variables. Either none of issuer, client id
// and secret is set (no single sign-on) or all three are. Errors name the
// variable; the secret's value is never repeated.
func loadOIDC(getenv func(string) string) (*OIDC, []error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	o := OIDC{Issuer: get("OIDC_ISSUER"), ClientID: get("OIDC_CLIENT_ID"), ClientSecret: get("OIDC_CLIENT_SECRET"), RoleClaim: get("OIDC_ROLE_CLAIM")}
	scopes, roleMap := get("OIDC_SCOPES"), get("OIDC_ROLE_MAP")
	if o.Issuer == "" && o.ClientID == "" && o.ClientSecret == "" && scopes == "" && o.RoleClaim == "" && roleMap == "" {
		return nil, nil
	}
	var errs []error
	for _, v := range []struct{ name, value string }{{"OIDC_ISSUER", o.Issuer}, {"OIDC_CLIENT_ID", o.ClientID}, {"OIDC_CLIENT_SECRET", o.ClientSecret}} {
		if v.value == "" {
			errs = append(errs, fmt.Errorf("%s is not set: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together", v.name))
		}
	}
	if o.Issuer != "" {
		u, err := url.Parse(o.Issuer)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			errs = append(errs, fmt.Errorf("OIDC_ISSUER=%q: want the provider's https:// issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0", o.Issuer))
		case u.Scheme == "http" && !loopback(u.Hostname()):
			errs = append(errs, fmt.Errorf("OIDC_ISSUER=%q: want https:// (plain http only for a provider on this machine)", o.Issuer))
		case u.RawQuery != "" || u.Fragment != "":
			errs = append(errs, fmt.Errorf("OIDC_ISSUER=%q: want an issuer URL without query or fragment", o.Issuer))
		}
	}
	if o.ClientSecret != "" && strings.IndexFunc(o.ClientSecret, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
		errs = append(errs, errors.New("OIDC_CLIENT_SECRET contains control characters"))
	}
	if scopes != "" {
		for _, s := range strings.Fields(strings.ReplaceAll(scopes, ",", " ")) {
			if s == "openid" || s == "email" || s == "profile" {
				continue
			}
			if strings.ContainsAny(s, "\"\\") {
				errs = append(errs, fmt.Errorf("OIDC_SCOPES=%q: want scope names separated by spaces, e.g. groups", scopes))
				break
			}
			o.Scopes = append(o.Scopes, s)
		}
	}
	switch {
	case o.RoleClaim != "" && roleMap == "":
		errs = append(errs, errors.New("OIDC_ROLE_MAP is not set: with OIDC_ROLE_CLAIM give e.g. OIDC_ROLE_MAP=iop-admin=admin,iop-handlaggare=officer"))
	case o.RoleClaim == "" && roleMap != "":
		errs = append(errs, errors.New("OIDC_ROLE_CLAIM is not set: OIDC_ROLE_MAP needs the claim it reads, e.g. OIDC_ROLE_CLAIM=roles"))
	case roleMap != "":
		o.RoleMap = map[string]partnership.Role{}
		for _, pair := range strings.Split(roleMap, ",") {
			value, role, ok := strings.Cut(strings.TrimSpace(pair), "=")
			value, role = strings.TrimSpace(value), strings.TrimSpace(role)
			if !ok || value == "" || !partnership.Role(role).Valid() {
				errs = append(errs, fmt.Errorf("OIDC_ROLE_MAP entry %q: want claim-value=role with role one of admin, officer, coordinator, association_staff, viewer", pair))
				continue
			}
			o.RoleMap[value] = partnership.Role(role)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &o, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
