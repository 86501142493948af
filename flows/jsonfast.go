package flows

import (
	"encoding/json"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeJSONObject decodes the first JSON value in b, which must be an object, exactly as
// json.Decoder with UseNumber decodes it into a map[string]any (numbers as json.Number,
// nested objects as map[string]any, arrays as []any, invalid UTF-8 as U+FFFD, the last of
// duplicate keys wins, bytes after the value ignored), in one pass and without reflection:
// the token response is decoded on every run, and encoding/json's scan-then-decode took
// more time than the rest of the client's work together. ok is false for anything else
// (invalid JSON, another type, nesting deeper than encoding/json allows); the caller then
// decodes with encoding/json, which gives the error its usual words.
func decodeJSONObject(b []byte) (map[string]any, bool) {
	p := jsonParser{b: b, s: string(b)}
	p.skipSpace()
	if p.i >= len(b) || b[p.i] != '{' {
		return nil, false
	}
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}

type jsonParser struct {
	b []byte
	s string // b as a string, converted once: keys, plain strings and numbers are slices of it
	i int
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

func (p *jsonParser) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, bool) {
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, false
	}
	switch c := p.b[p.i]; {
	case c == '{':
		if depth+1 > maxJSONDepth {
			return nil, false
		}
		p.i++
		m := make(map[string]any, 12)
		p.skipSpace()
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			return m, true
		}
		for {
			p.skipSpace()
			if p.i >= len(p.b) || p.b[p.i] != '"' {
				return nil, false
			}
			k, ok := p.str()
			if !ok {
				return nil, false
			}
			p.skipSpace()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, false
			}
			p.i++
			v, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			m[k] = v
			p.skipSpace()
			if p.i >= len(p.b) {
				return nil, false
			}
			switch p.b[p.i] {
			case ',':
				p.i++
				continue
			case '}':
				p.i++
				return m, true
			}
			return nil, false
		}
	case c == '[':
		if depth+1 > maxJSONDepth {
			return nil, false
		}
		p.i++
		a := []any{}
		p.skipSpace()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			return a, true
		}
		for {
			v, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			a = append(a, v)
			p.skipSpace()
			if p.i >= len(p.b) {
				return nil, false
			}
			switch p.b[p.i] {
			case ',':
				p.i++
				continue
			case ']':
				p.i++
				return a, true
			}
			return nil, false
		}
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	}
	return nil, false
}

func (p *jsonParser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// number checks the JSON number grammar and returns the literal as a json.Number.
func (p *jsonParser) number() (any, bool) {
	n, ok := p.numberLiteral()
	if !ok {
		return nil, false
	}
	return json.Number(n), true
}

// numberLiteral checks the JSON number grammar and returns the literal.
func (p *jsonParser) numberLiteral() (string, bool) {
	b, start := p.b, p.i
	i := p.i
	if b[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return "", false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return "", false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return "", false
		}
	}
	if i >= len(b) { // a number must be followed by something inside an object
		return "", false
	}
	p.i = i
	return p.s[start:i], true
}

// str decodes a string at p.i (on the opening quote) as encoding/json unquotes it.
func (p *jsonParser) str() (string, bool) {
	b := p.b
	i := p.i + 1
	start := i
	for i < len(b) {
		c := b[i]
		if c == '"' {
			p.i = i + 1
			return p.s[start:i], true
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	// slow path: escapes, control characters (invalid) or non-ASCII (checked for UTF-8)
	var sb strings.Builder
	sb.Write(b[start:i])
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			p.i = i + 1
			return sb.String(), true
		case c < 0x20:
			return "", false
		case c == '\\':
			i++
			if i >= len(b) {
				return "", false
			}
			switch e := b[i]; e {
			case '"', '\\', '/':
				sb.WriteByte(e)
				i++
			case 'b':
				sb.WriteByte('\b')
				i++
			case 'f':
				sb.WriteByte('\f')
				i++
			case 'n':
				sb.WriteByte('\n')
				i++
			case 'r':
				sb.WriteByte('\r')
				i++
			case 't':
				sb.WriteByte('\t')
				i++
			case 'u':
				r, ok := hex4(b, i+1)
				if !ok {
					return "", false
				}
				i += 5
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(-1), false
					if i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
						r2, ok2 = hex4(b, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						i += 6
						r = dec
					} else {
						r = utf8.RuneError
					}
				}
				sb.WriteRune(r)
			default:
				return "", false
			}
		case c < utf8.RuneSelf:
			sb.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			i += size
			if r == utf8.RuneError && size == 1 {
				sb.WriteRune(utf8.RuneError)
			} else {
				sb.Write(b[i-size : i])
			}
		}
	}
	return "", false
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}
