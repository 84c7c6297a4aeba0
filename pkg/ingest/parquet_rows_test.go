package ingest

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// writeParquet writes rows with parquet-go's writer for T, in row groups
// of group rows.
func writeParquet[T any](t testing.TB, path string, rows []T, group int64, opts ...parquet.WriterOption) {
	t.Helper()
	o, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](o, append([]parquet.WriterOption{parquet.MaxRowsPerRowGroup(group)}, opts...)...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}

// parquetJSONLines returns the JSON line of every row of a Parquet file.
func parquetJSONLines(t testing.TB, path string) []string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	st, _ := fh.Stat()
	pf, err := parquet.OpenFile(fh, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	w, err := newParquetJSON(pf)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	rows := make([]parquet.Row, 3)
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			n, err := rr.ReadRows(rows)
			for _, r := range rows[:n] {
				out = append(out, string(w.row(nil, r)))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rr.Close()
	}
	return out
}

type pqDetails struct {
	Cached int64 `parquet:"cached"`
}

type pqUsage struct {
	Prompt     int64      `parquet:"prompt"`
	Completion *int64     `parquet:"completion,optional"`
	Details    *pqDetails `parquet:"details,optional"`
}

type pqItem struct {
	Name string   `parquet:"name"`
	Cost *float64 `parquet:"cost,optional"`
}

// pqTypes has a column of each kind; the field order is not alphabetical,
// so the test also checks that columns keep the file's order.
type pqTypes struct {
	ID      string            `parquet:"id"`
	Opt     *string           `parquet:"opt,optional"`
	N       int64             `parquet:"n"`
	I32     int32             `parquet:"i32"`
	U       uint64            `parquet:"u"`
	F       float64           `parquet:"f"`
	F32     float32           `parquet:"f32"`
	B       bool              `parquet:"b"`
	TS      time.Time         `parquet:"ts,timestamp(millisecond)"`
	TSMicro time.Time         `parquet:"ts_us,timestamp(microsecond)"`
	TSNano  *time.Time        `parquet:"ts_ns,optional,timestamp(nanosecond)"`
	Day     int32             `parquet:"day,date"` // days (parquet-go v0.32 writes a time.Time date wrongly)
	Dec     int64             `parquet:"dec,decimal(12:18)"`
	DecBig  []byte            `parquet:"dec_big,decimal(2:30)"`
	UUID    [16]byte          `parquet:"uuid,uuid"`
	Enum    string            `parquet:"enum,enum"`
	JSON    string            `parquet:"js,json"`
	Text    string            `parquet:"text"`
	Bin     []byte            `parquet:"bin"`
	Usage   *pqUsage          `parquet:"usage,optional"`
	Tags    []string          `parquet:"tags,list"`
	Nums    []int64           `parquet:"nums"`
	Items   []pqItem          `parquet:"items,list"`
	Grid    [][]int64         `parquet:"grid,list"`
	Counts  map[string]int64  `parquet:"counts"`
	ByCode  map[int32]string  `parquet:"by_code"`
	Labels  map[string]string `parquet:"labels,optional"`
}

