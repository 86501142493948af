package flows

// formBody is an application/x-www-form-urlencoded request body, its fields in the order
// they were added. url.Values would build a map and sort its keys to encode it, which was
// the largest piece of the client's own work on a token request after the round trip; a
// token request is a handful of fields known in advance, so they are appended to one
// buffer instead. Values are escaped as url.QueryEscape does (form_internal_test.go checks
// both against net/url). Keys are never repeated: each call site adds a field once.
type formBody []byte

// formHeadroom is room for the client_id and client_secret that postForm may add (a
// Salesforce consumer key is 85 characters, a consumer secret 64).
const formHeadroom = 192

// newForm starts a form from key, value pairs.
func newForm(kv ...string) formBody {
	n := formHeadroom
	for _, s := range kv {
		n += len(s) + 1
	}
	f := make(formBody, 0, n)
	for i := 0; i+1 < len(kv); i += 2 {
		f = f.add(kv[i], kv[i+1])
	}
	return f
}

// add appends the field k whose value is the parts concatenated.
func (f formBody) add(k string, parts ...string) formBody {
	if len(f) > 0 {
		f = append(f, '&')
	}
	f = appendQueryEscape(f, k)
	f = append(f, '=')
	for _, p := range parts {
		f = appendQueryEscape(f, p)
	}
	return f
}

// appendQueryEscape appends s escaped as url.QueryEscape escapes it: letters, digits and
// -_.~ as they are, space as '+', every other byte as %XX.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}
