package sfemu

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small, honest SOQL subset for GET /services/data/vNN.N/query?q= (reference §15.6):
//
//	SELECT field, ... FROM User|Organization|OauthToken
//	  [WHERE field = literal [AND field = literal ...]]
//	  [ORDER BY field [ASC|DESC]] [LIMIT n]
//
// with literal a 'quoted string', true, false, null or a non-negative integer. Keywords,
// object and field names are case-insensitive and string comparison is case-insensitive,
// as in SOQL (SOQL and SOSL Reference, "Comparison Operators"). Anything beyond the subset
// is refused with one of Salesforce's query errors (MALFORMED_QUERY, INVALID_FIELD,
// INVALID_TYPE, INVALID_QUERY_FILTER_OPERATOR) in its message layout
// ("\n<query>\n<caret>\nERROR at Row:1:Column:N\n<text>"), never answered wrongly.

// maxSOQL caps the query text (Salesforce's own limit is 100,000 characters).
const maxSOQL = 100000

type soqlKind int

const (
	kString soqlKind = iota
	kID
	kBool
	kInt
	kDateTime
)

// soqlField is one queryable field of an emulated object.
type soqlField struct {
	name string
	kind soqlKind
}

// soqlObjects lists the queryable objects and their fields in describe order.
var soqlObjects = map[string][]soqlField{
	"User": {
		{"Id", kID}, {"Username", kString}, {"LastName", kString}, {"FirstName", kString}, {"Name", kString},
		{"Alias", kString}, {"Email", kString}, {"IsActive", kBool}, {"ProfileId", kID}, {"UserType", kString},
		{"LanguageLocaleKey", kString}, {"LocaleSidKey", kString}, {"TimeZoneSidKey", kString},
		{"EmailEncodingKey", kString}, {"CreatedDate", kDateTime}, {"LastModifiedDate", kDateTime},
	},
	"Organization": {
		{"Id", kID}, {"Name", kString}, {"OrganizationType", kString}, {"InstanceName", kString},
		{"IsSandbox", kBool}, {"TrialExpirationDate", kDateTime}, {"NamespacePrefix", kString},
		{"LanguageLocaleKey", kString}, {"DefaultLocaleSidKey", kString}, {"TimeZoneSidKey", kString},
		{"CreatedDate", kDateTime}, {"LastModifiedDate", kDateTime},
	},
	// OauthToken (object reference "OauthToken", §15.1).
	"OauthToken": {
		{"Id", kID}, {"AppName", kString}, {"AppMenuItemId", kID}, {"UserId", kID}, {"CreatedDate", kDateTime},
		{"LastUsedDate", kDateTime}, {"UseCount", kInt}, {"DeleteToken", kString},
	},
}

// soqlError is one REST query error (§5.1 shape: a JSON array of {message, errorCode}).
type soqlError struct {
	code string
	msg  string
}

func (e *soqlError) Error() string { return e.code + ": " + e.msg }

type soqlTok struct {
	kind string // ident, string, number, sym, eof
	text string // identifier/symbol text, or the decoded string
	pos  int    // byte offset in the query
}

type soqlCond struct {
	field soqlField
	lit   soqlTok
}

// soqlQuery is a parsed query of the subset.
type soqlQuery struct {
	object string
	objPos int // offset of the object name in the query
	fields []soqlField
	where  []soqlCond
	order  *soqlField
	desc   bool
	limit  int // -1: none
}

// soqlParser reads one query.
type soqlParser struct {
	q    string
	toks []soqlTok
	i    int
}

func (p *soqlParser) errAt(code string, pos int, text string) *soqlError {
	col := pos + 1
	return &soqlError{code, "\n" + p.q + "\n" + strings.Repeat(" ", pos) + "^\nERROR at Row:1:Column:" + strconv.Itoa(col) + "\n" + text}
}

