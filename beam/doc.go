// Package wgmlbeam runs wgml past one machine: Apache Beam transforms that
// score or encode the rows of CSV tables with a wgml checkpoint, and that
// train one model per segment key, on any Beam runner (prism locally and in
// tests; Dataflow, Flink or Spark in production).
//
//	import wgmlbeam "github.com/wgml/wgml/beam"
//
//	t, err := wgmlbeam.OpenCSV(ctx, "gs://bucket/rows-*.csv", wgmlbeam.CSVOptions{KeyCol: "id"})
//	m, err := wgmlbeam.OpenModel(ctx, "gs://bucket/model.safetensors")
//	rows, bad := t.Read(s)
//	scores, dead := wgmlbeam.Score(s, m, t, rows, wgmlbeam.ScoreOptions{})
//	wgmlbeam.WriteCSV(s, "gs://bucket/scores", 16, wgmlbeam.ScoresCSV(s, t, scores))
//
// Everything a row means is decided by the root package wgml: Score and
// Encode read each batch of rows with Model.ReadRecords (the reader of
// `wgml score`) and pass it through Model.Infer; ScoreParquet reads a row
// group with Model.InferRowGroup; TrainPerKey hands each key's rows to FitFile (the path of `wgml
// train`'s table reading). Files go through Beam's filesystem layer (local
// paths, and gs:// or s3:// where the program imports the SDK's gcs or s3
// filesystem).
//
// This is a separate Go module, so that the wgml module and binary keep their
// small dependency set.
package wgmlbeam
