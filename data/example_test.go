package data_test

import (
	"fmt"
	"log"

	"github.com/wgml/wgml/data"
)

// A semicolon-separated table with a text column and gaps: the species
// becomes a one-hot group, missing values take the training mean, and the
// mask marks them.
func ExampleReadCSV() {
	d, err := data.ReadCSV("../testdata/iris_messy/iris.csv", data.CSVOptions{Missing: data.MissingMask})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Rows, "rows;", d.Schema.Names())
	fmt.Println(d.Columns[4:])
	fmt.Println("row 0:", d.Floats[:7], d.Mask[:7])
	fmt.Println("decoded:", d.Schema.Decode(d.Floats[:7]))
	// Output:
	// 150 rows; [sepal_length sepal_width petal_length petal_width species]
	// [species=setosa species=versicolor species=virginica]
	// row 0: [5.861972 3.5 1.4 0.2 1 0 0] [0 1 1 1 1 1 1]
	// decoded: [5.861972 3.5 1.4 0.2 setosa]
}
