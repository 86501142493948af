package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
	"github.com/connectedapplab/connectedapplab/store"
)

// What the coordinator does with profiles: list, select (keeping drafts of unsaved edits), save,
// add, duplicate, delete and import them, through the ProfileStore, off the UI goroutine.

type draft struct {
	p Profile
	s Secrets
}

// reload lists the profiles off the UI goroutine, then selects selectID (or the first).
func (l *Lab) reload(selectID string, then func([]Profile)) {
	store := l.store
	type listed struct {
		items []Profile
		err   error
	}
	background(func() listed { items, err := store.List(); return listed{items, err} }, func(r listed) {
		l.addProfileLower()
		if store != l.store {
			return // the demo replaced the store meanwhile
		}
		if r.err != nil {
			l.showError("Could not read the profiles", "The profiles could not be read; nothing was changed. "+
				"Fix the file or move it away, then restart.", r.err.Error())
			return
		}
		if selectID == "" || !slices.ContainsFunc(r.items, func(p Profile) bool { return p.ID == selectID }) {
			selectID = ""
			if len(r.items) > 0 {
				selectID = r.items[0].ID
			}
		}
		l.profiles.set(r.items, selectID)
		l.adminSel.SetOptions(l.adminNames())
		if p, ok := l.profiles.current(); ok && p.ID != l.current.ID {
			l.selectProfile(p)
		}
		if then != nil {
			then(r.items)
		}
	})
}

func (l *Lab) markDirty() {
	if !l.dirty {
		l.dirty = true
		l.setDirty(true)
	}
}

func (l *Lab) clearDirty() {
	l.dirty = false
	l.setDirty(false)
}

// readForm is the profile as typed, with its secrets.
func (l *Lab) readForm() (Profile, Secrets) {
	p, s := l.form.read(l.current)
	p.Flow = string(l.flowPick.flow())
	p.Scopes = l.scopes.selected()
	if app := l.appSettingsJSON(); app != nil {
		p.App.Settings = app // the App settings tab's, saved with the profile
	}
	return p, s
}

// selectProfile loads a profile into the form. What was typed into the previous one is kept
// as a draft, so switching back shows it again.
func (l *Lab) selectProfile(p Profile) {
	if st := l.last; st != nil && !l.running && st.profile.ID != p.ID {
		l.clearResult(st, p)
	}
	if l.current.ID != "" && l.dirty {
		dp, ds := l.readForm()
		l.drafts[l.current.ID] = draft{dp, ds}
	}
	if l.opt.Prefs != nil && l.demo == nil {
		l.opt.Prefs.SetString(PrefLastProfile, p.ID)
	}
	if d, ok := l.drafts[p.ID]; ok {
		l.loadProfile(d.p, d.s)
		l.markDirty()
		l.setStatus("Unsaved changes of "+p.Name+" are back in the form.", widget.MediumImportance)
		return
	}
	store := l.store
	background(func() draft {
		s, err := store.Secrets(p.ID)
		if err != nil {
			s = Secrets{}
		}
		return draft{p, s}
	}, func(d draft) {
		if cur, ok := l.profiles.current(); !ok || cur.ID != d.p.ID {
			return // another profile was picked meanwhile
		}
		l.loadProfile(d.p, d.s)
	})
}

func (l *Lab) loadProfile(p Profile, s Secrets) {
	l.current = p
	l.form.load(p, s)
	l.flowPick.set(flows.Flow(p.Flow))
	l.form.showFor(flows.Flow(p.Flow))
	l.scopes.set(p.Scopes)
	l.relayoutProfile()
	l.clearDirty()
	l.lintLine.Hide()
	if l.app != nil {
		l.app.load(l.appFor(p))
	}
	l.checkBudget()
}

// Save stores the profile and its secrets.
func (l *Lab) Save() {
	p, s := l.readForm()
	if p.Name == "" {
		l.showError("The profile has no name", "Give the profile a name (for example prod-integration), then save again.", "")
		return
	}
	store := l.store
	type saved struct {
		p   Profile
		err error
	}
	background(func() saved { q, err := store.Save(p, s); return saved{q, err} }, func(r saved) {
		if r.err != nil {
			l.setStatus("Not saved: "+oneLine(r.err.Error()), widget.DangerImportance)
			l.showError("Could not save the profile", "Nothing typed was lost: the form and the App settings tab still hold it.", r.err.Error())
			return
		}
		delete(l.drafts, r.p.ID)
		l.current = r.p
		l.appSaved(r.p.ID)
		l.clearDirty()
		l.setStatus("Saved "+r.p.Name+".", widget.SuccessImportance)
		l.reload(r.p.ID, nil)
	})
}