// Every kind of column becomes the JSON value the rules at the top of
// parquet_rows.go give.
func TestParquetJSONValues(t *testing.T) {
	str := func(s string) *string { return &s }
	i64 := func(n int64) *int64 { return &n }
	f64 := func(f float64) *float64 { return &f }
	ts := time.Date(2026, 3, 2, 10, 4, 5, 123_000_000, time.UTC)
	ns := time.Date(2026, 3, 2, 10, 4, 5, 123_456_789, time.UTC)
	dec := make([]byte, 13) // two's complement, big-endian: -1.50
	for i := range dec {
		dec[i] = 0xff
	}
	dec[12] = 0x6a
	uuid := [16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	rows := []pqTypes{
		{
			ID: "r1", Opt: str("x"), N: -42, I32: 7, U: math.MaxUint64, F: 0.000125, F32: 1.5, B: true,
			TS: ts, TSMicro: ns.Truncate(time.Microsecond), TSNano: &ns, Day: 20514,
			Dec: 125, DecBig: dec, UUID: uuid, Enum: "{x}", JSON: "{\"a\": [1, 2],\n \"b\": null}",
			Text: `{"user_api_key_alias": "search", "n": [1, {"x": "y"}]}`, Bin: []byte("plain"),
			Usage: &pqUsage{Prompt: 100, Completion: i64(20), Details: &pqDetails{Cached: 64}},
			Tags:  []string{"prod", "a\"b"}, Nums: []int64{1, 2, 3},
			Items:  []pqItem{{Name: "in", Cost: f64(0.5)}, {Name: "out"}},
			Grid:   [][]int64{{1, 2}, {}, {3}},
			Counts: map[string]int64{"output": 20, "input": 100}, ByCode: map[int32]string{200: "ok", 404: "missing"},
			Labels: map[string]string{"env": "prod"},
		},
		{
			ID: "r2", F: math.NaN(), F32: float32(math.Inf(-1)),
			JSON: "42", Text: "[INFO] not json", Bin: []byte{0xff, 0x00, 0x01},
			Usage: &pqUsage{Prompt: 5},
		},
		{ID: "r3", JSON: "{broken", Text: "{unbalanced", Items: []pqItem{}, Tags: []string{}},
		{ID: "r4", Text: " [1, 2]", Grid: [][]int64{{}}, Counts: map[string]int64{}},
	}
	p := filepath.Join(t.TempDir(), "types.parquet")
	writeParquet(t, p, rows, 3)
	want := []string{
		`{"id":"r1","opt":"x","n":-42,"i32":7,"u":18446744073709551615,"f":0.000125,"f32":1.5,"b":true,` +
			`"ts":"2026-03-02T10:04:05.123Z","ts_us":"2026-03-02T10:04:05.123456Z","ts_ns":"2026-03-02T10:04:05.123456789Z","day":"2026-03-02",` +
			`"dec":0.000000000125,"dec_big":-1.5,"uuid":"12345678-9abc-def0-0123-456789abcdef","enum":"{x}","js":{"a":[1,2],"b":null},` +
			`"text":{"user_api_key_alias":"search","n":[1,{"x":"y"}]},"bin":"plain",` +
			`"usage":{"prompt":100,"completion":20,"details":{"cached":64}},"tags":["prod","a\"b"],"nums":[1,2,3],` +
			`"items":[{"name":"in","cost":0.5},{"name":"out","cost":null}],"grid":[[1,2],[],[3]],` +
			`"counts":{"input":100,"output":20},"by_code":{"200":"ok","404":"missing"},"labels":{"env":"prod"}}`,
		`{"id":"r2","opt":null,"n":0,"i32":0,"u":0,"f":"NaN","f32":"-Infinity","b":false,` +
			`"ts":"0001-01-01T00:00:00Z","ts_us":"0001-01-01T00:00:00Z","ts_ns":null,"day":"1970-01-01",` +
			`"dec":0,"dec_big":0,"uuid":"00000000-0000-0000-0000-000000000000","enum":"","js":42,` +
			`"text":"[INFO] not json","bin":"/wAB",` +
			`"usage":{"prompt":5,"completion":null,"details":null},"tags":[],"nums":[],` +
			`"items":[],"grid":[],"counts":{},"by_code":{},"labels":null}`,
		`{"id":"r3","opt":null,"n":0,"i32":0,"u":0,"f":0,"f32":0,"b":false,` +
			`"ts":"0001-01-01T00:00:00Z","ts_us":"0001-01-01T00:00:00Z","ts_ns":null,"day":"1970-01-01",` +
			`"dec":0,"dec_big":0,"uuid":"00000000-0000-0000-0000-000000000000","enum":"","js":"{broken",` +
			`"text":"{unbalanced","bin":"",` +
			`"usage":null,"tags":[],"nums":[],` +
			`"items":[],"grid":[],"counts":{},"by_code":{},"labels":null}`,
		`{"id":"r4","opt":null,"n":0,"i32":0,"u":0,"f":0,"f32":0,"b":false,` +
			`"ts":"0001-01-01T00:00:00Z","ts_us":"0001-01-01T00:00:00Z","ts_ns":null,"day":"1970-01-01",` +
			`"dec":0,"dec_big":0,"uuid":"00000000-0000-0000-0000-000000000000","enum":"","js":"",` +
			`"text":[1,2],"bin":"",` +
			`"usage":null,"tags":[],"nums":[],` +
			`"items":[],"grid":[[]],"counts":{},"by_code":{},"labels":null}`,
	}
	got := parquetJSONLines(t, p)
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i := range want {
		g := strings.TrimSuffix(got[i], "\n")
		if g != want[i] {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, g, want[i])
		}
		if !json.Valid([]byte(g)) || strings.Count(got[i], "\n") != 1 {
			t.Errorf("row %d: not one JSON line: %q", i+1, got[i])
		}
	}
}

