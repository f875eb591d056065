package main

// channels is the number of values per pixel of an image data set whose
// Channels field is c: 3 for RGB, 1 for grayscale (c 0 or 1).
func channels(c int) int { return max(c, 1) }
