package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// MemoryStore is a ProfileStore that keeps everything in memory: the demo's profiles, and
// tests. It is safe for concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	profiles []Profile
	secrets  map[string]Secrets
	next     int
}

// NewMemoryStore returns a store holding the given profiles; secrets are keyed by profile ID
// (profiles without an ID get one).
func NewMemoryStore(profiles []Profile, secrets map[string]Secrets) *MemoryStore {
	m := &MemoryStore{secrets: map[string]Secrets{}}
	for _, p := range profiles {
		s := secrets[p.ID]
		if _, err := m.Save(p, s); err != nil {
			continue
		}
	}
	return m
}

// List returns a copy of the profiles in the order they were added.
func (m *MemoryStore) List() ([]Profile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Profile, len(m.profiles))
	for i, p := range m.profiles {
		out[i] = cloneProfile(p)
	}
	return out, nil
}

// Save adds or replaces a profile; names are unique, ignoring case.
func (m *MemoryStore) Save(p Profile, s Secrets) (Profile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if strings.TrimSpace(p.Name) == "" {
		return Profile{}, fmt.Errorf("profile name is empty; give it a name such as \"prod-admin\"")
	}
	for _, q := range m.profiles {
		if q.ID != p.ID && strings.EqualFold(q.Name, p.Name) {
			return Profile{}, fmt.Errorf("a profile named %q already exists; choose another name", q.Name)
		}
	}
	if p.ID == "" {
		m.next++
		p.ID = fmt.Sprintf("mem-%d", m.next)
	}
	p = cloneProfile(p)
	if i := slices.IndexFunc(m.profiles, func(q Profile) bool { return q.ID == p.ID }); i >= 0 {
		m.profiles[i] = p
	} else {
		m.profiles = append(m.profiles, p)
	}
	m.secrets[p.ID] = s
	return cloneProfile(p), nil
}

// Delete removes a profile and its secrets.
func (m *MemoryStore) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.profiles, func(q Profile) bool { return q.ID == id })
	if i < 0 {
		return fmt.Errorf("no profile with ID %q", id)
	}
	m.profiles = slices.Delete(m.profiles, i, i+1)
	delete(m.secrets, id)
	return nil
}

// Secrets returns a profile's secrets (empty when it has none).
func (m *MemoryStore) Secrets(id string) (Secrets, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.secrets[id], nil
}

// RememberRefreshToken keeps token as the profile's refresh token when it opts in.
func (m *MemoryStore) RememberRefreshToken(id, token string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.profiles, func(q Profile) bool { return q.ID == id })
	if i < 0 {
		return false, fmt.Errorf("no profile with ID %q", id)
	}
	if !m.profiles[i].RememberRefreshToken || token == "" {
		return false, nil
	}
	s := m.secrets[id]
	s.RefreshToken = token
	m.secrets[id] = s
	return true, nil
}

func cloneProfile(p Profile) Profile {
	p.Scopes = slices.Clone(p.Scopes)
	p.App.Settings = slices.Clone(p.App.Settings)
	if m := p.App.SessionTimeoutMinutes; m != nil {
		p.App.SessionTimeoutMinutes = new(*m)
	}
	if b := p.App.PKCERequired; b != nil {
		p.App.PKCERequired = new(*b)
	}
	return p
}

// decodeProfiles reads store's profiles file ({"schema_version":1,"profiles":[...]}), a
// bare array of profiles, or one profile. IDs are dropped: imported profiles are new ones, with
// no key in a keychain and no refresh token yet.
func decodeProfiles(data []byte) ([]Profile, error) {
	var file struct {
		Profiles []Profile `json:"profiles"`
	}
	var list []Profile
	trimmed := strings.TrimSpace(string(data))
	switch {
	case strings.HasPrefix(trimmed, "["):
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("read profiles: %w", err)
		}
	case strings.Contains(trimmed, `"profiles"`):
		if err := json.Unmarshal(data, &file); err != nil {
			return nil, fmt.Errorf("read profiles: %w", err)
		}
		list = file.Profiles
	default:
		var one Profile
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, fmt.Errorf("read profiles: %w", err)
		}
		list = []Profile{one}
	}
	out := list[:0]
	for _, p := range list {
		if p.Name == "" {
			continue
		}
		p.ID, p.JWTKeyInKeychain = "", false
		p.RefreshTokenObtainedAt, p.Created, p.Updated = time.Time{}, time.Time{}, time.Time{}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the file holds no profile with a name; export one with `connectedapplab profiles export`")
	}
	return out, nil
}

