package wgml

import "fmt"

// StreamMode says whether a Job streams its training set from disk (see
// Options.Stream).
type StreamMode int

// Stream modes.
const (
	// StreamAuto streams a training file that will not fit in memory.
	StreamAuto StreamMode = iota
	// StreamOff holds the training set in memory.
	StreamOff
	// StreamOn streams the training set from disk.
	StreamOn
)

var streamModes = [...]string{StreamAuto: "auto", StreamOff: "off", StreamOn: "on"}

// String returns auto, off or on.
func (m StreamMode) String() string {
	if m < 0 || int(m) >= len(streamModes) {
		return fmt.Sprintf("StreamMode(%d)", int(m))
	}
	return streamModes[m]
}

// MarshalText writes the mode as String does.
func (m StreamMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads auto, off or on (true and false too, for a bare
// --stream).
func (m *StreamMode) UnmarshalText(b []byte) error {
	switch s := string(b); s {
	case "true":
		*m = StreamOn
		return nil
	case "false":
		*m = StreamOff
		return nil
	default:
		for k, name := range streamModes {
			if s == name {
				*m = StreamMode(k)
				return nil
			}
		}
		return fmt.Errorf("stream %q: want auto, on or off", s)
	}
}