// Layouts parquet-go does not write itself, from the Parquet format's
// LogicalTypes.md: two-level lists (a repeated primitive or group in a LIST
// group, and the "array" / "_tuple" names), a MAP_KEY_VALUE map, an INT96
// timestamp and converted types without logical types. The rows are built
// value by value with their levels.
func TestParquetJSONLegacyLayouts(t *testing.T) {
	opt, req, rep := format.Optional, format.Required, format.Repeated
	group := func(name string, r format.FieldRepetitionType, n int32, conv deprecated.ConvertedType) format.SchemaElement {
		e := format.SchemaElement{Name: name, RepetitionType: thrift.New(r), NumChildren: thrift.New(n)}
		if conv >= 0 {
			e.ConvertedType = thrift.New(conv)
		}
		return e
	}
	leaf := func(name string, r format.FieldRepetitionType, t format.Type, conv deprecated.ConvertedType) format.SchemaElement {
		e := format.SchemaElement{Name: name, RepetitionType: thrift.New(r), Type: thrift.New(t)}
		if conv >= 0 {
			e.ConvertedType = thrift.New(conv)
		}
		return e
	}
	elems := []format.SchemaElement{
		{Name: "schema", NumChildren: thrift.New[int32](6)},
		group("two", opt, 1, deprecated.List), // optional group two (LIST) { repeated int32 element; }
		leaf("element", rep, format.Int32, -1),
		group("pairs", req, 1, deprecated.List), // required group pairs (LIST) { repeated group array { a; b } }
		group("array", rep, 2, -1),
		leaf("a", req, format.ByteArray, deprecated.UTF8),
		leaf("b", opt, format.Int64, -1),
		group("one", req, 1, deprecated.List), // a repeated group of one field named <list>_tuple is the element
		group("one_tuple", rep, 1, -1),
		leaf("str", req, format.ByteArray, deprecated.UTF8),
		group("kv", opt, 1, deprecated.MapKeyValue), // optional group kv (MAP_KEY_VALUE) { repeated group map { key; value } }
		group("map", rep, 2, -1),
		leaf("key", req, format.ByteArray, deprecated.UTF8),
		leaf("value", opt, format.Int64, deprecated.TimestampMillis),
		leaf("at", opt, format.Int96, -1),
		leaf("when", req, format.Int32, deprecated.Date),
	}
	w, err := newParquetJSONSchema(elems)
	if err != nil {
		t.Fatal(err)
	}
	v := func(x any, r, d, c int) parquet.Value { return parquet.ValueOf(x).Level(r, d, c) }
	null := func(r, d, c int) parquet.Value { return parquet.Value{}.Level(r, d, c) }
	// 2026-03-02T10:04:05Z as INT96: nanoseconds of the day, Julian day.
	nanos := uint64((10*3600 + 4*60 + 5) * 1e9)
	at := deprecated.Int96{uint32(nanos), uint32(nanos >> 32), 2461102}
	rows := []struct {
		row  parquet.Row
		want string
	}{
		{
			parquet.Row{
				v(int32(1), 0, 2, 0), v(int32(2), 1, 2, 0),
				v("x", 0, 1, 1), v("y", 1, 1, 1), v(int64(5), 0, 2, 2), null(1, 1, 2),
				v("s", 0, 1, 3),
				v("k1", 0, 2, 4), v("k2", 1, 2, 4), v(int64(1772445845000), 0, 3, 5), null(1, 2, 5),
				v(at, 0, 1, 6), v(int32(20514), 0, 0, 7),
			},
			`{"two":[1,2],"pairs":[{"a":"x","b":5},{"a":"y","b":null}],"one":[{"str":"s"}],"kv":{"k1":"2026-03-02T10:04:05Z","k2":null},"at":"2026-03-02T10:04:05Z","when":"2026-03-02"}`,
		},
		{
			parquet.Row{
				null(0, 1, 0),
				null(0, 0, 1), null(0, 0, 2),
				null(0, 0, 3),
				null(0, 1, 4), null(0, 1, 5),
				null(0, 0, 6), v(int32(0), 0, 0, 7),
			},
			`{"two":[],"pairs":[],"one":[],"kv":{},"at":null,"when":"1970-01-01"}`,
		},
		{
			parquet.Row{
				null(0, 0, 0),
				null(0, 0, 1), null(0, 0, 2),
				null(0, 0, 3),
				null(0, 0, 4), null(0, 0, 5),
				null(0, 0, 6), v(int32(0), 0, 0, 7),
			},
			`{"two":null,"pairs":[],"one":[],"kv":null,"at":null,"when":"1970-01-01"}`,
		},
		{
			// Inconsistent levels (a column short of values) give JSON all
			// the same, never a panic.
			parquet.Row{v(int32(1), 0, 2, 0), v(int32(2), 1, 2, 0)},
			`{"two":[1,2],"pairs":[],"one":[],"kv":null,"at":null,"when":null}`,
		},
	}
	for i, r := range rows {
		got := strings.TrimSuffix(string(w.row(nil, r.row)), "\n")
		if got != r.want {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, got, r.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("row %d: invalid JSON", i+1)
		}
	}
}

