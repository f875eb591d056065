//go:build !unix

package gemm

import "time"

// cpuTime is 0 where getrusage does not exist.
func cpuTime() time.Duration { return 0 }
