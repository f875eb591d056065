//go:build !amd64

package vec

// Has reports whether this CPU runs the named implementation: only
// "generic" off amd64.
func Has(impl string) bool { return impl == "generic" }

func adamSIMD(string, []float32, []float32, []float32, []float32, *AdamConsts) int { return 0 }

func sigmoidSIMD(string, []float32) int { return 0 }

func bceSIMD(string, []float32, []float32, []float32, float32) (float64, int) { return 0, 0 }

func reluDerivSIMD(string, []float32, []float32) int { return 0 }

func scaleBytesSIMD(string, []float32, []uint8, float32) int { return 0 }

func sigmoidDerivSIMD(string, []float32, []float32) int { return 0 }