// A schema the footer gets wrong is an error, not a panic.
func TestParquetJSONBadSchema(t *testing.T) {
	for name, elems := range map[string][]format.SchemaElement{
		"empty":     nil,
		"too few":   {{Name: "schema", NumChildren: thrift.New[int32](3)}, {Name: "a", Type: thrift.New(format.Int32)}},
		"negative":  {{Name: "schema", NumChildren: thrift.New[int32](-1)}},
		"deep":      deepSchema(100),
		"child lie": {{Name: "schema", NumChildren: thrift.New[int32](1)}, {Name: "g", NumChildren: thrift.New[int32](5)}},
	} {
		if _, err := newParquetJSONSchema(elems); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func deepSchema(n int) []format.SchemaElement {
	out := []format.SchemaElement{{Name: "schema", NumChildren: thrift.New[int32](1)}}
	for range n {
		out = append(out, format.SchemaElement{Name: "g", RepetitionType: thrift.New(format.Optional), NumChildren: thrift.New[int32](1)})
	}
	return append(out, format.SchemaElement{Name: "x", Type: thrift.New(format.Int32)})
}

// JSON text is compacted onto one line; anything else keeps its bytes.
func TestParquetEmbedJSON(t *testing.T) {
	w := &parquetJSON{}
	for _, c := range []struct {
		in   string
		any  bool
		want string
	}{
		{"{\n  \"a\": 1\n}", false, `{"a":1}`},
		{"  [1, \"x\\ny\"]", false, `[1,"x\ny"]`},
		{`{"a":1} trailing`, false, ""},
		{`"str"`, false, ""},
		{`"str"`, true, `"str"`},
		{`12`, true, `12`},
		{``, true, ""},
		{`[`, true, ""},
	} {
		got, ok := w.embedJSON([]byte("p"), []byte(c.in), c.any)
		if ok != (c.want != "") || ok && string(got) != "p"+c.want || !ok && string(got) != "p" {
			t.Errorf("embedJSON(%q, %v) = %q, %v; want %q", c.in, c.any, got, ok, c.want)
		}
	}
	if got := appendJSONText(nil, []byte("a\"\\\n\x01é\xffz")); string(got) != `"a\"\\\n\u0001é\ufffdz"` {
		t.Errorf("appendJSONText = %s", got)
	}
	if !bytes.Equal(appendJSONFloat(nil, 1e21, 64), []byte("1e+21")) {
		t.Error("1e21")
	}
	if f := float16(0x3c00); f != 1 {
		t.Errorf("float16(1) = %v", f)
	}
}

// compactJSON accepts what encoding/json accepts and writes what its
// Compact writes.
func FuzzCompactJSON(f *testing.F) {
	for _, s := range []string{
		`{"a": [1, 2.5e-3, -0, true, false, null], "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9"}}`,
		" [ ] ", "{}", `"s"`, "-1.5E+10", "01", "1.", "[1,]", `{"a" 1}`, `"\x"`, "\"a\tb\"", "tru", "nul", "[[[[]]]]",
		"{\"a\":1}\n", "\"\xff\"", `{"a":1}{"b":2}`, "1e", "-", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, ok := compactJSON([]byte("p"), src)
		if ok != json.Valid(src) {
			if !ok && bytes.Count(src, []byte("["))+bytes.Count(src, []byte("{")) > maxEmbedDepth {
				return // too deep to embed, on purpose
			}
			t.Fatalf("compactJSON(%q) ok = %v, json.Valid says %v", src, ok, !ok)
		}
		if !ok {
			if string(got) != "p" {
				t.Fatalf("dst changed on failure: %q", got)
			}
			return
		}
		var want bytes.Buffer
		want.WriteString("p")
		if err := json.Compact(&want, src); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("compactJSON(%q) = %q, want %q", src, got, want.Bytes())
		}
	})
}
