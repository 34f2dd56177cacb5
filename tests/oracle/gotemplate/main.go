// Command gotemplate is the differential oracle for codexstack's Go template dialect.
//
// It reads a JSON batch of cases from stdin, renders each with the standard library's
// text/template (option missingkey=default) and codexctl's helper functions, and writes one
// JSON result per case: the output bytes (base64) or the error text. Template data arrives
// with type annotations (see decodeValue) so that maps, structs, nil pointers, sized
// integers, floats and times are built exactly as the Python side models them.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"text/template"
	"time"
)

type clock struct {
	S int64 `json:"s"`
	N int64 `json:"n"`
}

type testCase struct {
	Name     string            `json:"name"`
	Template string            `json:"template"`
	Data     json.RawMessage   `json:"data"`
	Env      map[string]string `json:"env"`
	Now      clock             `json:"now"`
}

type result struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Out   string `json:"out"`
	Err   string `json:"err"`
	Phase string `json:"phase"`
}

// Greeter is a named struct with methods, to exercise method calls from templates.
type Greeter struct {
	Name string
}

// Hello greets with a salutation.
func (g Greeter) Hello(salutation string) string { return salutation + ", " + g.Name }

// Pair fails for an empty name, to exercise (value, error) methods.
func (g Greeter) Pair() (string, error) {
	if g.Name == "" {
		return "", errors.New("no name")
	}
	return g.Name + "+" + g.Name, nil
}

// String makes Greeter a fmt.Stringer.
func (g Greeter) String() string { return "Greeter(" + g.Name + ")" }

var funcValues = map[string]any{
	"upper": strings.ToUpper,
	"concat": func(a string, rest ...string) string {
		return a + strings.Join(rest, "")
	},
	"fail": func() (string, error) { return "", errors.New("boom") },
	"add":  func(a, b int) int { return a + b },
}

func codexctlFuncs(env map[string]string, now time.Time) template.FuncMap {
	return template.FuncMap{
		"default": func(value, def string) string {
			if strings.TrimSpace(value) == "" {
				return def
			}
			return value
		},
		"toLower": strings.ToLower,
		"slug": func(value string) string {
			v := strings.ToLower(strings.TrimSpace(value))
			v = strings.ReplaceAll(v, " ", "-")
			return strings.ReplaceAll(v, "_", "-")
		},
		"truncSHA": func(s string) string {
			if len(s) <= 12 {
				return s
			}
			return s[:12]
		},
		"envOr": func(key, def string) string {
			if v, ok := env[key]; ok && v != "" {
				return v
			}
			return def
		},
		"ternary": func(cond bool, a, b any) any {
			if cond {
				return a
			}
			return b
		},
		"now":  func() time.Time { return now },
		"join": func(values []string, sep string) string { return strings.Join(values, sep) },
		"indent": func(n int, s string) string {
			if s == "" {
				return ""
			}
			pad := strings.Repeat(" ", n)
			lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
			for i, line := range lines {
				lines[i] = pad + line
			}
			return strings.Join(lines, "\n")
		},
		"trimPrefix": strings.TrimPrefix,
	}
}

// decodeType turns a JSON type description into a reflect.Type.
func decodeType(raw json.RawMessage) reflect.Type {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		switch name {
		case "string":
			return reflect.TypeOf("")
		case "int":
			return reflect.TypeOf(0)
		case "int64":
			return reflect.TypeOf(int64(0))
		case "uint8":
			return reflect.TypeOf(uint8(0))
		case "float64":
			return reflect.TypeOf(0.0)
		case "bool":
			return reflect.TypeOf(false)
		case "any":
			return reflect.TypeOf((*any)(nil)).Elem()
		case "time":
			return reflect.TypeOf(time.Time{})
		case "greeter":
			return reflect.TypeOf(Greeter{})
		}
		panic("unknown type " + name)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		panic(err)
	}
	if e, ok := obj["slice"]; ok {
		return reflect.SliceOf(decodeType(e))
	}
	if e, ok := obj["ptr"]; ok {
		return reflect.PointerTo(decodeType(e))
	}
	if e, ok := obj["map"]; ok {
		var kv []json.RawMessage
		must(json.Unmarshal(e, &kv))
		return reflect.MapOf(decodeType(kv[0]), decodeType(kv[1]))
	}
	if e, ok := obj["struct"]; ok {
		var fields [][]json.RawMessage
		must(json.Unmarshal(e, &fields))
		sf := make([]reflect.StructField, len(fields))
		for i, f := range fields {
			var fname string
			must(json.Unmarshal(f[0], &fname))
			sf[i] = reflect.StructField{Name: fname, Type: decodeType(f[1])}
		}
		return reflect.StructOf(sf)
	}
	panic("bad type " + string(raw))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// decodeValue builds a value from its JSON form: plain JSON is interface{} data (objects
