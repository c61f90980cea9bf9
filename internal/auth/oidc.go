package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/jackc/pgx/v5"
	"golang.org/x/oauth2"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// OIDCConfig is how the municipality's identity provider (Entra ID, ADFS,
// Keycloak: anything speaking OpenID Connect) is reached.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string   // BASE_URL + "/login/oidc/callback"
	Scopes       []string // besides openid, email and profile
	// RoleClaim names the claim (e.g. "roles" or "groups") whose values,
	// through RoleMap, say which IOP roles the provider lets the person
	// have. Empty: the provider is not asked about roles.
	RoleClaim string
	RoleMap   map[string]partnership.Role
}

// OIDC runs the authorization code flow with PKCE (S256), state and nonce
// against the provider. The provider's metadata is fetched at the first
// login, not at start, so the app starts while the provider is down.
type OIDC struct {
	cfg    OIDCConfig
	client *http.Client
	now    func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
}

// NewOIDC returns the login flow of cfg; now is the clock ID tokens are
// checked against.
func NewOIDC(cfg OIDCConfig, now func() time.Time) *OIDC {
	return &OIDC{cfg: cfg, now: now, client: &http.Client{Timeout: 10 * time.Second}}
}

// Errors of the OIDC flow.
var (
	// ErrOIDCUnavailable: the provider could not be reached or refused the code.
	ErrOIDCUnavailable = errors.New("auth: identity provider unavailable")
	// ErrOIDCInvalid: the answer failed a check (state, nonce, ID token).
	ErrOIDCInvalid = errors.New("auth: identity provider answer failed verification")
	// ErrOIDCNoAccount: no active IOP user has the verified e-mail, the
	// e-mail is not verified, or the subject is linked to someone else.
	ErrOIDCNoAccount = errors.New("auth: no account for this identity")
	// ErrOIDCDisabled: the account exists but is disabled.
	ErrOIDCDisabled = errors.New("auth: account disabled")
	// ErrOIDCRole: the provider does not grant the account's IOP role.
	ErrOIDCRole = errors.New("auth: identity provider does not grant the role")
)

// OIDCStart is a login under way: the browser goes to URL; State, Nonce
// and Verifier stay in the session until the callback.
type OIDCStart struct {
	URL, State, Nonce, Verifier string
}

// Identity is what a verified ID token says about the person.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Roles         []partnership.Role // the IOP roles the role claim maps to
}

func (o *OIDC) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.client)
}

func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(o.ctx(ctx), o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery: %v", ErrOIDCUnavailable, err)
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID, "email", "profile"}, o.cfg.Scopes...),
	}
}

// Start begins a login: fresh state, nonce and PKCE verifier, and the
// provider's address to send the browser to.
func (o *OIDC) Start(ctx context.Context) (OIDCStart, error) {
	p, err := o.discover(ctx)
	if err != nil {
		return OIDCStart{}, err
	}
	st := OIDCStart{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier()}
	st.URL = o.oauth2(p).AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return st, nil
}

// Finish exchanges the code (with the PKCE verifier), verifies the ID token
// (signature, issuer, audience, expiry) and its nonce, and returns who it
// names. The caller has already compared the state.
func (o *OIDC) Finish(ctx context.Context, code, verifier, nonce string) (Identity, error) {
	p, err := o.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := o.oauth2(p).Exchange(o.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: code exchange: %v", ErrOIDCUnavailable, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in the token response", ErrOIDCInvalid)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID, Now: o.now}).Verify(o.ctx(ctx), raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: id token: %v", ErrOIDCInvalid, err)
	}
	if nonce == "" || idt.Nonce != nonce {
		return Identity{}, fmt.Errorf("%w: nonce mismatch", ErrOIDCInvalid)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %v", ErrOIDCInvalid, err)
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject}
	id.Email, _ = claims["email"].(string)
	id.EmailVerified = claimTrue(claims["email_verified"])
	if o.cfg.RoleClaim != "" {
		for _, v := range claimStrings(claims[o.cfg.RoleClaim]) {
			if r, ok := o.cfg.RoleMap[v]; ok && !slices.Contains(id.Roles, r) {
				id.Roles = append(id.Roles, r)
			}
		}
	}
	return id, nil
}

