// Command yamlv3-oracle is the reference for codexstack.yamlio: it decodes and re-encodes
// YAML texts exactly as codexctl's render does with gopkg.in/yaml.v3.
//
// Input (stdin): a JSON array of YAML texts. Output (stdout): a JSON array with, per text,
// {"ok": bool, "out": "<stream>", "err": "<message>", "docs": ["<canonical value>", ...]}.
// Each text is split with yaml.NewDecoder into map[string]any documents, empty ones are
// skipped (len(doc) == 0, as codexctl does), and the rest are written with yaml.NewEncoder
// and SetIndent(2). An empty selection yields "" (codexctl itself fails there).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

type result struct {
	OK   bool     `json:"ok"`
	Out  string   `json:"out"`
	Err  string   `json:"err"`
	Docs []string `json:"docs"`
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		fmt.Fprintln(os.Stderr, "read input:", err)
		os.Exit(2)
	}
	results := make([]result, len(texts))
	for i, text := range texts {
		results[i] = run(text)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "write output:", err)
		os.Exit(2)
	}
}

func run(text string) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{Err: fmt.Sprintf("panic: %v", r)}
		}
	}()
	var docs []map[string]any
	dec := yaml.NewDecoder(strings.NewReader(text))
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return result{Err: err.Error()}
		}
		if len(doc) == 0 {
			continue
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return result{OK: true, Docs: []string{}}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	canon := make([]string, 0, len(docs))
	for _, doc := range docs {
		if err := enc.Encode(doc); err != nil {
			return result{Err: "encode: " + err.Error()}
		}
		canon = append(canon, canonical(doc))
	}
	if err := enc.Close(); err != nil {
		return result{Err: "close: " + err.Error()}
	}
	return result{OK: true, Out: buf.String(), Docs: canon}
}

// canonical writes a decoded value with its Go type, so type differences that print the
// same (5 vs 5.0) are still visible. Strings are hex UTF-8, floats their IEEE 754 bits.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool:" + strconv.FormatBool(x)
	case int:
		return "int:" + strconv.Itoa(x)
	case int64:
		return "int:" + strconv.FormatInt(x, 10)
	case uint64:
		return "int:" + strconv.FormatUint(x, 10)
	case float64:
		return fmt.Sprintf("float:%016x", math.Float64bits(x))
	case string:
		return fmt.Sprintf("str:%x", x)
	case time.Time:
		return "time:" + x.Format(time.RFC3339Nano)
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = canonical(item)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for k, item := range x {
			parts = append(parts, canonical(k)+"="+canonical(item))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case map[any]any:
		parts := make([]string, 0, len(x))
		for k, item := range x {
			parts = append(parts, canonical(k)+"="+canonical(item))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	default:
		return fmt.Sprintf("unknown:%T", v)
	}
}
