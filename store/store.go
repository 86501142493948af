package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// LockFileName is the lock file next to the profiles file.
const LockFileName = "profiles.lock"

var (
	// ErrProfileNotFound is wrapped when no profile has the given name.
	ErrProfileNotFound = errors.New("profile not found")
	// ErrNameTaken is wrapped when a profile name is already used (ignoring case).
	ErrNameTaken = errors.New("profile name taken")
	// ErrLocked is wrapped when another instance holds the lock for too long.
	ErrLocked = errors.New("profiles locked")
	// ErrRefreshTokenNotOptedIn is wrapped when a refresh token is given for a profile that
	// does not keep refresh tokens.
	ErrRefreshTokenNotOptedIn = errors.New("profile does not keep refresh tokens")
)

// kindError is an error whose message stands alone (one line saying what to change) and that
// matches a sentinel with errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

func kindErrorf(kind error, format string, a ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, a...)}
}

// Store is the profiles of one config directory and the keychain their secrets live in.
// Every change is a read-modify-write of the profiles file under a lock file, so several
// Stores over the same directory, in one process or several, lose no change.
type Store struct {
	dir         string
	kc          Keychain
	lockTimeout time.Duration
	now         func() time.Time
	flows       []string // the flow names a profile may choose; nil: any well-formed name
}

// DefaultDir is os.UserConfigDir()/connectedapplab.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory: %w; set HOME (or XDG_CONFIG_HOME), or pass --config-dir", err)
	}
	return filepath.Join(d, "connectedapplab"), nil
}

// Open returns the store over dir, creating dir (mode 0700) if needed, and reads the profiles
// file once to report a corrupt or newer file early (as a *FileError). A folder (or profiles
// file) that another user owns or can write, or a profiles or lock file that is a symbolic
// link, is refused with an error wrapping ErrUnsafeConfig that says what to change. kc holds the secrets;
// nil means SystemKeychain(). Open does not touch the keychain.
func Open(dir string, kc Keychain) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: no config directory given; pass --config-dir DIR or leave it out for the default")
	}
	if kc == nil {
		kc = SystemKeychain()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create config directory: %w; check permissions or pass another --config-dir", err)
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, kc: kc, lockTimeout: 10 * time.Second, now: time.Now}
	if _, _, err := readFile(s.Path()); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// Path is the profiles file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Keychain is where this store keeps secrets.
func (s *Store) Keychain() Keychain { return s.kc }

// WithFlows returns a store over the same directory that refuses, on Add, Update and Import,
// a profile whose flow is not one of names (the flow catalogue's names: the caller passes
// them, as store imports no other package of this module). The error lists the names.
func (s *Store) WithFlows(names []string) *Store {
	c := *s
	c.flows = append([]string(nil), names...)
	return &c
}

// OpenWithFlows is Open, then WithFlows with the name of every entry of catalog: the flow
// catalogue (flows.Catalog()) and how to name an entry, passed in because store imports no
// other package of this module. Every opener of the user's profiles (the window, the command
// line) checks flows against the catalogue, so an unknown flow is refused with the list.
func OpenWithFlows[T any](dir string, kc Keychain, catalog []T, name func(T) string) (*Store, error) {
	s, err := Open(dir, kc)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(catalog))
	for i, e := range catalog {
		names[i] = name(e)
	}
	return s.WithFlows(names), nil
}

// validate is p.Validate plus the store's flow names.
func (s *Store) validate(p *Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return checkFlow(p, s.flows)
}

// WithKeychain returns a store over the same directory keeping secrets in kc: for example
// MemoryKeychain() once the user chooses it after ErrKeychainUnavailable.
func (s *Store) WithKeychain(kc Keychain) *Store {
	c := *s
	c.kc = kc
	return &c
}

