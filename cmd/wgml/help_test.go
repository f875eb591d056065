package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestHelpListsFlags holds every command's --help to its synopsis once and
// each of its flags once, with its default where it has one.
func TestHelpListsFlags(t *testing.T) {
	flagLine := regexp.MustCompile(`^\s+(?:-\w, )?--([a-z0-9-]+)`)
	// Flags each command must list, with the default it must show.
	want := map[string][]string{
		"train": {`--epochs int .*\(default 10\)`, `--data string .*\(default "mnist"\)`, `--backend string`, `--overwrite`},
		"score": {`--model string .*\(default "runs/ae-mnist/model.safetensors"\)`, `--batch int .*\(default 500\)`},
	}
	for name := range commands {
		for _, help := range []string{"--help", "-h"} {
			var out, errOut bytes.Buffer
			if code := run([]string{name, help}, &out, &errOut); code != 0 || errOut.Len() > 0 {
				t.Errorf("wgml %s %s: exit %d, stderr %q", name, help, code, errOut.String())
			}
			text := out.String()
			if n := strings.Count(text, "Usage: wgml "+name); n != 1 {
				t.Errorf("wgml %s %s: synopsis printed %d times:\n%s", name, help, n, text)
			}
			seen := map[string]int{}
			for _, line := range strings.Split(text, "\n") {
				if m := flagLine.FindStringSubmatch(line); m != nil {
					seen[m[1]]++
				}
			}
			if len(seen) == 0 && !strings.Contains(text, "No flags.") {
				t.Errorf("wgml %s %s lists no flags:\n%s", name, help, text)
			}
			for f, n := range seen {
				if n != 1 {
					t.Errorf("wgml %s %s lists --%s %d times", name, help, f, n)
				}
			}
			for _, re := range want[name] {
				if !regexp.MustCompile(`(?m)^\s+` + re).MatchString(text) {
					t.Errorf("wgml %s %s: no line matching %q in:\n%s", name, help, re, text)
				}
			}
		}
	}
}
