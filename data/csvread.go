package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

// Sizes of the CSV reader's work (variables so that tests can cut tiny
// blocks).
var (
	csvBlock   = 4 << 20 // bytes per chunk handed to a core
	csvSample  = 1 << 20 // bytes read first: the header and the sample
	sampleRows = 1000    // rows that infer the column kinds
)

// CSVReader reads a CSV table chunk by chunk (a TableReader): a splitter
// cuts the file into line-aligned blocks (tracking quotes, so a quoted
// field holding newlines never straddles two blocks), every core parses
// blocks into typed chunks, and Next hands them out in file order with
// their codes made global.
type CSVReader struct {
	hdr    TableHeader
	parser *chunkParser
	src    io.Reader // the file after the first block; nil when it was all read
	file   io.Closer
	carry  []byte // the first block's data rows
	line   int    // the line carry starts on
	hint   int

	once    sync.Once
	done    chan struct{}
	results chan csvResult
	tokens  chan struct{} // bounds the blocks in flight
	pending map[int]csvResult
	next    int
	err     error
	dicts   []dict
	labels  dict
}

// csvJob is a line-aligned block and the line it starts on; csvResult its
// parse.
type csvJob struct {
	seq, line int
	buf       []byte
}
type csvResult struct {
	seq int
	c   *localChunk
	err error
}