// List returns every profile, sorted by name ignoring case.
func (s *Store) List() ([]Profile, error) {
	p, _, err := readFile(s.Path())
	if err != nil {
		return nil, err
	}
	out := make([]Profile, len(p.profiles))
	for i, pr := range p.profiles {
		out[i] = pr.clone()
	}
	sort.SliceStable(out, func(i, j int) bool { return nameKey(out[i].Name) < nameKey(out[j].Name) })
	return out, nil
}

// Get returns the profile named name (ignoring case), or with that ID.
func (s *Store) Get(name string) (Profile, error) {
	p, _, err := readFile(s.Path())
	if err != nil {
		return Profile{}, err
	}
	if i := find(p.profiles, name); i >= 0 {
		return p.profiles[i].clone(), nil
	}
	return Profile{}, notFound(name, p.profiles)
}

func find(ps []Profile, name string) int {
	for i := range ps {
		if strings.EqualFold(ps[i].Name, name) {
			return i
		}
	}
	for i := range ps {
		if ps[i].ID == name {
			return i
		}
	}
	return -1
}

func notFound(name string, ps []Profile) error {
	if len(ps) == 0 {
		return kindErrorf(ErrProfileNotFound, "there is no profile %q (there are no profiles yet); add one with `connectedapplab profiles add`", name)
	}
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	list := strings.Join(names, ", ")
	if len(list) > 200 {
		list = list[:200] + "…"
	}
	return kindErrorf(ErrProfileNotFound, "there is no profile %q; use one of: %s", name, list)
}

// update runs f on the current profiles under the lock and writes the result atomically.
func (s *Store) update(f func(ps []Profile) ([]Profile, error)) error {
	l, err := acquireLock(filepath.Join(s.dir, LockFileName), s.lockTimeout)
	if err != nil {
		return err
	}
	defer l.release()
	cur, raw, err := readFile(s.Path())
	if err != nil {
		return err
	}
	next, err := f(cur.profiles)
	if err != nil {
		return err
	}
	if err := checkLoaded(next); err != nil {
		return fmt.Errorf("store: refusing to write inconsistent profiles: %v", err) // a bug, not user input
	}
	data, err := encodeFile(next)
	if err != nil {
		return err
	}
	if raw != nil && cur.version < SchemaVersion {
		if err := migrationBackup(s.Path(), raw, cur.version); err != nil {
			return err
		}
	}
	return writeAtomic(s.Path(), data)
}

func checkNameFree(ps []Profile, name, exceptID string) error {
	for _, o := range ps {
		if o.ID != exceptID && strings.EqualFold(o.Name, name) {
			if o.Name == name {
				return kindErrorf(ErrNameTaken, "a profile named %q already exists; choose another name or remove that one first", name)
			}
			return kindErrorf(ErrNameTaken, "profile %q already exists and names ignore case; choose another name than %q", o.Name, name)
		}
	}
	return nil
}

// Add saves a new profile under a fresh ID and returns it as saved. The name must be free.
func (s *Store) Add(p Profile) (Profile, error) {
	p = p.clone()
	p.ID = newID()
	if p.AppKind == "" {
		p.AppKind = ConnectedApp
	}
	if err := s.validate(&p); err != nil {
		return Profile{}, err
	}
	now := s.now().UTC().Truncate(time.Second)
	p.Created, p.Updated = now, now
	p.RefreshTokenObtainedAt = time.Time{} // no refresh token is stored yet
	err := s.update(func(ps []Profile) ([]Profile, error) {
		if err := checkNameFree(ps, p.Name, ""); err != nil {
			return nil, err
		}
		return append(ps, p), nil
	})
	if err != nil {
		return Profile{}, err
	}
	return p.clone(), nil
}