func (p *soqlParser) unexpected(t soqlTok) *soqlError {
	if t.kind == "eof" {
		return p.errAt("MALFORMED_QUERY", len(p.q), "unexpected token: <EOF>")
	}
	txt := t.text
	if t.kind == "string" {
		txt = "'" + t.text + "'"
	}
	return p.errAt("MALFORMED_QUERY", t.pos, "unexpected token: "+txt)
}

// lexSOQL splits the query into tokens.
func lexSOQL(q string) ([]soqlTok, *soqlError) {
	var out []soqlTok
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(q) && (q[j] == '_' || q[j] == '.' || q[j] >= 'a' && q[j] <= 'z' || q[j] >= 'A' && q[j] <= 'Z' || q[j] >= '0' && q[j] <= '9') {
				j++
			}
			out = append(out, soqlTok{"ident", q[i:j], i})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(q) && (q[j] >= '0' && q[j] <= '9' || q[j] == '.' || q[j] == '-' || q[j] == ':' || q[j] == 'T' || q[j] == 'Z' || q[j] == '+') {
				j++
			}
			out = append(out, soqlTok{"number", q[i:j], i})
			i = j
		case c == '\'':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(q) {
				if q[j] == '\\' && j+1 < len(q) {
					switch q[j+1] {
					case 'n':
						b.WriteByte('\n')
					case 'r':
						b.WriteByte('\r')
					case 't':
						b.WriteByte('\t')
					case 'b':
						b.WriteByte('\b')
					case 'f':
						b.WriteByte('\f')
					case '"', '\'', '\\':
						b.WriteByte(q[j+1])
					default:
						// SOQL reserves the other escapes (\_ and \% only inside LIKE).
						return nil, &soqlError{"MALFORMED_QUERY", "Invalid string literal '" + q[i:min(len(q), j+2)] + "'. Illegal character sequence '\\" + string(q[j+1]) + "' in string literal."}
					}
					j += 2
					continue
				}
				if q[j] == '\'' {
					closed = true
					j++
					break
				}
				b.WriteByte(q[j])
				j++
			}
			if !closed {
				p := &soqlParser{q: q}
				return nil, p.errAt("MALFORMED_QUERY", i, "line 1:"+strconv.Itoa(i)+" mismatched character '<EOF>' expecting '''")
			}
			out = append(out, soqlTok{"string", b.String(), i})
			i = j
		default:
			// Operators and punctuation; two-character operators are kept together so
			// the error names them as Salesforce does.
			// A whole UTF-8 sequence is one token, so an error quoting it stays valid
			// UTF-8 (a fuzzer-found crash, testdata/fuzz/FuzzSOQL).
			_, size := utf8.DecodeRuneInString(q[i:])
			j := i + size
			if j < len(q) && strings.Contains("<>!", string(c)) && (q[j] == '=' || c == '<' && q[j] == '>') {
				j++
			}
			out = append(out, soqlTok{"sym", q[i:j], i})
			i = j
		}
	}
	return append(out, soqlTok{"eof", "", len(q)}), nil
}

func (p *soqlParser) peek() soqlTok { return p.toks[p.i] }
func (p *soqlParser) next() soqlTok {
	t := p.toks[p.i]
	if t.kind != "eof" {
		p.i++
	}
	return t
}

func (p *soqlParser) isKW(t soqlTok, kw string) bool {
	return t.kind == "ident" && strings.EqualFold(t.text, kw)
}

func (p *soqlParser) expectKW(kw string) *soqlError {
	t := p.next()
	if !p.isKW(t, kw) {
		return p.unexpected(t)
	}
	return nil
}

