// Package privacy protects participants' identifying data: AES-256-GCM
// encryption at rest with key ids for rotation, and a blind index
// (HMAC-SHA-256 with a separate key) for finding duplicates without
// decrypting.
//
// Error messages are English (they are logged, never shown to users) and
// never contain plaintext, key material or personnummer.
package privacy

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length in bytes of every key: encryption keys (AES-256)
// and the blind-index HMAC key.
const KeySize = 32

// nonceSize is the GCM standard nonce size; the nonce prefixes every
// ciphertext.
const nonceSize = 12

var (
	// ErrUnknownKey reports a ciphertext under a key id the keyring does not hold.
	ErrUnknownKey = errors.New("privacy: ciphertext key id is not in the keyring")
	// ErrTampered reports that authentication failed: the ciphertext was
	// altered, truncated, or opened with the wrong additional data.
	ErrTampered = errors.New("privacy: ciphertext failed authentication (tampered or wrong associated data)")
)

// Keyring holds the current encryption key, previous keys that can still be
// read during a rotation, and the blind-index key. It is immutable and safe
// for concurrent use.
type Keyring struct {
	currentID string
	aeads     map[string]cipher.AEAD // by key id; includes the current key
	indexKey  []byte
}

// NewKeyring builds a keyring. Each key must be exactly 32 bytes; the index
// key must differ from every encryption key. Previous keys equal to the
// current key (or to each other) are tolerated and folded together. The
// keyring keeps its own copies of the keys.
func NewKeyring(current []byte, previous [][]byte, indexKey []byte) (*Keyring, error) {
	if len(current) != KeySize {
		return nil, fmt.Errorf("privacy: current key must be %d bytes, got %d", KeySize, len(current))
	}
	if len(indexKey) != KeySize {
		return nil, fmt.Errorf("privacy: index key must be %d bytes, got %d", KeySize, len(indexKey))
	}
	if subtle.ConstantTimeCompare(current, indexKey) == 1 {
		return nil, errors.New("privacy: index key must differ from the current encryption key")
	}
	k := &Keyring{
		currentID: keyID(current),
		aeads:     make(map[string]cipher.AEAD, 1+len(previous)),
		indexKey:  append([]byte(nil), indexKey...),
	}
	aead, err := newAEAD(current)
	if err != nil {
		return nil, fmt.Errorf("privacy: current key: %w", err)
	}
	k.aeads[k.currentID] = aead
	for i, p := range previous {
		if len(p) != KeySize {
			return nil, fmt.Errorf("privacy: previous key %d must be %d bytes, got %d", i+1, KeySize, len(p))
		}
		if subtle.ConstantTimeCompare(p, indexKey) == 1 {
			return nil, fmt.Errorf("privacy: index key must differ from previous key %d", i+1)
		}
		id := keyID(p)
		if _, ok := k.aeads[id]; ok {
			continue
		}
		aead, err := newAEAD(p)
		if err != nil {
			return nil, fmt.Errorf("privacy: previous key %d: %w", i+1, err)
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// ParseKeyring builds a keyring from base64 values as they appear in the
// environment. previous is a comma-separated list and may be empty. Standard
// and URL-safe alphabets, padded or not, are accepted. Errors name which
// value (current, previous, index) is bad, never the value itself.
func ParseKeyring(current, previous, index string) (*Keyring, error) {
	cur, err := decodeKey(current)
	if err != nil {
		return nil, fmt.Errorf("privacy: current key: %w", err)
	}
	idx, err := decodeKey(index)
	if err != nil {
		return nil, fmt.Errorf("privacy: index key: %w", err)
	}
	var prev [][]byte
	if strings.TrimSpace(previous) != "" {
		for i, s := range strings.Split(previous, ",") {
			p, err := decodeKey(s)
			if err != nil {
				return nil, fmt.Errorf("privacy: previous key %d: %w", i+1, err)
			}
			prev = append(prev, p)
		}
	}
	return NewKeyring(cur, prev, idx)
}

// DecodeKey decodes one base64 key (standard or URL-safe alphabet, padded or
// not, surrounding space ignored) and checks that it is 32 bytes. Its errors
// never contain the value.
func DecodeKey(s string) ([]byte, error) { return decodeKey(s) }

func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("empty")
	}
	var b []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err = enc.DecodeString(s)
		if err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("not valid base64")
	}
	if len(b) != KeySize {
		return nil, fmt.Errorf("decodes to %d bytes, want %d", len(b), KeySize)
	}
	return b, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// keyID is "k" + the first 12 hex characters of the key's SHA-256: stable,
// derived, and not the key.
func keyID(key []byte) string {
	sum := sha256.Sum256(key)
	return "k" + hex.EncodeToString(sum[:])[:12]
}

// CurrentKeyID is the id of the key Seal uses.
func (k *Keyring) CurrentKeyID() string { return k.currentID }

// HasKey reports whether the keyring can open ciphertexts under keyID.
func (k *Keyring) HasKey(keyID string) bool {
	_, ok := k.aeads[keyID]
	return ok
}

// Seal encrypts plaintext under the current key. The ciphertext is a 12-byte
// random nonce followed by the GCM output (body and 16-byte tag). aad binds
// the ciphertext to its row, e.g. []byte("participant:42"); Open must be given
// the same aad.
func (k *Keyring) Seal(plaintext, aad []byte) (keyID string, ciphertext []byte, err error) {
	aead := k.aeads[k.currentID]
	out := make([]byte, nonceSize, nonceSize+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return "", nil, fmt.Errorf("privacy: nonce: %w", err)
	}
	out = aead.Seal(out, out[:nonceSize], plaintext, aad)
	return k.currentID, out, nil
}

// Open decrypts a ciphertext made by Seal under keyID with the same aad. It
// returns ErrUnknownKey when the keyring does not hold keyID and ErrTampered
// when authentication fails; it never returns partial plaintext.
func (k *Keyring) Open(keyID string, ciphertext, aad []byte) ([]byte, error) {
	aead, ok := k.aeads[keyID]
	if !ok {
		return nil, ErrUnknownKey
	}
	if len(ciphertext) < nonceSize+aead.Overhead() {
		return nil, ErrTampered
	}
	pt, err := aead.Open(nil, ciphertext[:nonceSize], ciphertext[nonceSize:], aad)
	if err != nil {
		return nil, ErrTampered
	}
	return pt, nil
}

// Reseal opens a ciphertext sealed under keyID and seals it again under
// the current key, with the same aad: key rotation of whatever is sealed.
func (k *Keyring) Reseal(keyID string, ciphertext, aad []byte) (newKeyID string, newCiphertext []byte, err error) {
	plaintext, err := k.Open(keyID, ciphertext, aad)
	if err != nil {
		return "", nil, err
	}
	return k.Seal(plaintext, aad)
}

// BlindIndex is HMAC-SHA-256(indexKey, "pnr:"+value), 32 bytes. Callers pass
// the normalised 12-digit personnummer, so the same person entered with or
// without century and hyphen gets the same index.
func (k *Keyring) BlindIndex(value string) []byte {
	m := hmac.New(sha256.New, k.indexKey)
	m.Write([]byte("pnr:"))
	m.Write([]byte(value))
	return m.Sum(nil)
}

// GenerateKey returns base64 (standard, padded) of 32 random bytes, for
// tests and tooling.
func GenerateKey() (string, error) {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("privacy: generate key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// EphemeralKeyring is a keyring of fresh random keys that exist only in this
// process: for tests, and for nothing whose identities must be read again
// after the process ends.
func EphemeralKeyring() (*Keyring, error) {
	cur := make([]byte, KeySize)
	idx := make([]byte, KeySize)
	if _, err := rand.Read(cur); err != nil {
		return nil, fmt.Errorf("privacy: generate key: %w", err)
	}
	if _, err := rand.Read(idx); err != nil {
		return nil, fmt.Errorf("privacy: generate key: %w", err)
	}
	return NewKeyring(cur, nil, idx)
}
