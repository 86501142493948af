package early

import (
	"reflect"
	"testing"
)

func TestFixes(t *testing.T) {
	noSockets := func(string) bool { return false }
	cases := []struct {
		name    string
		env     map[string]string
		sockets []string
		uid     int
		want    [][2]string
	}{
		{"C.UTF-8 and no bus", map[string]string{"LANG": "C.UTF-8"}, nil, 1000,
			[][2]string{{"LANGUAGE", "en"}, {"DBUS_SESSION_BUS_ADDRESS", "disabled:"}}},
		{"LC_ALL=C.utf8 wins over a real LANG", map[string]string{"LC_ALL": "C.utf8", "LANG": "de_DE.UTF-8", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000,
			[][2]string{{"LANGUAGE", "en"}}},
		{"LC_MESSAGES=POSIX.UTF-8", map[string]string{"LC_MESSAGES": "POSIX.UTF-8", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000,
			[][2]string{{"LANGUAGE", "en"}}},
		{"C@modifier", map[string]string{"LANG": "C@euro", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000,
			[][2]string{{"LANGUAGE", "en"}}},
		{"plain C is left to go-locale", map[string]string{"LANG": "C", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000, nil},
		{"unset locale", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000, nil},
		{"a real locale", map[string]string{"LANG": "en_US.UTF-8", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000, nil},
		{"a locale whose language starts with C", map[string]string{"LANG": "ca_ES.UTF-8", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000, nil},
		{"LANGUAGE already set", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, nil, 1000, nil},
		{"autolaunch asked for", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "autolaunch:"}, nil, 1000, nil},
		{"the user bus godbus finds itself", map[string]string{}, []string{"/run/user/1000/bus"}, 1000, nil},
		{"a bus in another runtime folder", map[string]string{"XDG_RUNTIME_DIR": "/tmp/rt 1"}, []string{"/tmp/rt 1/bus"}, 1000,
			[][2]string{{"DBUS_SESSION_BUS_ADDRESS", "unix:path=/tmp/rt%201/bus"}}},
		{"a relative runtime folder is ignored", map[string]string{"XDG_RUNTIME_DIR": "rt"}, []string{"rt/bus"}, 1000,
			[][2]string{{"DBUS_SESSION_BUS_ADDRESS", "disabled:"}}},
		{"Windows (no uid)", map[string]string{}, nil, -1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isSocket := noSockets
			if c.sockets != nil {
				isSocket = func(p string) bool {
					for _, s := range c.sockets {
						if s == p {
							return true
						}
					}
					return false
				}
			}
			got := Fixes(func(k string) string { return c.env[k] }, isSocket, c.uid)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Fixes = %q, want %q", got, c.want)
			}
		})
	}
}