// OpenCSV opens a CSV table for reading chunk by chunk: it reads the
// header and a sample of the first rows, which decide the separator, the
// header (see CSVOptions.Header), the columns kept (CSVOptions.Columns and
// Drop) and each column's kind. A column is Text when opt.Schema or
// opt.Categorical says so, or when the sample holds present values and no
// number among them; else it is Number. The rest of the file must agree: a
// later field of a Number column that is no number is an error naming its
// line and column, while a Text column keeps later numbers as categories.
// path "-" reads standard input.
func OpenCSV(path string, opt CSVOptions) (*CSVReader, error) {
	if err := checkMissing(opt.Missing); err != nil {
		return nil, err
	}
	var f io.ReadCloser = os.Stdin
	size := int64(0)
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if st, err := file.Stat(); err == nil {
			size = st.Size()
		}
		f = file
	}
	r, err := newCSVReader(path, f, size, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// newCSVReader reads the header and sample of f (of size bytes, 0 if
// unknown) and plans the parse.
func newCSVReader(path string, f io.ReadCloser, size int64, opt CSVOptions) (*CSVReader, error) {
	block, eof, err := readBlock(f, nil, csvSample)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	bom := len(block)
	block = bytes.TrimPrefix(block, []byte("\ufeff"))
	bom -= len(block)
	sep, err := separator(opt.Sep, block)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if eof && len(block) > 0 && block[len(block)-1] != '\n' {
		block = append(block, '\n')
	}
	smp, err := sampleRecords(path, block[:recordsEnd(block)], sep)
	if err != nil {
		return nil, err
	}
	if len(smp.rows) == 0 {
		return nil, fmt.Errorf("%s: no data rows", path)
	}
	r := &CSVReader{file: f, src: f, pending: map[int]csvResult{}, labels: newDict()}
	if eof {
		r.src = nil
	}
	p := &chunkParser{path: path, missing: opt.Missing, hint: opt.Schema == nil, sep: sep}
	if len(opt.NAValues) > 0 {
		p.na = map[string]bool{}
		for _, v := range opt.NAValues {
			p.na[v] = true
		}
	}
	header, err := isHeader(opt.Header, smp.rows[0], smp.rows[1:], p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	start := 0
	if header {
		start = 1
	}
	if err := r.plan(p, smp, header, opt); err != nil {
		return nil, err
	}
	r.parser = p
	r.carry, r.line = block[smp.starts[start]:], smp.lines[start]
	if data := smp.starts[len(smp.rows)] - smp.starts[start]; size > 0 && len(smp.rows) > start {
		r.hint = int((size - int64(bom+smp.starts[start])) * int64(len(smp.rows)-start) / int64(max(data, 1)))
	}
	return r, nil
}

// readBlock appends to buf what f yields until buf holds want bytes or f
// ends (eof).
func readBlock(f io.Reader, buf []byte, want int) (_ []byte, eof bool, err error) {
	n := len(buf)
	if cap(buf) < want {
		nb := make([]byte, n, want)
		copy(nb, buf)
		buf = nb
	}
	k, err := io.ReadFull(f, buf[n:want])
	buf = buf[:n+k]
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return buf, true, nil
	}
	return buf, false, err
}

// sample is the first records of a file as text: rows[i] starts on line
// lines[i] at byte starts[i]; the last of lines and starts is where the
// sampled records end.
type sample struct {
	rows   [][]string
	lines  []int
	starts []int
}

// sampleRecords splits up to sampleRows+1 records of b, stopping before a
// syntax error after the first record (the parse reports it in order).
func sampleRecords(path string, b []byte, sep rune) (*sample, error) {
	s := newFieldSplitter(sep)
	smp := &sample{}
	pos, line := 0, 1
	for pos < len(b) && len(smp.rows) <= sampleRows {
		next, lines, serr := s.record(b, pos, line)
		if serr != nil {
			if len(smp.rows) == 0 {
				return nil, fmt.Errorf("%s:%s", path, serr)
			}
			break
		}
		if len(s.fields) > 0 {
			rec := make([]string, len(s.fields))
			for j, f := range s.fields {
				rec[j] = string(f)
			}
			smp.rows = append(smp.rows, rec)
			smp.lines = append(smp.lines, line)
			smp.starts = append(smp.starts, pos)
		}
		pos, line = next, line+lines
	}
	smp.starts = append(smp.starts, pos)
	smp.lines = append(smp.lines, line)
	return smp, nil
}

// Header implements TableReader.
func (r *CSVReader) Header() *TableHeader { return &r.hdr }

// SizeHint implements TableReader: the file's size over the sample's bytes
// per row.
func (r *CSVReader) SizeHint() int { return r.hint }

// Dicts implements TableReader.
func (r *CSVReader) Dicts() ([][]string, []string) {
	text := make([][]string, len(r.dicts))
	for k := range r.dicts {
		text[k] = r.dicts[k].words
	}
	return text, r.labels.words
}

// Release hands back a chunk Next returned, whose memory the reader may
// reuse (ReadTable does, having copied it).
func (r *CSVReader) Release(c *Chunk) {
	r.parser.nums.put(c.Nums)
	r.parser.codes.put(c.Codes)
	r.parser.codes.put(c.Labels)
}

// Close implements TableReader.
func (r *CSVReader) Close() error {
	var err error
	r.once.Do(func() {
		if r.done != nil {
			close(r.done)
		}
		if r.file != os.Stdin {
			err = r.file.Close()
		}
	})
	return err
}

// Next implements TableReader.
func (r *CSVReader) Next() (*Chunk, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.done == nil {
		r.start()
	}
	for {
		if res, ok := r.pending[r.next]; ok {
			delete(r.pending, r.next)
			r.next++
			<-r.tokens
			if res.err != nil {
				r.err = res.err
				r.Close()
				return nil, res.err
			}
			return r.global(res.c), nil
		}
		res, ok := <-r.results
		if !ok {
			r.err = io.EOF
			return nil, io.EOF
		}
		r.pending[res.seq] = res
	}
}

// start starts the splitter and one parser per core.
func (r *CSVReader) start() {
	workers := runtime.GOMAXPROCS(0)
	r.done = make(chan struct{})
	r.results = make(chan csvResult, workers)
	r.tokens = make(chan struct{}, 2*workers+2)
	r.dicts = make([]dict, r.parser.tc)
	for k := range r.dicts {
		r.dicts[k] = newDict()
	}
	jobs := make(chan csvJob, workers)
	var wg sync.WaitGroup
	wg.Go(func() { r.split(jobs) })
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				c, err := r.parser.parse(j.buf, j.line)
				r.parser.blocks.put(j.buf)
				if !r.send(csvResult{j.seq, c, err}) {
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(r.results) }()
}

// send hands a result to Next unless the reader was closed.
func (r *CSVReader) send(res csvResult) bool {
	select {
	case r.results <- res:
		return true
	case <-r.done:
		return false
	}
}

// split cuts the file into blocks of whole records for the parsers.
func (r *CSVReader) split(jobs chan<- csvJob) {
	defer close(jobs)
	buf, line, eof := r.carry, r.line, r.src == nil
	r.carry = nil
	for seq, want := 0, csvBlock; ; seq++ {
		var err error
		if !eof {
			if buf, eof, err = readBlock(r.src, buf, max(want, len(buf))); err != nil {
				r.send(csvResult{seq: seq, err: fmt.Errorf("%s: %w", r.parser.path, err)})
				return
			}
		}
		if len(buf) == 0 {
			return
		}
		cut := recordsEnd(buf)
		if eof {
			if buf[len(buf)-1] != '\n' {
				buf = append(buf, '\n')
			}
			cut = len(buf)
		} else if cut == 0 { // one record longer than the block: read more
			want, seq = 2*len(buf), seq-1
			continue
		}
		select {
		case r.tokens <- struct{}{}:
		case <-r.done:
			return
		}
		carry := append(r.parser.blocks.get(csvBlock), buf[cut:]...)
		select {
		case jobs <- csvJob{seq: seq, line: line, buf: buf[:cut]}:
		case <-r.done:
			return
		}
		line += bytes.Count(buf[:cut], []byte{'\n'})
		buf, want = carry, csvBlock
	}
}

// global renumbers a chunk's codes by the reader's dictionaries.
func (r *CSVReader) global(c *localChunk) *Chunk {
	tc := r.parser.tc
	for k := range c.dicts {
		to := r.dicts[k].merge(&c.dicts[k])
		for i := k; i < len(c.Codes); i += tc {
			if c.Codes[i] != MissingCode {
				c.Codes[i] = to[c.Codes[i]]
			}
		}
	}
	to := r.labels.merge(&c.labels)
	for i, v := range c.Labels {
		c.Labels[i] = to[v]
	}
	return &c.Chunk
}

// newDict returns an empty dictionary.
func newDict() dict { return dict{index: map[string]uint32{}} }

// merge adds the words of local to d and returns their codes in d.
func (d *dict) merge(local *dict) []uint32 {
	to := make([]uint32, len(local.words))
	for c, w := range local.words {
		code, ok := d.index[w]
		if !ok {
			code = uint32(len(d.words))
			d.words = append(d.words, w)
			d.index[w] = code
		}
		to[c] = code
	}
	return to
}

// errNoRows is the error of a table without data rows.
var errNoRows = errors.New("no data rows")

// slicePool recycles the buffers of chunks.
type slicePool[T any] struct{ p sync.Pool }

// get returns an empty slice of capacity n or more. A new one has n/8
// more, so that it serves the next chunks too, which are a little longer
// or shorter (a buffer too short for a request is dropped), and is made
// by makeBig: the file's blocks are large enough for huge pages.
func (sp *slicePool[T]) get(n int) []T {
	if v, ok := sp.p.Get().(*[]T); ok && cap(*v) >= n {
		return (*v)[:0]
	}
	return makeBig[T](0, n+n/8)
}

// put gives s back for reuse.
func (sp *slicePool[T]) put(s []T) {
	if cap(s) > 0 {
		s = s[:0]
		sp.p.Put(&s)
	}
}
