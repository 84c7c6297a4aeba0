package report

import (
	"reflect"
	"sort"
	"strings"
)

// SchemaLines describes the JSON document field by field, one line each:
// "path type", where a path like by_model.rows[].key.* names nested fields
// and the type is one of object, array, string, number, integer, boolean,
// map. The README's schema section is generated from it, and a test keeps
// the two in step.
func SchemaLines() []string {
	var out []string
	walk(reflect.TypeOf(Report{}), "", &out, map[reflect.Type]string{})
	return out
}

var moneyType = reflect.TypeOf(Money{})

// walk lists t's fields under prefix. A struct type met again is not
// expanded twice: its line points at the first place it was described.
func walk(t reflect.Type, prefix string, out *[]string, seen map[reflect.Type]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	type field struct {
		name string
		t    reflect.Type
	}
	var fields []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		fields = append(fields, field{name, f.Type})
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].name < fields[j].name })
	for _, f := range fields {
		path := prefix + f.name
		ft := f.t
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft == moneyType:
			*out = append(*out, path+" number (USD)")
		case ft.Kind() == reflect.Struct:
			if first, ok := seen[ft]; ok {
				*out = append(*out, path+" object, as "+first)
				continue
			}
			seen[ft] = path
			*out = append(*out, path+" object")
			walk(ft, path+".", out, seen)
		case ft.Kind() == reflect.Slice:
			et := ft.Elem()
			if et.Kind() == reflect.Struct {
				if first, ok := seen[et]; ok {
					*out = append(*out, path+" array of objects, as "+first)
					continue
				}
				seen[et] = path + "[]"
				*out = append(*out, path+" array of objects")
				walk(et, path+"[].", out, seen)
			} else {
				*out = append(*out, path+" array of "+kind(et))
			}
		case ft.Kind() == reflect.Map:
			*out = append(*out, path+" map of "+kind(ft.Elem()))
		default:
			*out = append(*out, path+" "+kind(ft))
		}
	}
}

func kind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.Kind().String()
}