// are map[string]interface{}, arrays []interface{}, integers int, other numbers float64);
// objects with a "$t" key are typed values.
func decodeValue(raw json.RawMessage) reflect.Value {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var probe any
	must(dec.Decode(&probe))
	switch v := probe.(type) {
	case nil:
		return reflect.Value{}
	case string, bool:
		return reflect.ValueOf(v)
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			f, err := v.Float64()
			must(err)
			return reflect.ValueOf(f)
		}
		i, err := v.Int64()
		must(err)
		return reflect.ValueOf(int(i))
	case []any:
		var items []json.RawMessage
		must(json.Unmarshal(raw, &items))
		out := make([]any, len(items))
		for i, item := range items {
			out[i] = interfaceOf(decodeValue(item))
		}
		return reflect.ValueOf(out)
	case map[string]any:
		var obj map[string]json.RawMessage
		must(json.Unmarshal(raw, &obj))
		if tag, ok := obj["$t"]; ok {
			var t string
			must(json.Unmarshal(tag, &t))
			return decodeTagged(t, obj)
		}
		out := make(map[string]any, len(obj))
		for k, item := range obj {
			out[k] = interfaceOf(decodeValue(item))
		}
		return reflect.ValueOf(out)
	}
	panic("unreachable")
}

func interfaceOf(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}

// into converts a decoded value to the declared type t.
func into(v reflect.Value, t reflect.Type) reflect.Value {
	if !v.IsValid() {
		return reflect.Zero(t)
	}
	if v.Type().AssignableTo(t) {
		out := reflect.New(t).Elem()
		out.Set(v)
		return out
	}
	switch {
	case t.Kind() == reflect.Slice && v.Kind() == reflect.Slice:
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(into(v.Index(i).Elem(), t.Elem()))
		}
		return out
	case t.Kind() == reflect.Map && v.Kind() == reflect.Map:
		out := reflect.MakeMapWithSize(t, v.Len())
		for _, k := range v.MapKeys() {
			out.SetMapIndex(k, into(v.MapIndex(k).Elem(), t.Elem()))
		}
		return out
	}
	return v.Convert(t)
}

func decodeTagged(tag string, obj map[string]json.RawMessage) reflect.Value {
	switch tag {
	case "slice":
		t := decodeType(obj["e"])
		var items []json.RawMessage
		must(json.Unmarshal(obj["v"], &items))
		out := reflect.MakeSlice(reflect.SliceOf(t), len(items), len(items))
		for i, item := range items {
			out.Index(i).Set(into(decodeValue(item), t))
		}
		return out
	case "map":
		kt, et := decodeType(obj["k"]), decodeType(obj["e"])
		var items map[string]json.RawMessage
		must(json.Unmarshal(obj["v"], &items))
		out := reflect.MakeMapWithSize(reflect.MapOf(kt, et), len(items))
		for k, item := range items {
			key := reflect.ValueOf(k)
			if kt.Kind() == reflect.Int {
				var n int
				_, err := fmt.Sscan(k, &n)
				must(err)
				key = reflect.ValueOf(n)
			}
			out.SetMapIndex(key, into(decodeValue(item), et))
		}
		return out
	case "struct":
		var fields [][]json.RawMessage
		must(json.Unmarshal(obj["f"], &fields))
		sf := make([]reflect.StructField, len(fields))
		for i, f := range fields {
			var fname string
			must(json.Unmarshal(f[0], &fname))
			sf[i] = reflect.StructField{Name: fname, Type: decodeType(f[1])}
		}
		out := reflect.New(reflect.StructOf(sf)).Elem()
		for i, f := range fields {
			out.Field(i).Set(into(decodeValue(f[2]), sf[i].Type))
		}
		return out
	case "ptr":
		target := decodeValue(obj["v"])
		p := reflect.New(target.Type())
		p.Elem().Set(target)
		return p
	case "nil":
		return reflect.Zero(decodeType(obj["type"]))
	case "int64", "uint8", "float64":
		var n json.Number
		var s string
		if json.Unmarshal(obj["v"], &s) == nil {
			switch s {
			case "NaN":
				return reflect.ValueOf(math.NaN())
			case "+Inf":
				return reflect.ValueOf(math.Inf(1))
			case "-Inf":
				return reflect.ValueOf(math.Inf(-1))
			}
		}
		must(json.Unmarshal(obj["v"], &n))
		f, err := n.Float64()
		must(err)
		switch tag {
		case "int64":
			i, err := n.Int64()
			must(err)
			return reflect.ValueOf(i)
		case "uint8":
			return reflect.ValueOf(uint8(f))
		}
		return reflect.ValueOf(f)
	case "time":
		var c clock
		must(json.Unmarshal(obj["v"], &c))
		return reflect.ValueOf(time.Unix(c.S, c.N).UTC())
	case "greeter":
		var name string
		must(json.Unmarshal(obj["v"], &name))
		return reflect.ValueOf(Greeter{Name: name})
	case "func":
		var name string
		must(json.Unmarshal(obj["v"], &name))
		return reflect.ValueOf(funcValues[name])
	}
	panic("unknown tag " + tag)
}

func run(c testCase) (res result) {
	res.Name = c.Name
	now := time.Unix(c.Now.S, c.Now.N).UTC()
	tmpl, err := template.New(c.Name).Funcs(codexctlFuncs(c.Env, now)).Option("missingkey=default").Parse(c.Template)
	if err != nil {
		res.Err, res.Phase = err.Error(), "parse"
		return res
	}
	var data any
	if v := decodeValue(c.Data); v.IsValid() {
		data = v.Interface()
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		res.Err, res.Phase = err.Error(), "exec"
		return res
	}
	res.OK = true
	res.Out = base64.StdEncoding.EncodeToString(buf.Bytes())
	return res
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "decode cases:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "encode results:", err)
		os.Exit(2)
	}
}