// ChecksRoles reports whether logins are refused unless the provider's
// role claim grants the account's role.
func (o *OIDC) ChecksRoles() bool { return o.cfg.RoleClaim != "" }

// claimTrue reads a boolean claim, which some providers send as a string.
func claimTrue(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		ok, _ := strconv.ParseBool(b)
		return ok
	}
	return false
}

// claimStrings reads a claim that is one string or a list of them.
func claimStrings(v any) []string {
	switch c := v.(type) {
	case string:
		return []string{c}
	case []any:
		var out []string
		for _, e := range c {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// LoginOIDC signs in the IOP user the verified identity names, from ip.
// Accounts are linked by verified e-mail, only to an existing active user
// (no one is created), and at the first login the provider's subject is
// pinned, so that the e-mail address handed on to someone else later does
// not let them in. When checkRoles is set, the provider's role claim must
// grant the user's IOP role: the provider can take access away but never
// give a role IOP has not. Each refusal is audited with its reason; the
// second factor is the provider's business.
func (s *Service) LoginOIDC(ctx context.Context, id Identity, checkRoles bool, ip string) (partnership.User, error) {
	email := partnership.NormalizeEmail(id.Email)
	fail := func(userID int64, reason string, err error) (partnership.User, error) {
		details := map[string]any{"email": emailKey(email), "reason": reason, "method": "oidc"}
		if aerr := s.auditLoginFailed(ctx, partnership.Actor{IP: ip, Via: "web"}, userID, details); aerr != nil {
			return partnership.User{}, aerr
		}
		return partnership.User{}, err
	}
	if email == "" || !id.EmailVerified {
		return fail(0, "email_not_verified", ErrOIDCNoAccount)
	}
	u, err := postgres.NewUsers(s.db.Pool).ByEmail(ctx, email)
	if errors.Is(err, partnership.ErrNotFound) {
		return fail(0, "unknown_user", ErrOIDCNoAccount)
	}
	if err != nil {
		return partnership.User{}, err
	}
	if !u.Active {
		return fail(u.ID, "disabled", ErrOIDCDisabled)
	}
	if checkRoles && !slices.Contains(id.Roles, u.Role) {
		return fail(u.ID, "role_not_granted", ErrOIDCRole)
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewTwoFactor(tx)
		sub, err := store.OIDCSubject(ctx, u.ID, id.Issuer)
		if err != nil {
			return err
		}
		if sub != "" && sub != id.Subject {
			return ErrOIDCNoAccount
		}
		if sub == "" {
			if err := store.LinkOIDC(ctx, u.ID, id.Issuer, id.Subject); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, partnership.ActorOf(u, ip), "user.oidc_link", "user", strconv.FormatInt(u.ID, 10), map[string]any{"issuer": id.Issuer}); err != nil {
				return err
			}
		}
		return s.completeLogin(ctx, tx, u, ip, "oidc")
	})
	switch {
	case errors.Is(err, ErrOIDCNoAccount), errors.Is(err, partnership.ErrConflict):
		return fail(u.ID, "subject_mismatch", ErrOIDCNoAccount)
	case err != nil:
		return partnership.User{}, err
	}
	return u, nil
}

// RecordOIDCRefusal audits a single sign-on refused before anyone was
// identified (state missing or wrong, invalid ID token, wrong nonce).
func (s *Service) RecordOIDCRefusal(ctx context.Context, ip, reason string) error {
	return s.auditLoginFailed(ctx, partnership.Actor{IP: ip, Via: "web"}, 0, map[string]any{"reason": reason, "method": "oidc"})
}