// parseSOQL parses q against the emulated objects.
func parseSOQL(q string) (*soqlQuery, *soqlError) {
	if strings.TrimSpace(q) == "" {
		return nil, &soqlError{"MALFORMED_QUERY", "A query string has to be specified"}
	}
	if len(q) > maxSOQL {
		return nil, &soqlError{"MALFORMED_QUERY", "Query too complicated: the query is longer than 100000 characters"}
	}
	toks, lerr := lexSOQL(q)
	if lerr != nil {
		return nil, lerr
	}
	p := &soqlParser{q: q, toks: toks}
	if err := p.expectKW("SELECT"); err != nil {
		return nil, err
	}
	// Field list: identifiers separated by commas, up to FROM.
	var names []soqlTok
	for {
		t := p.next()
		if t.kind != "ident" || p.isKW(t, "FROM") {
			return nil, p.unexpected(t)
		}
		if nt := p.peek(); nt.kind == "sym" && nt.text == "(" {
			// Aggregates and functions (COUNT(), toLabel(), ...) are not in the subset.
			return nil, p.errAt("MALFORMED_QUERY", t.pos, "sfemu's SOQL subset has no functions or aggregates: "+t.text+"(")
		}
		names = append(names, t)
		sep := p.next()
		if sep.kind == "sym" && sep.text == "," {
			continue
		}
		if p.isKW(sep, "FROM") {
			break
		}
		return nil, p.unexpected(sep)
	}
	objTok := p.next()
	if objTok.kind != "ident" {
		return nil, p.unexpected(objTok)
	}
	var object string
	for name := range soqlObjects {
		if strings.EqualFold(name, objTok.text) {
			object = name
		}
	}
	if object == "" {
		return nil, p.errAt("INVALID_TYPE", objTok.pos, "sObject type '"+objTok.text+"' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")
	}
	sq := &soqlQuery{object: object, objPos: objTok.pos, limit: -1}
	seen := map[string]bool{}
	for _, n := range names {
		f, err := p.field(object, n)
		if err != nil {
			return nil, err
		}
		if seen[f.name] {
			return nil, p.errAt("MALFORMED_QUERY", n.pos, "duplicate field selected: "+f.name)
		}
		seen[f.name] = true
		sq.fields = append(sq.fields, f)
	}
	t := p.next()
	if p.isKW(t, "WHERE") {
		for {
			ft := p.next()
			if ft.kind != "ident" {
				return nil, p.unexpected(ft)
			}
			f, err := p.field(object, ft)
			if err != nil {
				return nil, err
			}
			op := p.next()
			if op.kind != "sym" || op.text != "=" {
				return nil, p.unexpected(op)
			}
			lit := p.next()
			if err := p.checkLiteral(f, lit); err != nil {
				return nil, err
			}
			sq.where = append(sq.where, soqlCond{f, lit})
			t = p.next()
			if p.isKW(t, "AND") {
				continue
			}
			break
		}
	}
	if p.isKW(t, "ORDER") {
		if err := p.expectKW("BY"); err != nil {
			return nil, err
		}
		ft := p.next()
		if ft.kind != "ident" {
			return nil, p.unexpected(ft)
		}
		f, err := p.field(object, ft)
		if err != nil {
			return nil, err
		}
		sq.order = &f
		t = p.next()
		if p.isKW(t, "ASC") || p.isKW(t, "DESC") {
			sq.desc = p.isKW(t, "DESC")
			t = p.next()
		}
	}
	if p.isKW(t, "LIMIT") {
		n := p.next()
		v, err := strconv.Atoi(n.text)
		if n.kind != "number" || err != nil || v < 0 {
			return nil, p.unexpected(n)
		}
		sq.limit = v
		t = p.next()
	}
	if t.kind != "eof" {
		return nil, p.unexpected(t)
	}
	return sq, nil
}

