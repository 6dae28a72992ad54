package datasets

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/supportbench/supportbench/eval"
)

// demoFiles is the bundled demo suite (datasets/demo), used when no --suite is given.
//
//go:embed all:demo
var demoFiles embed.FS

// DemoDir is the Suite.Dir of the demo suite, and the label of its files in messages.
const DemoDir = "(demo)"

// Demo loads the demo suite embedded in the binary.
func Demo() (*eval.Suite, error) {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		return nil, fmt.Errorf("load demo suite: %w", err)
	}
	return LoadFS(sub, DemoDir)
}
