package datasets

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestInventoryGolden checks the text inventory of testdata/small against its golden file.
func TestInventoryGolden(t *testing.T) {
	t.Parallel()
	s, err := Load(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Summarize(s).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "inventory.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("inventory:\n%s\nwant (%s):\n%s", buf.Bytes(), golden, want)
	}
}

// TestSummarize checks the counts behind the text.
func TestSummarize(t *testing.T) {
	t.Parallel()
	s, err := Load(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	inv := Summarize(s)
	if inv.Cases != 10 || inv.Escalate != 4 || inv.MultiTurn != 1 || inv.Articles != 3 {
		t.Errorf("inventory: %+v", inv)
	}
	if len(inv.Counterfactual) != 1 || inv.Counterfactual[0] != (Group{Name: "return-window", Cases: 2, Customers: 2}) {
		t.Errorf("counterfactual groups: %+v", inv.Counterfactual)
	}
	if got := inv.EscalateShare(); got != 0.4 {
		t.Errorf("escalate share %v, want 0.4", got)
	}
}
