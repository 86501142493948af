//go:build ignore

// Command pkgcheck inspects the binaries scripts/package builds; scripts/check-packages runs it.
// It prints what it found and exits 1 with a one-line reason on the first failure.
//
//	go run scripts/pkgcheck/main.go elf BINARY      linux/amd64, stripped, ≤ 26 MB, only desktop system libraries
//	go run scripts/pkgcheck/main.go pe EXE          amd64 GUI .exe, system DLLs only, icon + manifest + version resources
//	go run scripts/pkgcheck/main.go emulate BINARY  `BINARY emulate --json` prints one JSON line, serves, stops on SIGINT
//	go run scripts/pkgcheck/main.go macho BINARY    macOS universal (arm64 + x86-64) executable
//	go run scripts/pkgcheck/main.go app DIR.app NAME ID VERSION
//	                                                the bundle layout `fyne package -os darwin` makes: Info.plist
//	                                                with these values, the universal executable, icon.icns
//	go run scripts/pkgcheck/main.go cli FILE      connectedapplab-cli: an ELF, PE (console subsystem) or universal
//	                                                Mach-O executable built by Go with -tags headless, without Fyne
//	go run scripts/pkgcheck/main.go clirun [WINE64] FILE
//	                                                connectedapplab-cli runs: --version, --help and -h exit 0, no
//	                                                command is one line pointing to the window's executable (exit
//	                                                2), and `run --flow username-password --json` gets a token from
//	                                                its own `emulate`
//	go run scripts/pkgcheck/main.go flows LINUX_BINARY WINE64 EXE
//	                                                the non-browser flows run by both binaries, each against its
//	                                                own `emulate`, report the same (scripts/check-windows)
package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"
)

// maxLinuxBinary is the goal for the stripped Linux window binary: 25 MB in issue #8, 26 MB
// since the window gained the checkup, timeline and rotation bench views (issue #18; 25.0 MB then).
const maxLinuxBinary = 26_000_000

// Libraries a Linux desktop has (docs/PACKAGING.md lists the Debian/Ubuntu/Fedora packages).
var linuxLibs = map[string]bool{
	"libGL.so.1": true, "libX11.so.6": true, "libc.so.6": true, "libm.so.6": true,
	"libpthread.so.0": true, "libdl.so.2": true, "librt.so.1": true, "libresolv.so.2": true,
}

// DLLs that ship with every Windows 10/11: anything else would have to be shipped beside the .exe.
var windowsDLLs = map[string]bool{
	"kernel32.dll": true, "user32.dll": true, "gdi32.dll": true, "opengl32.dll": true,
	"shell32.dll": true, "msvcrt.dll": true, "advapi32.dll": true, "ole32.dll": true,
	"oleaut32.dll": true, "winmm.dll": true, "ws2_32.dll": true, "ntdll.dll": true,
	"dwmapi.dll": true, "imm32.dll": true, "comctl32.dll": true, "comdlg32.dll": true,
	"crypt32.dll": true, "bcrypt.dll": true, "secur32.dll": true, "shlwapi.dll": true,
	"uxtheme.dll": true, "version.dll": true, "winspool.drv": true, "setupapi.dll": true,
	"iphlpapi.dll": true, "dnsapi.dll": true, "userenv.dll": true, "netapi32.dll": true,
	"powrprof.dll": true, "mswsock.dll": true, "ucrtbase.dll": true, "hid.dll": true,
}

