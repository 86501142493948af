// Package userfile reads a file the user named (a JWT private key, a SAML assertion, a CA
// bundle, an import, a settings or org file): only a regular file, and only up to a size cap,
// so that /dev/zero, a FIFO, a directory or a huge file gives a one-line error instead of
// exhausting memory or hanging. Every package of this module that opens a user's path reads
// it through Read. It imports nothing of this module, so that any package can use it.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Common caps, so that each kind of file has one limit wherever it is read.
const (
	// KeyLimit caps a PEM private key or certificate (a 16384-bit RSA key is under 13 KB).
	KeyLimit = 1 << 20
	// DocumentLimit caps a SAML assertion, a settings or org file and a metadata file.
	DocumentLimit = 4 << 20
	// BundleLimit caps a CA bundle and a profiles import or profiles file.
	BundleLimit = 16 << 20
)

// ErrNotRegular is wrapped when the path names something other than a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped when the file is larger than the cap.
var ErrTooLarge = errors.New("file too large")

// Error is a user's file that could not be read; its message is one line naming the path,
// what is wrong and what to change.
type Error struct {
	Path string
	Err  error // ErrNotRegular, ErrTooLarge, or the os error
	msg  string
}

func (e *Error) Error() string { return e.msg }
func (e *Error) Unwrap() error { return e.Err }

// Read returns the content of the regular file at path (symbolic links are followed: the user
// named it), at most limit bytes. what names the file in errors ("the JWT private key").
func Read(path, what string, limit int64) ([]byte, error) {
	if path == "" {
		return nil, &Error{Path: path, Err: fs.ErrNotExist, msg: fmt.Sprintf("no path given for %s", what)}
	}
	// Stat first: opening a FIFO for reading would block until a writer comes.
	st, err := os.Stat(path)
	if err != nil {
		return nil, osError(path, what, err)
	}
	if err := Check(path, what, st, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, osError(path, what, err)
	}
	defer f.Close()
	// The path may have been swapped between Stat and Open: ReadOpen checks what was opened.
	return ReadOpen(f, path, what, limit)
}

// ReadOpen reads the file f, opened from path by the caller (for example without following
// symbolic links), after checking as Read does that it is a regular file of at most limit
// bytes. It does not close f.
func ReadOpen(f *os.File, path, what string, limit int64) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, osError(path, what, err)
	}
	if err := Check(path, what, st, limit); err != nil {
		return nil, err
	}
	return ReadCapped(f, path, what, limit)
}

// ReadCapped reads r to its end, at most limit bytes; more is a one-line *Error wrapping
// ErrTooLarge (never a silent truncation). For stdin and other streams.
func ReadCapped(r io.Reader, path, what string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, osError(path, what, err)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(path, what, int64(len(b)), limit, true)
	}
	return b, nil
}

// Check reports whether st (of path) is a regular file of at most limit bytes, as a one-line
// *Error when it is not. Callers that must hand a path to code that opens it themselves check
// it with Check first.
func Check(path, what string, st fs.FileInfo, limit int64) error {
	m := st.Mode()
	if !m.IsRegular() {
		return &Error{Path: path, Err: ErrNotRegular,
			msg: fmt.Sprintf("%s %s is %s, not a regular file; give the path of the file itself", what, path, describe(m))}
	}
	if st.Size() > limit {
		return tooLarge(path, what, st.Size(), limit, false)
	}
	return nil
}

// Stat checks path as Read would, without reading it.
func Stat(path, what string, limit int64) error {
	st, err := os.Stat(path)
	if err != nil {
		return osError(path, what, err)
	}
	return Check(path, what, st, limit)
}

func tooLarge(path, what string, size, limit int64, atLeast bool) error {
	is := Size(size) + ", over"
	if atLeast {
		is = "over"
	}
	return &Error{Path: path, Err: ErrTooLarge,
		msg: fmt.Sprintf("%s %s is %s the %s limit for it; check that it is the right file", what, path, is, Size(limit))}
}

func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

func osError(path, what string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is in the message already
	}
	hint := "check the path"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		hint = "check the path (it does not exist)"
	case errors.Is(err, fs.ErrPermission):
		hint = "check its permissions"
	}
	return &Error{Path: path, Err: err, msg: fmt.Sprintf("%s %s cannot be read (%v); %s", what, path, err, hint)}
}

// Size renders a byte count for a person: 512 bytes, 64 KiB, 1 MiB, 1.5 GiB.
func Size(n int64) string {
	const k = 1024
	switch {
	case n < k:
		return fmt.Sprintf("%d bytes", n)
	case n < k*k:
		return trim(float64(n)/k) + " KiB"
	case n < k*k*k:
		return trim(float64(n)/(k*k)) + " MiB"
	}
	return trim(float64(n)/(k*k*k)) + " GiB"
}

func trim(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}
