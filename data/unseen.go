package data

// CodeCounts counts, per Text column slot and dictionary code, the rows of
// a table read chunk by chunk (Add), so that UnseenWarnings words the
// warnings about unseen categories once for the whole table, as ReadCSV
// does, where EncodeChunk words them chunk by chunk.
type CodeCounts [][]int

// Add counts the codes of chunk c of a table with header h (missing
// values are not counted).
func (cc *CodeCounts) Add(h *TableHeader, c *Chunk) {
	tc := h.TextCols()
	for len(*cc) < tc {
		*cc = append(*cc, nil)
	}
	for i, code := range c.Codes[:c.Rows*tc] {
		if code == MissingCode {
			continue
		}
		k := i % tc
		if n := int(code) + 1; n > len((*cc)[k]) {
			(*cc)[k] = append((*cc)[k], make([]int, n-len((*cc)[k]))...)
		}
		(*cc)[k][code]++
	}
}

// UnseenWarnings are the warnings EncodeChunk gives, worded once for every
// chunk r returned, counted in cc: per categorical column of s, the rows
// holding categories training did not see.
func UnseenWarnings(r TableReader, s *Schema, cc CodeCounts) []string {
	text, _ := r.Dicts()
	t := &Table{TableHeader: *r.Header(), Dicts: text}
	slots := t.Slots()
	unseen := make([][]int, len(text))
	for j, c := range s.Columns {
		if t.Kinds[j] != Text || !c.IsCategorical() {
			continue
		}
		seen := make(map[string]bool, len(c.Categories))
		for _, cat := range c.Categories {
			seen[cat] = true
		}
		k := slots[j]
		unseen[k] = make([]int, len(text[k]))
		if k < len(cc) {
			for code, n := range cc[k] {
				if !seen[text[k][code]] {
					unseen[k][code] = n
				}
			}
		}
	}
	return t.unseenWarnings(s, unseen)
}