func main() {
	if len(os.Args) == 6 && os.Args[1] == "app" {
		if err := checkApp(os.Args[2], os.Args[3], os.Args[4], os.Args[5]); err != nil {
			fail(err.Error())
		}
		return
	}
	if (len(os.Args) == 3 || len(os.Args) == 4) && os.Args[1] == "clirun" {
		if err := checkCLIRun(os.Args[2:]); err != nil {
			fail(err.Error())
		}
		return
	}
	if len(os.Args) == 5 && os.Args[1] == "flows" {
		if err := checkFlows(os.Args[2], os.Args[3], os.Args[4]); err != nil {
			fail(err.Error())
		}
		return
	}
	if len(os.Args) != 3 {
		fail("usage: pkgcheck elf|pe|macho|emulate|cli FILE, pkgcheck clirun [WINE64] FILE, or pkgcheck flows LINUX_BINARY WINE64 EXE")
	}
	var err error
	switch os.Args[1] {
	case "elf":
		err = checkELF(os.Args[2])
	case "pe":
		err = checkPE(os.Args[2])
	case "emulate":
		err = checkEmulate(os.Args[2])
	case "macho":
		err = checkMachO(os.Args[2])
	case "cli":
		err = checkCLI(os.Args[2])
	default:
		err = fmt.Errorf("unknown check %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "FAIL:", msg)
	os.Exit(1)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func checkELF(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s is not an ELF file: %v", path, err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 {
		return fmt.Errorf("%s is for %v, want x86-64", path, f.Machine)
	}
	if f.Section(".symtab") != nil {
		return fmt.Errorf("%s is not stripped (has .symtab); package with -release", path)
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return fmt.Errorf("%s: reading DT_NEEDED: %v", path, err)
	}
	for _, l := range libs {
		if !linuxLibs[l] {
			return fmt.Errorf("%s needs %s, which is not in the desktop library list of docs/PACKAGING.md", path, l)
		}
	}
	fmt.Printf("linux binary: %s, stripped, x86-64, needs %s\n", mb(st.Size()), strings.Join(libs, " "))
	if st.Size() > maxLinuxBinary {
		return fmt.Errorf("stripped Linux binary is %s, over the %s goal", mb(st.Size()), mb(maxLinuxBinary))
	}
	return nil
}

func checkPE(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	f, err := pe.Open(path)
	if err != nil {
		return fmt.Errorf("%s is not a PE file: %v", path, err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Errorf("%s has machine %#x, want amd64 (%#x)", path, f.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return fmt.Errorf("%s is not PE32+", path)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		return fmt.Errorf("%s has subsystem %d, want Windows GUI (%d): build with -H windowsgui", path, oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	// debug/pe's ImportedLibraries is a stub that returns nothing; the DLLs are the part of
	// each imported symbol ("Sleep:KERNEL32.dll") after the colon.
	syms, err := f.ImportedSymbols()
	if err != nil {
		return fmt.Errorf("%s: reading imports: %v", path, err)
	}
	var libs []string
	seen := map[string]bool{}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok && !seen[dll] {
			seen[dll] = true
			libs = append(libs, dll)
		}
	}
	if len(libs) == 0 {
		return fmt.Errorf("%s imports no DLLs at all; not a cgo GUI build", path)
	}
	for _, l := range libs {
		if l = strings.ToLower(l); !windowsDLLs[l] && !strings.HasPrefix(l, "api-ms-win-") {
			return fmt.Errorf("%s imports %s, which is not a Windows system DLL (it would have to ship beside the .exe)", path, l)
		}
	}
	types, err := resourceTypes(f)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	for id, name := range map[uint32]string{3: "icon", 14: "icon group", 16: "version info", 24: "manifest"} {
		if !types[id] {
			return fmt.Errorf("%s has no %s resource; package with the fyne tool", path, name)
		}
	}
	fmt.Printf("windows exe: %s, PE32+ amd64 GUI, resources icon+manifest+version, imports %s\n", mb(st.Size()), strings.Join(libs, " "))
	return nil
}

// resourceTypes reads the type IDs in the root directory of the .rsrc section.
func resourceTypes(f *pe.File) (map[uint32]bool, error) {
	s := f.Section(".rsrc")
	if s == nil {
		return nil, fmt.Errorf("no .rsrc section (no icon or manifest)")
	}
	b, err := s.Data()
	if err != nil || len(b) < 16 {
		return nil, fmt.Errorf("unreadable .rsrc section")
	}
	named := int(binary.LittleEndian.Uint16(b[12:]))
	ids := int(binary.LittleEndian.Uint16(b[14:]))
	types := map[uint32]bool{}
	for i := named; i < named+ids; i++ {
		off := 16 + 8*i
		if off+8 > len(b) {
			return nil, fmt.Errorf("truncated .rsrc directory")
		}
		types[binary.LittleEndian.Uint32(b[off:])] = true
	}
	return types, nil
}

func checkEmulate(bin string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "emulate", "--json")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("emulate does not start: %v", err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("emulate --json printed no line: %v", err)
	}
	var d struct {
		BaseURL string `json:"base_url"`
	}
	if err := json.Unmarshal([]byte(line), &d); err != nil || d.BaseURL == "" {
		return fmt.Errorf("emulate --json printed %.80q, not JSON with base_url", line)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(d.BaseURL + "/.well-known/openid-configuration")
	if err != nil {
		return fmt.Errorf("emulated org at %s does not answer: %v", d.BaseURL, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"issuer"`) {
		return fmt.Errorf("%s/.well-known/openid-configuration answered %s without an issuer", d.BaseURL, resp.Status)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("emulate did not exit cleanly on SIGINT: %v", err)
		}
	case <-time.After(5 * time.Second):
		return fmt.Errorf("emulate still running 5 s after SIGINT")
	}
	fmt.Printf("emulate --json: served %s (discovery 200), stopped on SIGINT\n", d.BaseURL)
	return nil
}

// checkMachO checks a macOS executable built on Linux by `scripts/package darwin`: a universal
// file with an arm64 and an x86-64 Mach-O executable.
func checkMachO(path string) error {
	f, err := macho.OpenFat(path)
	if err != nil {
		return fmt.Errorf("%s is not a universal Mach-O file: %v", path, err)
	}
	defer f.Close()
	have := map[macho.Cpu]bool{}
	for _, a := range f.Arches {
		if a.Type != macho.TypeExec {
			return fmt.Errorf("%s: the %v part is a %v, not an executable", path, a.Cpu, a.Type)
		}
		have[a.Cpu] = true
	}
	if !have[macho.CpuArm64] || !have[macho.CpuAmd64] || len(f.Arches) != 2 {
		return fmt.Errorf("%s holds %d architectures (%v), want arm64 and x86-64", path, len(f.Arches), have)
	}
	fmt.Printf("macho: %s: universal, arm64 + x86-64 executables\n", path)
	return nil
}

// A binary to run: the Linux one directly, the Windows one through Wine.
type runner struct {
	name string
	argv []string // program and leading arguments
	path func(string) string
}

func (r runner) cmd(ctx context.Context, args ...string) *exec.Cmd {
	a := append(append([]string{}, r.argv[1:]...), args...)
	return exec.CommandContext(ctx, r.argv[0], a...)
}

// emulated is what `emulate --json` prints (sfemu.Description), the parts the flows need.
type emulated struct {
	BaseURL     string `json:"base_url"`
	MyDomainURL string `json:"my_domain_url"`
	Users       []struct {
		Username      string `json:"username"`
		Password      string `json:"password"`
		SecurityToken string `json:"security_token"`
	} `json:"users"`
	Apps []struct {
		Name          string `json:"name"`
		ClientID      string `json:"client_id"`
		ClientSecret  string `json:"client_secret"`
		JWTPrivateKey string `json:"jwt_private_key"`
		JWTUsername   string `json:"jwt_username"`
	} `json:"apps"`
}

// startEmulator starts `emulate --json` and returns the org it serves.
func startEmulator(ctx context.Context, r runner) (*emulated, *exec.Cmd, error) {
	cmd := r.cmd(ctx, "emulate", "--json")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("%s: emulate does not start: %v", r.name, err)
	}
	line, err := bufio.NewReader(io.LimitReader(out, 1<<20)).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, nil, fmt.Errorf("%s: emulate --json printed no line: %v", r.name, err)
	}
	var e emulated
	if err := json.Unmarshal([]byte(line), &e); err != nil || e.BaseURL == "" {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, nil, fmt.Errorf("%s: emulate --json printed %.80q, not JSON with base_url", r.name, line)
	}
	return &e, cmd, nil
}

// flowCase is one `run` of a non-browser flow: its arguments and secrets from the emulated org.
type flowCase struct {
	name string
	ok   bool                                                                // whether it gets a token (exit 0)
	args func(e *emulated, r runner, dir string) ([]string, []string, error) // args, SF_* env
}

func appOf(e *emulated, name string) (int, error) {
	for i, a := range e.Apps {
		if a.Name == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("the emulated org has no app %q", name)
}

var flowCases = []flowCase{
	{"username-password", true, func(e *emulated, r runner, dir string) ([]string, []string, error) {
		i, err := appOf(e, "Web App")
		u := e.Users[0]
		return []string{"--flow", "username-password", "--login-url", e.BaseURL, "--client-id", e.Apps[i].ClientID, "--username", u.Username},
			[]string{"SF_CLIENT_SECRET=" + e.Apps[i].ClientSecret, "SF_PASSWORD=" + u.Password, "SF_SECURITY_TOKEN=" + u.SecurityToken}, err
	}},
	{"username-password, wrong password", false, func(e *emulated, r runner, dir string) ([]string, []string, error) {
		i, err := appOf(e, "Web App")
		u := e.Users[0]
		return []string{"--flow", "username-password", "--login-url", e.BaseURL, "--client-id", e.Apps[i].ClientID, "--username", u.Username},
			[]string{"SF_CLIENT_SECRET=" + e.Apps[i].ClientSecret, "SF_PASSWORD=not-" + u.Password, "SF_SECURITY_TOKEN=" + u.SecurityToken}, err
	}},
	{"client-credentials (with --introspect)", true, func(e *emulated, r runner, dir string) ([]string, []string, error) {
		i, err := appOf(e, "Integration App")
		return []string{"--flow", "client-credentials", "--login-url", e.BaseURL, "--my-domain-url", e.MyDomainURL, "--client-id", e.Apps[i].ClientID, "--introspect"},
			[]string{"SF_CLIENT_SECRET=" + e.Apps[i].ClientSecret}, err
	}},
	{"jwt-bearer", true, func(e *emulated, r runner, dir string) ([]string, []string, error) {
		i, err := appOf(e, "Integration App")
		if err != nil {
			return nil, nil, err
		}
		key := dir + "/" + r.name + "-jwt.pem"
		if err := os.WriteFile(key, []byte(e.Apps[i].JWTPrivateKey), 0o600); err != nil {
			return nil, nil, err
		}
		return []string{"--flow", "jwt-bearer", "--login-url", e.BaseURL, "--client-id", e.Apps[i].ClientID, "--username", e.Apps[i].JWTUsername, "--jwt-key", r.path(key)}, nil, nil
	}},
	{"refresh, unknown token", false, func(e *emulated, r runner, dir string) ([]string, []string, error) {
		i, err := appOf(e, "Web App")
		return []string{"--flow", "refresh", "--login-url", e.BaseURL, "--client-id", e.Apps[i].ClientID},
			[]string{"SF_CLIENT_SECRET=" + e.Apps[i].ClientSecret, "SF_REFRESH_TOKEN=5Aep861-not-a-refresh-token"}, err
	}},
}

// flowShape is what must be the same whichever binary ran the flow: the exit code and the
// fields of `run --json` that do not hold times, ports or tokens.
func flowShape(stdout []byte, code int) (string, error) {
	var v map[string]any
	if err := json.Unmarshal(stdout, &v); err != nil {
		return "", fmt.Errorf("run --json printed %.120q, not one JSON object", stdout)
	}
	keys := func(m any) []string {
		mm, _ := m.(map[string]any)
		var ks []string
		for k := range mm {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d; keys %v; token keys %v\n", code, keys(v), keys(v["token"]))
	for _, k := range []string{"ok", "flow", "refresh_token_issued", "refresh_token_rotated", "granted_scopes", "requested_scopes"} {
		fmt.Fprintf(&b, "%s=%v; ", k, v[k])
	}
	if checks, ok := v["checks"].([]any); ok {
		for _, c := range checks {
			c, _ := c.(map[string]any)
			fmt.Fprintf(&b, "check %v=%v; ", c["name"], c["ok"])
		}
	}
	if tr, ok := v["transcript"].([]any); ok {
		for _, t := range tr {
			t, _ := t.(map[string]any)
			fmt.Fprintf(&b, "\nstep %v %v -> %v", t["step"], t["method"], t["status"])
		}
	}
	if e, ok := v["error"].(map[string]any); ok {
		fmt.Fprintf(&b, "\nerror code=%v status=%v", e["code"], e["status"])
	}
	if g, ok := v["guidance"].(map[string]any); ok {
		fmt.Fprintf(&b, "\nguidance keys %v idle_timeout_seconds=%v source=%v advice=%d", keys(g), g["idle_timeout_seconds"], g["idle_timeout_source"], len(asSlice(g["advice"])))
	}
	if in, ok := v["introspection"].(map[string]any); ok {
		fmt.Fprintf(&b, "\nintrospection active=%v keys %v", in["active"], keys(in))
	}
	return b.String(), nil
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// checkFlows runs `emulate` with each binary and the non-browser flows of flowCases against
// it, and compares what the two report (flowShape).
func checkFlows(linuxBin, wine, exe string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "pkgcheck-flows")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	same := func(p string) string { return p }
	// Wine maps the Unix root to drive Z:.
	winPath := func(p string) string { return "Z:" + strings.ReplaceAll(p, "/", `\`) }
	sides := []runner{{"linux", []string{linuxBin}, same}, {"windows", []string{wine, exe}, winPath}}
	orgs := make([]*emulated, len(sides))
	for i, r := range sides {
		e, cmd, err := startEmulator(ctx, r)
		if err != nil {
			return err
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		orgs[i] = e
		fmt.Printf("flows: %s emulate serves %s\n", r.name, e.BaseURL)
	}
	for _, fc := range flowCases {
		var shapes [2]string
		for i, r := range sides {
			args, env, err := fc.args(orgs[i], r, dir)
			if err != nil {
				return err
			}
			cmd := r.cmd(ctx, append([]string{"run", "--json"}, args...)...)
			cmd.Env = append(os.Environ(), env...)
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			start := time.Now()
			err = cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				return fmt.Errorf("%s: run %s: %v", r.name, fc.name, err)
			}
			for _, e := range env { // secrets never reach the output (tokens are redacted without --show-tokens)
				if v := e[strings.IndexByte(e, '=')+1:]; len(v) > 6 && (bytes.Contains(out.Bytes(), []byte(v)) || bytes.Contains(errOut.Bytes(), []byte(v))) {
					return fmt.Errorf("%s: run %s printed the value of %s", r.name, fc.name, e[:strings.IndexByte(e, '=')])
				}
			}
			shapes[i], err = flowShape(out.Bytes(), code)
			if err != nil {
				return fmt.Errorf("%s: run %s: %v (stderr: %.200s)", r.name, fc.name, err, errOut.String())
			}
			fmt.Printf("flows: %-7s %-40s exit %d in %5d ms\n", r.name, fc.name, code, time.Since(start).Milliseconds())
			// The cases must tell success from failure, or the comparison proves little.
			if (code == 0) != fc.ok {
				return fmt.Errorf("%s: run %s exited %d, want %s (stderr: %.200s)", r.name, fc.name, code, map[bool]string{true: "0", false: "non-zero"}[fc.ok], errOut.String())
			}
		}
		if shapes[0] != shapes[1] {
			return fmt.Errorf("run %s differs:\nlinux:   %s\nwindows: %s", fc.name, shapes[0], shapes[1])
		}
	}
	fmt.Printf("flows: %d non-browser runs report the same on Linux and Windows\n", len(flowCases))
	return nil
}

// plistDict reads the top-level dict of an XML property list: key -> string value ("true" or
// "false" for booleans, "array" for arrays).
func plistDict(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) > 1<<20 {
		return nil, fmt.Errorf("%s is over 1 MB", path)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	out := map[string]string{}
	depth, key := 0, ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s is not XML: %v", path, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 3 { // plist > dict > key/value
				continue
			}
			switch t.Name.Local {
			case "key", "string", "integer":
				var v string
				if err := d.DecodeElement(&v, &t); err != nil {
					return nil, err
				}
				depth--
				if t.Name.Local == "key" {
					key = v
				} else {
					out[key] = v
				}
			case "true", "false", "array", "dict":
				out[key] = t.Name.Local
			}
		case xml.EndElement:
			depth--
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no <plist><dict> entries", path)
	}
	return out, nil
}

// checkApp checks a macOS .app bundle the way `fyne package -os darwin` lays it out.
func checkApp(app, name, id, version string) error {
	info := app + "/Contents/Info.plist"
	p, err := plistDict(info)
	if err != nil {
		return err
	}
	want := map[string]string{
		"CFBundleName": name, "CFBundleIdentifier": id, "CFBundleShortVersionString": version,
		"CFBundleExecutable": "connectedapplab", "CFBundlePackageType": "APPL", "CFBundleIconFile": "icon.icns",
		"NSHighResolutionCapable": "true", "CFBundleInfoDictionaryVersion": "6.0",
	}
	for k, v := range want {
		if p[k] != v {
			return fmt.Errorf("%s: %s is %q, want %q", info, k, p[k], v)
		}
	}
	if b := p["CFBundleVersion"]; b == "" || strings.Trim(b, "0123456789") != "" {
		return fmt.Errorf("%s: CFBundleVersion %q is not a build number", info, b)
	}
	if c := p["LSApplicationCategoryType"]; !strings.HasPrefix(c, "public.app-category.") || len(c) == len("public.app-category.") {
		return fmt.Errorf("%s: LSApplicationCategoryType %q is not one of Apple's categories", info, c)
	}
	if p["LSMinimumSystemVersion"] == "" {
		return fmt.Errorf("%s has no LSMinimumSystemVersion", info)
	}
	exe := app + "/Contents/MacOS/" + p["CFBundleExecutable"]
	if st, err := os.Stat(exe); err != nil || st.Mode()&0o111 == 0 {
		return fmt.Errorf("%s is missing or not executable", exe)
	}
	if err := checkMachO(exe); err != nil {
		return err
	}
	types, err := icnsTypes(app + "/Contents/Resources/" + p["CFBundleIconFile"])
	if err != nil {
		return err
	}
	for _, t := range []string{"ic10", "ic09", "ic08", "ic07"} { // 1024 (512@2x), 512, 256, 128
		if !strings.Contains(types, t) {
			return fmt.Errorf("icon.icns has %s, not %s", types, t)
		}
	}
	entries, _ := os.ReadDir(app + "/Contents")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	fmt.Printf("app: %s: Contents/{%s}, %s %s (build %s), %s, icon.icns %s\n", app, strings.Join(names, ","),
		p["CFBundleIdentifier"], version, p["CFBundleVersion"], p["LSApplicationCategoryType"], types)
	return nil
}

// icnsTypes lists the entries of an Apple icon file (magic "icns", big-endian length, then
// type+length+data entries), checking that the lengths add up and each image is a PNG.
func icnsTypes(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if len(b) < 8 || string(b[:4]) != "icns" || int(binary.BigEndian.Uint32(b[4:8])) != len(b) {
		return "", fmt.Errorf("%s is not an icns file (magic or length wrong)", path)
	}
	var types []string
	for off := 8; off < len(b); {
		if off+8 > len(b) {
			return "", fmt.Errorf("%s: truncated entry at %d", path, off)
		}
		t, n := string(b[off:off+4]), int(binary.BigEndian.Uint32(b[off+4:off+8]))
		if n < 8 || off+n > len(b) {
			return "", fmt.Errorf("%s: entry %s has a bad length %d", path, t, n)
		}
		if strings.HasPrefix(t, "ic") && !bytes.HasPrefix(b[off+8:off+n], []byte("\x89PNG")) {
			return "", fmt.Errorf("%s: entry %s is not a PNG", path, t)
		}
		types = append(types, t)
		off += n
	}
	return strings.Join(types, " "), nil
}

// checkCLI checks connectedapplab-cli, the executable without the window: a Go build with
// -tags headless whose modules include no Fyne (so it loads no OpenGL or X11); on Linux
// statically linked, stripped x86-64; on Windows a PE32+ amd64 console program (its output
// shows in cmd and PowerShell); on macOS a universal arm64 + x86-64 executable.
func checkCLI(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	var parts []io.ReaderAt // the Go executables in the file (two in a universal Mach-O)
	var what string
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		if f.Machine != elf.EM_X86_64 {
			return fmt.Errorf("%s is for %v, want x86-64", path, f.Machine)
		}
		if f.Section(".symtab") != nil {
			return fmt.Errorf("%s is not stripped (has .symtab)", path)
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			return fmt.Errorf("%s needs %s; the command line is built with CGO_ENABLED=0 and needs no library", path, strings.Join(libs, " "))
		}
		r, _ := os.Open(path)
		defer r.Close()
		parts, what = []io.ReaderAt{r}, "linux x86-64, stripped, static"
	} else if f, err := pe.Open(path); err == nil {
		defer f.Close()
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			return fmt.Errorf("%s is not a PE32+ amd64 executable", path)
		}
		if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
			return fmt.Errorf("%s has subsystem %d, want the console (%d): build it without -H windowsgui, so its output shows in cmd and PowerShell", path, oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI)
		}
		r, _ := os.Open(path)
		defer r.Close()
		parts, what = []io.ReaderAt{r}, "windows PE32+ amd64, console subsystem"
	} else if f, err := macho.OpenFat(path); err == nil {
		defer f.Close()
		if err := checkMachO(path); err != nil {
			return err
		}
		r, _ := os.Open(path)
		defer r.Close()
		for _, a := range f.Arches {
			parts = append(parts, io.NewSectionReader(r, int64(a.Offset), int64(a.Size)))
		}
		what = "macOS universal arm64 + x86-64"
	} else {
		return fmt.Errorf("%s is no ELF, PE or universal Mach-O executable", path)
	}
	for _, p := range parts {
		bi, err := buildinfo.Read(p)
		if err != nil {
			return fmt.Errorf("%s: no Go build information: %v", path, err)
		}
		tags := ""
		for _, s := range bi.Settings {
			if s.Key == "-tags" {
				tags = s.Value
			}
		}
		if !slices.Contains(strings.Split(tags, ","), "headless") {
			return fmt.Errorf("%s was built with tags %q, want headless", path, tags)
		}
		for _, m := range bi.Deps {
			if strings.HasPrefix(m.Path, "fyne.io/") || strings.HasPrefix(m.Path, "github.com/go-gl/") {
				return fmt.Errorf("%s links %s: the command line must not carry the window", path, m.Path)
			}
		}
	}
	fmt.Printf("cli executable: %s, %s, -tags headless, no Fyne or OpenGL module\n", mb(st.Size()), what)
	return nil
}

// checkCLIRun runs connectedapplab-cli as a user would from a terminal: args are [WINE64]
// FILE. --version, --help and `run -h` exit 0; no command and `window` print one line that
// points to the window's executable and exit 2; `run --flow username-password --json` gets a
// token from the executable's own `emulate` and prints none of the secrets it was given.
func checkCLIRun(args []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r := runner{name: "cli", argv: args}
	exec1 := func(env []string, a ...string) (int, string, string, error) {
		cmd := r.cmd(ctx, a...)
		cmd.Env = append(os.Environ(), env...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String(), errOut.String(), nil
		}
		return 0, out.String(), errOut.String(), err
	}
	code, out, errOut, err := exec1(nil, "--version")
	if err != nil || code != 0 || !strings.HasPrefix(out, "connectedapplab ") || !strings.Contains(out, "fyne none") {
		return fmt.Errorf("--version: exit %d, %q %q (%v); want the version line of a build without Fyne", code, out, errOut, err)
	}
	fmt.Printf("cli --version: %s", out)
	for _, a := range [][]string{{"--help"}, {"run", "-h"}, {"emulate", "--help"}} {
		code, out, errOut, err := exec1(nil, a...)
		if err != nil || code != 0 || !strings.Contains(strings.ToLower(out+errOut), "usage") {
			return fmt.Errorf("%s: exit %d (%v), want 0 and the usage", strings.Join(a, " "), code, err)
		}
		if a[0] == "--help" && (strings.Contains(out, "\n  window ") || !strings.Contains(out, "\n  run ")) {
			return fmt.Errorf("--help of the command line lists the window or no run command: %.300q", out)
		}
	}
	for _, a := range [][]string{nil, {"window"}} {
		code, out, errOut, err := exec1(nil, a...)
		errOut = strings.ReplaceAll(errOut, "\r\n", "\n")
		if err != nil || code != 2 || out != "" || strings.Count(errOut, "\n") != 1 ||
			!strings.Contains(errOut, "this executable is the command line without the window; open the window with connectedapplab") {
			return fmt.Errorf("%q: exit %d, stdout %q, stderr %q (%v); want one line pointing to connectedapplab, exit 2", a, code, out, errOut, err)
		}
	}
	e, emu, err := startEmulator(ctx, r)
	if err != nil {
		return err
	}
	defer func() { emu.Process.Kill(); emu.Wait() }()
	argv, env, err := flowCases[0].args(e, r, "")
	if err != nil {
		return err
	}
	start := time.Now()
	code, out, errOut, err = exec1(env, append([]string{"run", "--json"}, argv...)...)
	if err != nil || code != 0 {
		return fmt.Errorf("run --flow username-password --json: exit %d (%v): %.300s", code, err, errOut)
	}
	var got struct {
		OK bool `json:"ok"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || !got.OK {
		return fmt.Errorf("run --json printed %.200q, not ok:true", out)
	}
	for _, kv := range env {
		if _, v, _ := strings.Cut(kv, "="); strings.Contains(out+errOut, v) {
			return fmt.Errorf("run printed the value of %s", kv[:strings.IndexByte(kv, '=')])
		}
	}
	fmt.Printf("cli run --flow username-password --json: ok against its own emulate (%s) in %d ms\n", e.BaseURL, time.Since(start).Milliseconds())
	return nil
}