// profilesPanel is the list of profiles on the left, with its buttons.
type profilesPanel struct {
	items []Profile

	list      *keyList
	add       *keyButton
	duplicate *keyButton
	remove    *keyButton
	importBtn *keyButton
	selected  int

	onSelect    func(Profile)
	onAdd       func()
	onDuplicate func()
	onDelete    func()
	onImport    func()
}

func newProfilesPanel() *profilesPanel {
	p := &profilesPanel{selected: -1}
	p.list = keyed(&keyList{List: widget.List{
		Length: func() int { return len(p.items) },
		// Two lines per name, wrapped at words, so that long names read whole; only a name
		// longer than two lines ends in an ellipsis (the form's Profile name shows it all).
		CreateItem: func() fyne.CanvasObject {
			rows := canvas.NewRectangle(color.Transparent)
			rows.SetMinSize(fyne.NewSize(0, (&widget.Label{Text: "A\nB"}).MinSize().Height))
			return container.NewStack(rows, &widget.Label{Text: "profile name", Wrapping: fyne.TextWrapWord, Truncation: fyne.TextTruncateEllipsis})
		},
		UpdateItem: func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(p.items) {
				o.(*fyne.Container).Objects[1].(*widget.Label).SetText(p.items[id].Name)
			}
		},
		OnSelected: func(id widget.ListItemID) {
			if id >= len(p.items) || id == p.selected {
				return
			}
			p.selected = id
			p.updateButtons()
			if p.onSelect != nil {
				p.onSelect(p.items[id])
			}
		},
	}})
	p.add = keyed(&keyButton{Button: widget.Button{Text: "New", OnTapped: func() { call(p.onAdd) }}})
	// Duplicate and Delete start disabled, as updateButtons sets them while nothing is selected.
	p.duplicate = keyedOff(&keyButton{Button: widget.Button{Text: "Duplicate", OnTapped: func() { call(p.onDuplicate) }}})
	p.remove = keyedOff(&keyButton{Button: widget.Button{Text: "Delete", OnTapped: func() { call(p.onDelete) }}})
	p.importBtn = keyed(&keyButton{Button: widget.Button{Text: "Import…", OnTapped: func() { call(p.onImport) }}})
	return p
}

func call(f func()) {
	if f != nil {
		f()
	}
}

func (p *profilesPanel) content() fyne.CanvasObject {
	title := &widget.Label{Text: "Profiles", TextStyle: fyne.TextStyle{Bold: true}}
	buttons := container.NewGridWithColumns(2, p.add, p.duplicate, p.remove, p.importBtn)
	return container.NewBorder(title, buttons, nil, nil, p.list)
}

// set replaces the items and selects the one with ID selectID (none when not found), without
// calling onSelect.
func (p *profilesPanel) set(items []Profile, selectID string) {
	p.items = items
	p.selected = slices.IndexFunc(items, func(q Profile) bool { return q.ID == selectID })
	p.list.Refresh()
	if p.selected >= 0 {
		p.list.Select(p.selected) // OnSelected sees id == selected and returns
	} else {
		p.list.UnselectAll()
	}
	p.updateButtons()
}

func (p *profilesPanel) current() (Profile, bool) {
	if p.selected < 0 || p.selected >= len(p.items) {
		return Profile{}, false
	}
	return p.items[p.selected], true
}

func (p *profilesPanel) updateButtons() {
	if p.selected >= 0 {
		p.duplicate.Enable()
		p.remove.Enable()
	} else {
		p.duplicate.Disable()
		p.remove.Disable()
	}
}