func (l *Lab) saveNew(p Profile, s Secrets, what string) {
	store := l.store
	type saved struct {
		p   Profile
		err error
	}
	background(func() saved {
		base := p.Name
		for i := 2; ; i++ {
			q, err := store.Save(p, s)
			if err == nil || i > 50 || !strings.Contains(err.Error(), "exists") {
				return saved{q, err}
			}
			p.Name = fmt.Sprintf("%s %d", base, i)
		}
	}, func(r saved) {
		if r.err != nil {
			l.showError("Could not "+what, "The profile was not saved.", r.err.Error())
			return
		}
		l.setStatus(fmt.Sprintf("%s: %s.", strings.ToUpper(what[:1])+what[1:], r.p.Name), widget.SuccessImportance)
		l.reload(r.p.ID, nil)
	})
}

func (l *Lab) addProfile() {
	l.saveNew(Profile{Profile: store.Profile{
		Name:        "New profile",
		LoginURL:    productionURL,
		AppKind:     store.ConnectedApp,
		Flow:        string(flows.WebServerPKCE),
		CallbackURL: "http://localhost:1717/OauthRedirect",
		Scopes:      []string{"api", "refresh_token"},
	}}, Secrets{}, "add a profile")
}

func (l *Lab) duplicateProfile() {
	if _, ok := l.profiles.current(); !ok {
		return
	}
	p, s := l.readForm()
	p.ID = ""
	p.Name += " copy"
	l.saveNew(p, s, "duplicate the profile")
}

func (l *Lab) deleteProfile() {
	p, ok := l.profiles.current()
	if !ok {
		return
	}
	l.lastDialog = "Delete profile"
	dialog.ShowConfirm("Delete profile", fmt.Sprintf("Delete %q and its secrets in the keychain? This cannot be undone.", p.Name),
		func(yes bool) {
			if !yes {
				return
			}
			store := l.store
			background(func() error { return store.Delete(p.ID) }, func(err error) {
				if err != nil {
					l.showError("Could not delete the profile", "The profile is still there.", err.Error())
					return
				}
				delete(l.drafts, p.ID)
				delete(l.apps, p.ID)
				l.current = Profile{}
				l.setStatus("Deleted "+p.Name+".", widget.MediumImportance)
				l.reload("", nil)
			})
		}, l.win)
}

func (l *Lab) importProfiles() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			l.showError("Could not open the file", "Nothing was imported.", err.Error())
			return
		}
		if r == nil {
			return
		}
		l.importFrom(r)
	}, l.win)
	l.lastDialog = "Import profiles"
	d.Show()
}

func (l *Lab) importFrom(r io.ReadCloser) {
	store, decode := l.store, l.be.ImportProfiles
	if decode == nil {
		decode = decodeProfiles
	}
	type imported struct {
		names []string
		err   error
	}
	background(func() imported {
		defer r.Close()
		data, err := userfile.ReadCapped(r, "the chosen file", "import file", userfile.BundleLimit)
		if err != nil {
			return imported{err: err}
		}
		list, err := decode(data)
		if err != nil {
			return imported{err: err}
		}
		var names []string
		for _, p := range list {
			p.ID = ""
			base := p.Name
			for i := 2; i < 50; i++ {
				q, err := store.Save(p, Secrets{})
				if err == nil {
					names = append(names, q.Name)
					break
				}
				if !strings.Contains(err.Error(), "exists") {
					return imported{names, fmt.Errorf("%s: %w", base, err)}
				}
				p.Name = fmt.Sprintf("%s (imported %d)", base, i-1)
			}
		}
		return imported{names: names}
	}, func(r imported) {
		if r.err != nil {
			l.showError("Import failed", fmt.Sprintf("Imported %d profiles before the error.", len(r.names)), r.err.Error())
		} else {
			l.setStatus(fmt.Sprintf("Imported %d profiles: %s. Type their secrets, then save.", len(r.names), strings.Join(r.names, ", ")), widget.SuccessImportance)
		}
		l.reload("", nil)
	})
}

func (l *Lab) chooseKeyFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		l.form.jwtKeyFile.SetText(path)
	}, l.win)
	d.Show()
}

func (l *Lab) pasteKey() {
	e := widget.NewMultiLineEntry()
	e.SetPlaceHolder("-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----")
	e.SetMinRowsVisible(8)
	e.TextStyle = fyne.TextStyle{Monospace: true}
	d := dialog.NewCustomConfirm("Paste the JWT private key", "Use this key", "Cancel", e, func(ok bool) {
		if !ok {
			return
		}
		l.form.jwtKeyPEM = strings.TrimSpace(e.Text)
		l.form.updateJWTHint()
		l.markDirty()
	}, l.win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}