// field resolves a field name of the object (relationship paths are not in the subset).
func (p *soqlParser) field(object string, t soqlTok) (soqlField, *soqlError) {
	for _, f := range soqlObjects[object] {
		if strings.EqualFold(f.name, t.text) {
			return f, nil
		}
	}
	return soqlField{}, p.errAt("INVALID_FIELD", t.pos, "No such column '"+t.text+"' on entity '"+object+"'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
}

// checkLiteral applies SOQL's typing of filter values.
func (p *soqlParser) checkLiteral(f soqlField, lit soqlTok) *soqlError {
	if lit.kind == "ident" && strings.EqualFold(lit.text, "null") {
		return nil
	}
	bad := func(typ string, quoted bool) *soqlError {
		how := "should not be enclosed in quotes"
		if quoted {
			how = "should be enclosed in quotes"
		}
		return p.errAt("INVALID_QUERY_FILTER_OPERATOR", lit.pos, "value of filter criterion for field '"+f.name+"' must be of type "+typ+" and "+how)
	}
	switch f.kind {
	case kString, kID:
		if lit.kind != "string" {
			if lit.kind == "eof" || lit.kind == "sym" {
				return p.unexpected(lit)
			}
			if f.kind == kID {
				return bad("id", true)
			}
			return bad("string", true)
		}
		if f.kind == kID && !validIDLiteral(lit.text) {
			return p.errAt("INVALID_QUERY_FILTER_OPERATOR", lit.pos, "invalid ID field: "+lit.text)
		}
	case kBool:
		if lit.kind == "string" {
			return bad("boolean", false)
		}
		if !(lit.kind == "ident" && (strings.EqualFold(lit.text, "true") || strings.EqualFold(lit.text, "false"))) {
			return p.unexpected(lit)
		}
	case kInt:
		if lit.kind == "string" {
			return bad("double", false)
		}
		if _, err := strconv.ParseUint(lit.text, 10, 31); lit.kind != "number" || err != nil {
			return p.unexpected(lit)
		}
	case kDateTime:
		// Date literals (2026-01-01T00:00:00Z, TODAY, LAST_N_DAYS:n) are beyond the subset.
		if lit.kind == "string" {
			return bad("dateTime", false)
		}
		if lit.kind == "eof" || lit.kind == "sym" {
			return p.unexpected(lit)
		}
		return p.errAt("MALFORMED_QUERY", lit.pos, "sfemu's SOQL subset compares date fields only with null")
	}
	return nil
}

func validIDLiteral(s string) bool {
	if len(s) != 15 && len(s) != 18 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// soqlRecord is one row: field name -> value (string, bool, int, nil).
type soqlRecord map[string]any

// matches applies the WHERE conditions. Ids compare on their case-sensitive 15-character
// form; strings compare case-insensitively.
func (c soqlCond) matches(r soqlRecord) bool {
	v := r[c.field.name]
	if c.lit.kind == "ident" && strings.EqualFold(c.lit.text, "null") {
		return v == nil
	}
	switch c.field.kind {
	case kID:
		s, ok := v.(string)
		return ok && len(s) >= 15 && s[:15] == c.lit.text[:15]
	case kString:
		s, ok := v.(string)
		return ok && strings.EqualFold(s, c.lit.text)
	case kBool:
		b, ok := v.(bool)
		return ok && b == strings.EqualFold(c.lit.text, "true")
	case kInt:
		n, ok := v.(int)
		want, _ := strconv.Atoi(c.lit.text)
		return ok && n == want
	}
	return false
}

// run filters, sorts, limits and projects rows (all rows of the object, in Id order).
func (q *soqlQuery) run(rows []soqlRecord) []soqlRecord {
	var out []soqlRecord
	for _, r := range rows {
		ok := true
		for _, c := range q.where {
			if !c.matches(r) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	if q.order != nil {
		name := q.order.name
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i][name], out[j][name]
			if a == nil || b == nil {
				return a == nil && b != nil // nulls first in either direction
			}
			c := compareSOQL(a, b)
			if q.desc {
				return c > 0
			}
			return c < 0
		})
	}
	if q.limit >= 0 && len(out) > q.limit {
		out = out[:q.limit]
	}
	return out
}

// compareSOQL orders values, strings case-insensitively. "By default, null values are
// sorted first" whatever the direction (SOQL and SOSL Reference, "ORDER BY"); run keeps
// them first.
func compareSOQL(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		return strings.Compare(strings.ToLower(x), strings.ToLower(y))
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case int:
		y, _ := b.(int)
		return x - y
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}
