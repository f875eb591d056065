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
