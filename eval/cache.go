package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// DirCache is an answer cache on disk: one JSON file per request key, in folders named
// by the key's first two characters. Keys include the model digest and the full request,
// so a changed model, prompt, option or case is a miss, never a stale hit.
type DirCache struct {
	Dir string
}

func (c DirCache) path(key string) string {
	if len(key) < 3 {
		return filepath.Join(c.Dir, "_", key+".json")
	}
	return filepath.Join(c.Dir, key[:2], key+".json")
}

// Get returns the cached answer for key. Unreadable entries are misses.
func (c DirCache) Get(key string) (*Answer, bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	var a Answer
	if json.Unmarshal(data, &a) != nil {
		return nil, false
	}
	return &a, true
}

// Put stores a under key, atomically (temporary file and rename), so a reader never
// sees a half-written entry. It does not fsync: after a power loss an entry may be
// empty or cut, which Get reads as a miss, and a miss costs one model call. (With an
// fsync per answer, the disk was on the request path: ~1 ms per answer here.)
func (c DirCache) Put(key string, a *Answer) error {
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("answer cache: %w", err)
	}
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("answer cache: %w", err)
	}
	return writeFileAtomic(p, data, false)
}

// WriteFileAtomic writes data to a temporary file beside path, syncs it and renames it
// over path, so readers see the old content or the new, never a part.
func WriteFileAtomic(path string, data []byte) error {
	return writeFileAtomic(path, data, true)
}

func writeFileAtomic(path string, data []byte, sync bool) error {
	return writeAtomic(path, sync, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// WriteAtomic is WriteFileAtomic for output that is produced as it is written (a
// workbook, a results file), so the whole file is never held in memory.
func WriteAtomic(path string, write func(io.Writer) error) error {
	return writeAtomic(path, true, func(f *os.File) error {
		bw := bufio.NewWriterSize(f, 64<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func writeAtomic(path string, sync bool, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	werr := write(f)
	if werr == nil {
		// CreateTemp makes the file private; outputs are shared like any other file.
		werr = f.Chmod(0o644)
	}
	if werr == nil && sync {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

// ReadLine reads one line, newline included, of at most limit bytes. A longer line is
// read to its end and dropped (tooLong), so hostile input cannot exhaust memory.
func ReadLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(line)+len(chunk) > limit {
			tooLong, line = true, nil
		}
		if !tooLong {
			line = append(line, chunk...)
		}
		if err != bufio.ErrBufferFull {
			return line, tooLong, err
		}
	}
}
