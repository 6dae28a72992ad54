package eval

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Cache entries are not fsynced, so after a power loss one may be empty or cut: such an
// entry must read as a miss (one more model call), never as a wrong answer.
func TestDirCacheDamagedEntryIsAMiss(t *testing.T) {
	t.Parallel()
	c := DirCache{Dir: t.TempDir()}
	a := &Answer{Model: "m", Text: "Refunds take 14 days."}
	if err := c.Put("abcdef", a); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get("abcdef"); !ok || got.Text != a.Text {
		t.Fatalf("Get after Put = %+v, %v", got, ok)
	}
	full, err := os.ReadFile(c.path("abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	for _, damaged := range [][]byte{nil, full[:len(full)/2], full[:len(full)-1]} {
		if err := os.WriteFile(c.path("abcdef"), damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.Get("abcdef"); ok {
			t.Errorf("damaged entry %q read as a hit: %+v", damaged, got)
		}
	}
}

// A writer that fails half-way leaves the old file as it was and no temporary file.
func TestWriteAtomicFailedWriterKeepsOldFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteFileAtomic(path, []byte("old\n")); err != nil {
		t.Fatal(err)
	}
	err := WriteAtomic(path, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("new\n", 50_000))
		return errors.New("disk on fire")
	})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v; want the writer's error and the path", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Errorf("file now %.20q...; want the old content", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries left in the folder; want only the file", len(entries))
	}
	if err := WriteAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new\n" {
		t.Errorf("file %q after a good write", data)
	}
}
