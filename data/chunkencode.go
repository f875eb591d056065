package data

// EncodeChunk encodes one chunk c of r by the schema opt.Schema as ReadCSV
// encodes a whole table (one-hot groups, imputed missing values, Mask
// under MissingMask, Warnings for unseen categories), so that a table read
// chunk by chunk gives the rows ReadCSV gives. A chunk of a table without
// Text columns hands its Nums to the data set: c must not be released.
func EncodeChunk(r TableReader, c *Chunk, opt CSVOptions) (*Dataset, error) {
	text, labels := r.Dicts()
	t := &Table{TableHeader: *r.Header(), Rows: c.Rows, Nums: c.Nums, Codes: c.Codes,
		Dicts: text, Labels: c.Labels, LabelDict: labels}
	return t.encode(opt.Schema, opt)
}

// ChunkLabels are the labels of the label codes a reader of a table with
// header h returned (Chunk.Labels, the chunks' codes joined in order),
// read by its label dictionary dict (TableReader.Dicts): after the last
// chunk, the labels and classes ReadCSV gives the whole table (integers
// where every label reads as one, else class names in order of first
// appearance). Both are nil for a table without labels.
func ChunkLabels(h *TableHeader, dict []string, codes []uint32) (labels []int, classes []string) {
	t := &Table{TableHeader: *h, Rows: len(codes), Labels: codes, LabelDict: dict}
	var d Dataset
	t.labels(&d)
	return d.Labels, d.Classes
}
