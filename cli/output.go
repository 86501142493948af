package cli

import (
	"fmt"
	"io"
	"sync"
	"unicode"
	"unicode/utf8"
)

// terminalWriter is what every command of this package writes to: Main wraps the caller's
// stdout and stderr in it, so that no byte a server, a file or a flag chose can drive the
// terminal. Values from outside (an error description, an instance_url, a profile name, a
// token response field) reach the output in many places; escaping them here, once, covers
// them all.
//
// It passes \n and \t, and every printable character, unchanged. It replaces
//   - C0 controls (ESC, BEL, \b, \r, NUL, ...), DEL and C1 controls (U+0080-U+009F, which
//     some terminals obey as CSI, OSC, ...),
//   - bidirectional controls (U+202E and the rest of Unicode's Bidi_Control), which reorder
//     what the reader sees,
//   - U+2028 and U+2029, which some terminals and editors treat as line breaks,
//
// with the six characters \uXXXX, and a byte that is not UTF-8 with \xXX. The \uXXXX form
// keeps JSON output valid and equal in meaning: such runes only occur inside JSON strings,
// where \uXXXX is the same character (encoding/json already escapes C0 controls, but leaves
// DEL, C1 and bidirectional controls raw).
type terminalWriter struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte // the start of a UTF-8 sequence cut by the end of the last Write
	buf     []byte
}

// NewTerminalWriter wraps w so that what is written to it cannot drive a terminal (see
// terminalWriter); a writer that is already one is returned as is. Main wraps the commands'
// stdout and stderr; the window's own messages on stderr can use it too.
func NewTerminalWriter(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	if _, ok := w.(*terminalWriter); ok {
		return w
	}
	return &terminalWriter{w: w}
}

func (t *terminalWriter) wrapped() io.Writer { return t.w }

// Write escapes p and writes it; it reports len(p) when the escaped form was written whole.
func (t *terminalWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	in := p
	if len(t.pending) > 0 {
		in = append(append([]byte(nil), t.pending...), p...)
		t.pending = t.pending[:0]
	}
	out := t.buf[:0]
	for i := 0; i < len(in); {
		c := in[i]
		if c < utf8.RuneSelf {
			if c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) {
				out = append(out, c)
			} else {
				out = appendEscape(out, rune(c))
			}
			i++
			continue
		}
		if !utf8.FullRune(in[i:]) {
			t.pending = append(t.pending, in[i:]...) // completed (or flushed) later
			break
		}
		r, n := utf8.DecodeRune(in[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = fmt.Appendf(out, `\x%02x`, c)
		case unsafeRune(r):
			out = appendEscape(out, r)
		default:
			out = append(out, in[i:i+n]...)
		}
		i += n
	}
	t.buf = out
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a UTF-8 sequence left incomplete by the last Write (escaped byte by byte).
func (t *terminalWriter) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) == 0 {
		return nil
	}
	var out []byte
	for _, c := range t.pending {
		out = fmt.Appendf(out, `\x%02x`, c)
	}
	t.pending = t.pending[:0]
	_, err := t.w.Write(out)
	return err
}

// unsafeRune reports whether r, beyond ASCII, must not reach a terminal raw.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

func appendEscape(out []byte, r rune) []byte {
	return fmt.Appendf(out, `\u%04x`, r)
}

// sanitize returns s as terminalWriter would print it.
func sanitize(s string) string {
	var b sanitizeBuf
	tw := &terminalWriter{w: &b}
	tw.Write([]byte(s))
	tw.Flush()
	return string(b)
}

type sanitizeBuf []byte

func (b *sanitizeBuf) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
