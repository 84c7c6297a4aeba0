package jsonx

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestObjectEach(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string // key -> raw value
		wantErr bool
	}{
		{"empty", `{}`, map[string]string{}, false},
		{"spaces", ` { "a" : 1 , "b":"x" } `, map[string]string{"a": "1", "b": `"x"`}, false},
		{"nested", `{"u":{"a":[1,{"b":"]}"}]},"s":"q\"}"}`, map[string]string{"u": `{"a":[1,{"b":"]}"}]}`, "s": `"q\"}"`}, false},
		{"escaped backslash before quote", `{"a":"x\\","b":2}`, map[string]string{"a": `"x\\"`, "b": "2"}, false},
		{"literals", `{"t":true,"f":false,"n":null,"neg":-1.5e3}`, map[string]string{"t": "true", "f": "false", "n": "null", "neg": "-1.5e3"}, false},
		{"truncated", `{"a":"abc`, nil, true},
		{"truncated nested", `{"a":{"b":[1,2}`, nil, true},
		{"mismatched", `{"a":[1}`, nil, true},
		{"missing colon", `{"a" 1}`, nil, true},
		{"trailing garbage", `{"a":1} x`, nil, true},
		{"not an object", `[1,2]`, nil, true},
		{"bad literal", `{"a":nul}`, nil, true},
		{"empty input", ``, nil, true},
		{"trailing comma", `{"a":1,}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			err := ObjectEach([]byte(tt.in), func(k, v []byte) error {
				got[string(k)] = string(v)
				return nil
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %s, want %s", k, got[k], v)
				}
			}
		})
	}
}

func TestStringAndInt(t *testing.T) {
	s, err := String([]byte(`"a\"b\\c\n\u00e9\ud83d\ude00/"`))
	if err != nil || s != "a\"b\\c\né😀/" {
		t.Fatalf("String = %q, %v", s, err)
	}
	if s, _ := String([]byte(`null`)); s != "" {
		t.Fatalf("null string = %q", s)
	}
	if _, err := String([]byte(`12`)); err == nil {
		t.Fatal("String(12): want type error")
	}
	ints := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"123456789", 123456789, true}, {"-5", -5, true}, {"10.0", 10, true}, {"1e3", 1000, true},
		{"null", 0, true}, {"1.5", 0, false}, {`"12"`, 0, false}, {"99999999999999999999", 0, false}, {"-", 0, false},
	}
	for _, c := range ints {
		got, err := Int([]byte(c.in))
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("Int(%s) = %d, %v; want %d ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestArrayEach(t *testing.T) {
	n, err := ArrayEach([]byte(` [ {"a":1}, "x", [2] ] `), nil)
	if err != nil || n != 3 {
		t.Fatalf("ArrayEach = %d, %v", n, err)
	}
	if n, err := ArrayEach([]byte(`null`), nil); err != nil || n != 0 {
		t.Fatalf("ArrayEach(null) = %d, %v", n, err)
	}
	if _, err := ArrayEach([]byte(`[1,`), nil); err == nil {
		t.Fatal("want error for truncated array")
	}
}

// FuzzObjectEach checks that walking never panics, that every document the
// standard library accepts as an object is accepted, and that the members
// seen are the standard library's.
func FuzzObjectEach(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":"x\"y","b":[1,{"c":null}]}`, `{"a":`, `[1]`, `{"a":"\\"}`, strings.Repeat("[", 100)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := 0
		err := ObjectEach(data, func(k, v []byte) error {
			keys++
			_, _ = String(v)
			_, _ = Int(v)
			_, _ = ArrayEach(v, nil)
			return nil
		})
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) == nil && m != nil && err != nil {
			// The standard library accepts it: so must we (duplicate keys
			// collapse in m, so only check acceptance).
			t.Fatalf("valid object rejected: %v", err)
		}
	})
}
