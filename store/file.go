package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// SchemaVersion is the version of the profiles file this code writes and the newest it reads.
//
// History:
//   - 0: no version field; {"profiles":[...]} or a bare array; scopes as one space-separated
//     "scope" string, the callback URL as "redirect_uri", no IDs.
//   - 1: {"schema_version":1,"profiles":[...]} with Profile's JSON form.
const SchemaVersion = 1

// FileName is the profiles file's name inside the store's directory.
const FileName = "profiles.json"

// ErrUnreadableFile is wrapped by the error for a profiles file that is corrupt or was written by
// a newer version. The file is left as it is, copied to a backup, and never overwritten.
var ErrUnreadableFile = errors.New("profiles file unreadable")

// FileError describes a profiles file this version cannot read.
type FileError struct {
	Path    string
	Backup  string // copy of the file as found ("" if the copy failed)
	Newer   int    // schema version of a file from a newer version; 0 for a corrupt file
	Problem string
}

func (e *FileError) Error() string {
	kept := "it was left untouched"
	if e.Backup != "" {
		kept = "it was left untouched and copied to " + e.Backup
	}
	if e.Newer > 0 {
		return fmt.Sprintf("profiles file %s was written by a newer Connected App Lab (schema version %d; this one reads up to %d); %s: upgrade connectedapplab, or move the file away to start with no profiles", e.Path, e.Newer, SchemaVersion, kept)
	}
	return fmt.Sprintf("profiles file %s is corrupt (%s); %s: fix it by hand, or move it away to start with no profiles", e.Path, e.Problem, kept)
}

func (e *FileError) Is(target error) bool { return target == ErrUnreadableFile }

// fileV1 is the on-disk form.
type fileV1 struct {
	SchemaVersion int       `json:"schema_version"`
	Profiles      []Profile `json:"profiles"`
}

// profileV0 is the pre-versioned profile layout.
type profileV0 struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	LoginURL    string `json:"login_url"`
	ClientID    string `json:"client_id"`
	RedirectURI string `json:"redirect_uri"`
	Flow        string `json:"flow"`
	Scope       string `json:"scope"`
	Username    string `json:"username"`
	JWTKeyFile  string `json:"jwt_key_file"`
	Notes       string `json:"notes"`
}

// parsed is a decoded profiles file.
type parsed struct {
	version  int // version found in the file (0 for v0)
	profiles []Profile
}

// parseFile decodes a profiles file of any known version into the current form and checks it.
// It never panics; errors describe the problem in a few words (the caller adds the path).
func parseFile(data []byte) (parsed, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return parsed{version: SchemaVersion}, nil // an empty file is an empty store
	}
	if trimmed[0] == '[' {
		var v0 []profileV0
		if err := json.Unmarshal(trimmed, &v0); err != nil {
			return parsed{}, describeJSONError(err)
		}
		return migrateV0(v0)
	}
	var head struct {
		SchemaVersion *json.RawMessage `json:"schema_version"`
	}
	if err := json.Unmarshal(trimmed, &head); err != nil {
		return parsed{}, describeJSONError(err)
	}
	if head.SchemaVersion == nil {
		var v0 struct {
			Profiles []profileV0 `json:"profiles"`
		}
		if err := json.Unmarshal(trimmed, &v0); err != nil {
			return parsed{}, describeJSONError(err)
		}
		return migrateV0(v0.Profiles)
	}
	var version int
	if err := json.Unmarshal(*head.SchemaVersion, &version); err != nil || version < 1 {
		return parsed{}, fmt.Errorf("schema_version %s is not a positive whole number", oneLine(string(*head.SchemaVersion)))
	}
	if version > SchemaVersion {
		return parsed{version: version}, errNewer
	}
	var f fileV1
	if err := json.Unmarshal(trimmed, &f); err != nil {
		return parsed{}, describeJSONError(err)
	}
	if err := checkLoaded(f.Profiles); err != nil {
		return parsed{}, err
	}
	return parsed{version: version, profiles: f.Profiles}, nil
}

var errNewer = errors.New("newer schema")

func describeJSONError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, err)
	case errors.As(err, &te):
		return fmt.Errorf("unexpected %s for field %q", te.Value, te.Field)
	}
	return fmt.Errorf("not valid JSON: %v", err)
}

