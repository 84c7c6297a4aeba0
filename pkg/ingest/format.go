package ingest

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// parseFunc parses one line into rec (which the caller has reset). It
// returns errNoRecord for a well-formed line that is not a billable call.
type parseFunc func(p *parser, line []byte, rec *record.Record) error

// Format is one input format. Each format file registers its formats in an
// init function with register; detection tries them by Order.
type Format struct {
	// ID is the lower-case hyphenated name used by --input-format.
	ID string
	// Description is one line for help text.
	Description string
	// Order ranks detection: lower first, so that the most specific shapes
	// are tried before the looser ones.
	Order int
	// Billing formats are what a vendor reports it billed (usage and cost
	// exports), not logs of requests: their lines that carry nothing
	// billed are line items left aside (another service's, an empty
	// bucket).
	Billing bool
	parse   parseFunc
	// sequential formats keep state from line to line: their files are
	// parsed in order on one goroutine.
	sequential bool
	// csvRows formats are delimited exports framed by csvRow: their header
	// is parsed on one goroutine and their rows on the workers
	// (csvsplit.go). csvSkip, when set, is the parser's test for a row it
	// passes over whole, without csvRow, when no row is pending.
	csvRows bool
	csvSkip func(line []byte) bool
	// sniff reports whether a file's first record looks like this format.
	sniff func(s *shape) bool
}

// shape is what detection looks at: the first record's top-level members
// (raw, pointing into the line), or that the line is an SSE field line.
type shape struct {
	sse bool
	// csv holds the lower-cased, trimmed column names when the first line
	// is a delimited header (not JSON); csvDelim is its delimiter.
	csv      []string
	csvDelim byte
	n        int
	keys     [maxShapeKeys][]byte
	vals     [maxShapeKeys][]byte
	object   string // value of "object"
	typ      string // value of "type"
}

// maxShapeKeys bounds the members detection looks at.
const maxShapeKeys = 64

// value returns the raw value of member k, nil when absent.
func (s *shape) value(k string) []byte {
	for i := 0; i < s.n; i++ {
		if string(s.keys[i]) == k {
			return s.vals[i]
		}
	}
	return nil
}

func (s *shape) has(keys ...string) bool {
	for _, k := range keys {
		if s.value(k) == nil {
			return false
		}
	}
	return true
}

func (s *shape) hasAny(keys ...string) bool {
	for _, k := range keys {
		if s.value(k) != nil {
			return true
		}
	}
	return false
}

// hasColumns reports whether a CSV header has every named column.
func (s *shape) hasColumns(cols ...string) bool {
	for _, c := range cols {
		found := false
		for _, h := range s.csv {
			if h == c {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(cols) > 0
}

// SniffDelimiter picks a header line's delimiter: tab, semicolon or comma,
// whichever occurs most (spreadsheets hand exports on tab-separated).
func SniffDelimiter(header []byte) byte {
	best, n := byte(','), bytes.Count(header, []byte{','})
	for _, d := range []byte{'\t', ';'} {
		if c := bytes.Count(header, []byte{d}); c > n {
			best, n = d, c
		}
	}
	return best
}

// csvHeader splits a header line into lower-cased, trimmed, unquoted names.
func csvHeader(line []byte, delim byte) []string {
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // byte-order mark
	var out []string
	for _, f := range bytes.Split(bytes.TrimRight(line, "\r"), []byte{delim}) {
		f = bytes.TrimSpace(f)
		f = bytes.Trim(f, `"`)
		out = append(out, strings.ToLower(string(f)))
	}
	return out
}

// str returns member k decoded as a string, "" when absent or not a string.
func (s *shape) str(k string) string {
	v, _ := jsonx.String(s.value(k))
	return v
}

// registry holds the formats in detection order. It is written only by
// init functions, so reading it needs no lock.
var registry []*Format

// register adds formats; called from init functions only.
func register(fs ...*Format) {
	registry = append(registry, fs...)
	sort.SliceStable(registry, func(i, j int) bool {
		if registry[i].Order != registry[j].Order {
			return registry[i].Order < registry[j].Order
		}
		return registry[i].ID < registry[j].ID
	})
}

// formats returns the registered formats in detection order.
func formats() []*Format { return registry }

// Formats returns every supported format, sorted by ID.
func Formats() []*Format {
	out := append([]*Format(nil), formats()...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LookupFormat returns the format with the given ID.
func LookupFormat(id string) (*Format, error) {
	for _, f := range formats() {
		if f.ID == id {
			return f, nil
		}
	}
	ids := make([]string, 0, len(registry))
	for _, f := range Formats() {
		ids = append(ids, f.ID)
	}
	return nil, fmt.Errorf("unknown input format %q (known: %s)", id, strings.Join(ids, ", "))
}

// Detect returns the format of a file whose first non-empty line is line.
func Detect(line []byte) (*Format, error) {
	var s shape
	return detectShape(&s, line)
}

// detect is Detect with the parser's own shape, so that detecting every
// line of a mixed file allocates nothing.
func (p *parser) detect(line []byte) (*Format, error) {
	if p.shape == nil {
		p.shape = new(shape)
	}
	return detectShape(p.shape, line)
}

// detectShape fills s (whatever it held) from line and matches it.
func detectShape(s *shape, line []byte) (*Format, error) {
	s.sse, s.csv, s.csvDelim, s.n, s.object, s.typ = false, nil, 0, 0, "", ""
	trimmed := bytes.TrimLeft(line, " \t\xef\xbb\xbf")
	if bytes.HasPrefix(line, []byte("event:")) || bytes.HasPrefix(line, []byte("data:")) {
		s.sse = true
	} else if len(trimmed) > 0 && trimmed[0] != '{' && trimmed[0] != '[' {
		s.csvDelim = SniffDelimiter(line)
		s.csv = csvHeader(line, s.csvDelim)
	} else {
		err := jsonx.ObjectEach(line, func(k, v []byte) error {
			if s.n < maxShapeKeys {
				s.keys[s.n], s.vals[s.n] = k, v
				s.n++
			}
			switch string(k) {
			case "object":
				if jsonx.IsString(v) { // no error to format otherwise
					s.object, _ = jsonx.String(v)
				}
			case "type":
				if jsonx.IsString(v) {
					s.typ, _ = jsonx.String(v)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("cannot detect the format: not a JSON object: %w", err)
		}
	}
	for _, f := range formats() {
		if f.sniff(s) {
			return f, nil
		}
	}
	if s.csv != nil {
		cols := s.csv
		if len(cols) > 8 {
			cols = append(cols[:8:8], "…")
		}
		return nil, fmt.Errorf("cannot detect the format of a table with columns %s (pass --input-format, or map the columns in llmcost.yaml)", strings.Join(cols, ", "))
	}
	members := make([]string, 0, 9)
	for i := 0; i < s.n && i < 8; i++ {
		members = append(members, string(s.keys[i]))
	}
	if s.n > 8 {
		members = append(members, "…")
	}
	return nil, fmt.Errorf("cannot detect the format of a record with members {%s} (pass --input-format)", strings.Join(members, ", "))
}
