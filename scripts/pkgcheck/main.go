//go:build ignore

// Command pkgcheck inspects the binaries scripts/package builds; scripts/check-packages runs it.
// It prints what it found and exits 1 with a one-line reason on the first failure.
//
//	go run scripts/pkgcheck/main.go elf BINARY      linux/amd64, stripped, ≤ 25 MB, only desktop system libraries
//	go run scripts/pkgcheck/main.go pe EXE          amd64 GUI .exe, system DLLs only, icon + manifest + version resources
//	go run scripts/pkgcheck/main.go emulate BINARY  `BINARY emulate --json` prints one JSON line, serves, stops on SIGINT
package main

import (
	"bufio"
	"context"
	"debug/elf"
	"debug/pe"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// maxLinuxBinary is the goal of issue #8 for the stripped Linux binary.
const maxLinuxBinary = 25_000_000

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
	if len(os.Args) != 3 {
		fail("usage: pkgcheck elf|pe|emulate FILE")
	}
	var err error
	switch os.Args[1] {
	case "elf":
		err = checkELF(os.Args[2])
	case "pe":
		err = checkPE(os.Args[2])
	case "emulate":
		err = checkEmulate(os.Args[2])
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
	resp, err := http.Get(d.BaseURL + "/.well-known/openid-configuration")
	if err != nil {
		return fmt.Errorf("emulated org at %s does not answer: %v", d.BaseURL, err)
	}
	body, _ := io.ReadAll(resp.Body)
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
