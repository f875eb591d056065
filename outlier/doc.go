// Package outlier turns outlier scores into decisions: it fits the
// threshold above which a row counts as an outlier from the scores of the
// training rows.
package outlier