// Update replaces the profile with p's ID by p (a rename keeps the secrets) and returns it as
// saved. Turning RememberRefreshToken off deletes the stored refresh token.
func (s *Store) Update(p Profile) (Profile, error) {
	p = p.clone()
	if err := s.validate(&p); err != nil {
		return Profile{}, err
	}
	p.Updated = s.now().UTC().Truncate(time.Second)
	optedOut := false
	err := s.update(func(ps []Profile) ([]Profile, error) {
		i := -1
		for j := range ps {
			if ps[j].ID == p.ID {
				i = j
			}
		}
		if i < 0 {
			return nil, kindErrorf(ErrProfileNotFound, "profile %q was removed (perhaps by another window); add it again", p.Name)
		}
		if err := checkNameFree(ps, p.Name, p.ID); err != nil {
			return nil, err
		}
		p.Created, p.RefreshTokenObtainedAt = ps[i].Created, ps[i].RefreshTokenObtainedAt
		optedOut = ps[i].RememberRefreshToken && !p.RememberRefreshToken
		if optedOut {
			p.RefreshTokenObtainedAt = time.Time{}
		}
		ps[i] = p
		return ps, nil
	})
	if err != nil {
		return Profile{}, err
	}
	if optedOut {
		if err := s.kc.Delete(Account(p.ID, SecretRefreshToken)); err != nil {
			return p.clone(), fmt.Errorf("profile %q saved, but its stored refresh token could not be deleted: %w", p.Name, err)
		}
	}
	return p.clone(), nil
}

// Save adds p when it has no ID and updates it otherwise.
func (s *Store) Save(p Profile) (Profile, error) {
	if p.ID == "" {
		return s.Add(p)
	}
	return s.Update(p)
}

// Delete removes the profile named name and every secret of it. Secrets go first (outside the
// file lock, as a keychain prompt may take a while): if the keychain cannot delete them, the
// profile is kept, so no secret is left behind unreachable.
func (s *Store) Delete(name string) error {
	p, err := s.Get(name)
	if err != nil {
		return err
	}
	if err := s.deleteSecrets(p); err != nil {
		return fmt.Errorf("profile %q kept, its secrets could not be deleted: %w", p.Name, err)
	}
	return s.update(func(ps []Profile) ([]Profile, error) {
		for i := range ps {
			if ps[i].ID == p.ID {
				return append(ps[:i:i], ps[i+1:]...), nil
			}
		}
		return ps, nil // already removed by another instance
	})
}

func (s *Store) deleteSecrets(p Profile) error {
	for _, k := range SecretKinds {
		if err := s.kc.Delete(Account(p.ID, k)); err != nil && !errors.Is(err, ErrSecretNotFound) {
			return err
		}
	}
	return nil
}

// Secrets returns the profile's secrets from the keychain; a kind not stored is empty.
func (s *Store) Secrets(p Profile) (Secrets, error) {
	var out Secrets
	if !validID(p.ID) {
		return out, fmt.Errorf("profile %q has no ID; save it before reading its secrets", p.Name)
	}
	for _, k := range SecretKinds {
		v, err := s.kc.Get(Account(p.ID, k))
		if errors.Is(err, ErrSecretNotFound) {
			continue
		}
		if err != nil {
			return Secrets{}, fmt.Errorf("read the %s of profile %q: %w", k.Label(), p.Name, err)
		}
		out.Set(k, v)
	}
	return out, nil
}

// StoredSecrets lists which kinds of secret the keychain holds for the profile.
func (s *Store) StoredSecrets(p Profile) ([]SecretKind, error) {
	sec, err := s.Secrets(p)
	if err != nil {
		return nil, err
	}
	return sec.Kinds(), nil
}

// SetSecrets stores every non-empty secret of sec for the profile; empty fields leave the
// stored value as it is (DeleteSecret removes one). A refresh token is refused unless the
// profile opts in with RememberRefreshToken.
func (s *Store) SetSecrets(p Profile, sec Secrets) error {
	if sec.RefreshToken != "" && !p.RememberRefreshToken {
		return kindErrorf(ErrRefreshTokenNotOptedIn, "profile %q does not keep refresh tokens; turn on \"remember refresh token\" for it first", p.Name)
	}
	for _, k := range sec.Kinds() {
		if err := s.SetSecret(p, k, sec.Get(k)); err != nil {
			return err
		}
	}
	return nil
}

