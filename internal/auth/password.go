// Package auth holds the use cases of signing in and of managing users:
// password hashing, login throttling and the audited changes to accounts.
package auth

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/alexedwards/argon2id"
)

// DefaultParams are the argon2id parameters for new hashes: OWASP's first
// recommendation (46 MiB, one pass, one lane). Stored hashes carry their own
// parameters, so raising these later does not invalidate old passwords.
var DefaultParams = argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Hasher hashes and verifies passwords with argon2id, with at most a fixed
// number of hashes computed at once so that a burst of logins cannot exhaust
// memory.
type Hasher struct {
	params *argon2id.Params
	slots  chan struct{}
	dummy  string
}

// NewHasher returns a hasher that runs at most maxConcurrent hashes at a time.
func NewHasher(params argon2id.Params, maxConcurrent int) (*Hasher, error) {
	if maxConcurrent < 1 {
		maxConcurrent = 1
	}
	h := &Hasher{params: &params, slots: make(chan struct{}, maxConcurrent)}
	dummy, err := argon2id.CreateHash(GeneratePassword(), h.params)
	if err != nil {
		return nil, fmt.Errorf("create dummy hash: %w", err)
	}
	h.dummy = dummy
	return h, nil
}

// withSlot runs fn while holding one of the hasher's slots.
func (h *Hasher) withSlot(ctx context.Context, fn func() error) error {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.slots }()
	return fn()
}

// Hash returns the encoded argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	var hash string
	err := h.withSlot(ctx, func() error {
		var err error
		hash, err = argon2id.CreateHash(password, h.params)
		return err
	})
	return hash, err
}

// Verify reports whether password matches the encoded hash. An empty hash is
// checked against a dummy hash, so an unknown user costs as much time as a
// known one and always fails.
func (h *Hasher) Verify(ctx context.Context, password, hash string) (bool, error) {
	var ok bool
	err := h.withSlot(ctx, func() error {
		var err error
		ok, err = h.verify(password, hash)
		return err
	})
	return ok, err
}

// verify is Verify for a caller that already holds a slot.
func (h *Hasher) verify(password, hash string) (bool, error) {
	if hash == "" {
		_, err := argon2id.ComparePasswordAndHash(password, h.dummy)
		return false, err
	}
	return argon2id.ComparePasswordAndHash(password, hash)
}

// GeneratePassword returns a random 20-character password from an alphabet
// without look-alike characters, easy to read out or type.
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	return randomFrom(alphabet, 20)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		// Reject the values that would make some characters more likely.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		b[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(b)
}
