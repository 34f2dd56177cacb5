// Oracle for codexstack's envFiles parser: godotenv v1.5.1, the version codexctl uses.
// Reads a JSON array of file texts on stdin; writes a JSON array of {"vars": {...}} or
// {"err": "..."} in the same order.
package main

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/joho/godotenv"
)

type result struct {
	Vars map[string]string `json:"vars,omitempty"`
	Err  string            `json:"err,omitempty"`
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		panic(err)
	}
	out := make([]result, 0, len(texts))
	for _, text := range texts {
		vars, err := godotenv.Parse(strings.NewReader(text))
		if err != nil {
			out = append(out, result{Err: err.Error()})
			continue
		}
		if vars == nil {
			vars = map[string]string{}
		}
		out = append(out, result{Vars: vars})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