// SetSecret stores one secret of the profile. Storing a refresh token other than the one
// stored, or removing it, forgets when the stored one was obtained (RefreshTokenObtainedAt):
// a token given by hand has no known date.
func (s *Store) SetSecret(p Profile, k SecretKind, value string) error {
	changed, err := s.setSecret(p, k, value)
	if err == nil && changed && k == SecretRefreshToken {
		err = s.stampRefreshToken(p, time.Time{})
	}
	return err
}

// setSecret stores one secret and reports whether the stored value changed. For a refresh
// token it reads the stored one first, so that storing the same token again changes nothing.
func (s *Store) setSecret(p Profile, k SecretKind, value string) (bool, error) {
	if !validID(p.ID) {
		return false, fmt.Errorf("profile %q has no ID; save it before storing its secrets", p.Name)
	}
	if !contains(SecretKinds, k) {
		return false, fmt.Errorf("unknown secret kind %q; use one of %s", k, joinQ(SecretKinds))
	}
	if k == SecretRefreshToken && !p.RememberRefreshToken {
		return false, kindErrorf(ErrRefreshTokenNotOptedIn, "profile %q does not keep refresh tokens; turn on \"remember refresh token\" for it first", p.Name)
	}
	if k == SecretRefreshToken {
		cur, err := s.kc.Get(Account(p.ID, k))
		if err != nil && !errors.Is(err, ErrSecretNotFound) {
			return false, fmt.Errorf("read the %s of profile %q: %w", k.Label(), p.Name, err)
		}
		if cur == value {
			return false, nil
		}
	}
	if value == "" {
		return true, s.deleteSecret(p, k)
	}
	if err := s.kc.Set(Account(p.ID, k), value); err != nil {
		return false, fmt.Errorf("store the %s of profile %q: %w", k.Label(), p.Name, err)
	}
	return true, nil
}

// DeleteSecret removes one secret of the profile; removing a missing one is not an error.
func (s *Store) DeleteSecret(p Profile, k SecretKind) error {
	if err := s.deleteSecret(p, k); err != nil {
		return err
	}
	if k == SecretRefreshToken {
		return s.stampRefreshToken(p, time.Time{})
	}
	return nil
}

func (s *Store) deleteSecret(p Profile, k SecretKind) error {
	if err := s.kc.Delete(Account(p.ID, k)); err != nil && !errors.Is(err, ErrSecretNotFound) {
		return fmt.Errorf("delete the %s of profile %q: %w", k.Label(), p.Name, err)
	}
	return nil
}

// RememberRefreshToken stores token, which a flow has just returned, as the profile's last
// refresh token when the profile opts in, and reports whether it did. Without the opt-in
// nothing is stored and no error is returned. A token other than the one stored is recorded
// as obtained now (RefreshTokenObtainedAt); the same token again changes nothing.
func (s *Store) RememberRefreshToken(p Profile, token string) (bool, error) {
	if !p.RememberRefreshToken || token == "" {
		return false, nil
	}
	changed, err := s.setSecret(p, SecretRefreshToken, token)
	if err != nil {
		return false, err
	}
	if changed {
		if err := s.stampRefreshToken(p, s.now().UTC().Truncate(time.Second)); err != nil {
			return true, fmt.Errorf("profile %q: the refresh token was stored, but not when it was obtained: %w", p.Name, err)
		}
	}
	return true, nil
}

// stampRefreshToken records in the profiles file when the stored refresh token was obtained
// (zero: unknown). A profile removed meanwhile is left alone.
func (s *Store) stampRefreshToken(p Profile, at time.Time) error {
	return s.update(func(ps []Profile) ([]Profile, error) {
		for i := range ps {
			if ps[i].ID == p.ID {
				ps[i].RefreshTokenObtainedAt = at
			}
		}
		return ps, nil
	})
}