// migrateV0 turns version-0 profiles into the current form: IDs are assigned, the scope string
// is split, redirect_uri becomes callback_url, and the app kind defaults to Connected App.
func migrateV0(old []profileV0) (parsed, error) {
	out := make([]Profile, 0, len(old))
	for _, o := range old {
		p := Profile{
			ID:          o.ID,
			Name:        o.Name,
			LoginURL:    o.LoginURL,
			AppKind:     ConnectedApp,
			ClientID:    o.ClientID,
			CallbackURL: o.RedirectURI,
			Flow:        o.Flow,
			Scopes:      strings.Fields(o.Scope),
			Username:    o.Username,
			JWTKeyFile:  o.JWTKeyFile,
			Notes:       o.Notes,
		}
		if p.ID == "" {
			p.ID = v0ID(o.Name) // stable until the file is rewritten, so secrets stay reachable
		}
		out = append(out, p)
	}
	if err := checkLoaded(out); err != nil {
		return parsed{}, err
	}
	return parsed{version: 0, profiles: out}, nil
}

// v0ID derives a version-0 profile's ID from its name: reading the same file twice gives the
// same ID before the migrated file is written.
func v0ID(name string) string {
	sum := sha256.Sum256([]byte("connectedapplab v0 profile\x00" + nameKey(name)))
	return "p_" + hex.EncodeToString(sum[:8])
}

// checkLoaded validates profiles read from disk: valid IDs and fields, unique names and IDs.
func checkLoaded(ps []Profile) error {
	ids := map[string]bool{}
	names := map[string]string{}
	for i := range ps {
		p := &ps[i]
		if !validID(p.ID) {
			return fmt.Errorf("profile #%d (%q) has an invalid id %q", i+1, p.Name, p.ID)
		}
		if ids[p.ID] {
			return fmt.Errorf("two profiles have the id %q", p.ID)
		}
		ids[p.ID] = true
		if err := p.Validate(); err != nil {
			return fmt.Errorf("profile #%d: %v", i+1, err)
		}
		key := nameKey(p.Name)
		if other, dup := names[key]; dup {
			return fmt.Errorf("two profiles are named %q and %q (names are compared ignoring case)", other, p.Name)
		}
		names[key] = p.Name
	}
	return nil
}

func nameKey(name string) string { return strings.ToLower(name) }

// encodeFile renders profiles in the current schema.
func encodeFile(ps []Profile) ([]byte, error) {
	if ps == nil {
		ps = []Profile{}
	}
	b, err := json.MarshalIndent(fileV1{SchemaVersion: SchemaVersion, Profiles: ps}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// readFile reads and parses the profiles file; a missing file is an empty store. A file that
// cannot be read is copied to a backup and reported as a *FileError.
func readFile(path string) (parsed, []byte, error) {
	data, err := readConfigFile("profiles file", path, maxProfilesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return parsed{version: SchemaVersion}, nil, nil
	}
	var uf *userfile.Error
	if errors.Is(err, ErrUnsafeConfig) || errors.As(err, &uf) {
		return parsed{}, nil, err
	}
	if err != nil {
		return parsed{}, nil, fmt.Errorf("read profiles file: %w; check the permissions of %s", err, path)
	}
	p, err := parseFile(data)
	if err != nil {
		fe := &FileError{Path: path, Problem: err.Error()}
		if errors.Is(err, errNewer) {
			fe.Newer = p.version
		}
		fe.Backup = backupUnreadable(path, data, fe.Newer)
		return parsed{}, data, fe
	}
	return p, data, nil
}

// backupUnreadable copies an unreadable file next to it, named after its content hash so the
// same content is backed up once.
func backupUnreadable(path string, data []byte, newer int) string {
	sum := sha256.Sum256(data)
	kind := "corrupt"
	if newer > 0 {
		kind = fmt.Sprintf("v%d", newer)
	}
	b := fmt.Sprintf("%s.%s-%s.bak", path, kind, hex.EncodeToString(sum[:4]))
	if _, err := os.Stat(b); err == nil {
		return b
	}
	if err := writeAtomic(b, data); err != nil {
		return ""
	}
	return b
}

// writeAtomic writes data to path through a temporary file in the same directory, fsynced,
// mode 0600, then renamed over path.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w; check that the directory is writable", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil && !isChmodUnsupported(err) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w; check free disk space", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// On Windows a reader holding the file open (List and Get read without the lock) makes the
	// rename fail for a moment: retry briefly.
	for i := 0; ; i++ {
		if err = os.Rename(tmp.Name(), path); err == nil || runtime.GOOS != "windows" || i == 50 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w; close other programs that hold it open and try again", path, err)
	}
	syncDir(dir)
	return nil
}

func isChmodUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported)
}

// migrationBackup keeps a copy of an older-schema file before it is first rewritten.
func migrationBackup(path string, data []byte, version int) error {
	b := fmt.Sprintf("%s.v%d-backup", path, version)
	if _, err := os.Stat(b); err == nil {
		b = fmt.Sprintf("%s.v%d-backup-%s", path, version, time.Now().UTC().Format("20060102T150405Z"))
	}
	if err := writeAtomic(b, data); err != nil {
		return fmt.Errorf("keep a backup of the version-%d profiles file before migrating it: %w", version, err)
	}
	return nil
}
