package data

// makeBig is make([]T, n, c) for a buffer that holds a whole data set
// (a table, an array read whole, its encoding): advised for transparent
// huge pages (see adviseHuge), since first touching fresh memory one
// 4 KiB page at a time costs more than parsing into it.
func makeBig[T any](n, c int) []T {
	s := make([]T, n, c)
	adviseHuge(s)
	return s
}
