package nn

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Opener creates a backend instance.
type Opener func() (Backend, error)

var (
	registryMu sync.Mutex
	registry   = map[string]Opener{}
)

// Register makes a backend available under name. Backends call it from an
// init function; registering a name twice panics (a programming error).
func Register(name string, open Opener) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("nn: backend " + name + " registered twice")
	}
	registry[name] = open
}

// Backends lists the registered backend names in sorted order.
func Backends() []string {
	registryMu.Lock()
	defer registryMu.Unlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open creates the backend registered under name.
func Open(name string) (Backend, error) {
	registryMu.Lock()
	open, ok := registry[name]
	registryMu.Unlock()
	if !ok {
		return nil, fmt.Errorf("unknown backend %q (registered: %s)", name, strings.Join(Backends(), ", "))
	}
	return open()
}
