package datasets

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// file is one file of a suite, read whole.
type file struct {
	path string // slash-separated, relative to the suite root
	data []byte
	// skipped is set when the file was not read (too large, not a regular file); the
	// problem is already reported.
	skipped bool
}

// loadKnowledge reads the articles under knowledge/: one article per .md or .txt file,
// its id the file name without the extension.
func loadKnowledge(files []file) (map[string]string, []Problem) {
	articles := make(map[string]string, len(files))
	from := make(map[string]string, len(files))
	var ps []Problem
	for _, f := range files {
		at := pos{file: f.path}
		name := path.Base(f.path)
		ext := strings.ToLower(path.Ext(name))
		if ext != ".md" && ext != ".txt" {
			ps = append(ps, Problem{at: at, Msg: "knowledge articles must be .md or .txt files (one article per file); convert or remove this file"})
			continue
		}
		id := strings.TrimSuffix(name, path.Ext(name))
		if first, dup := from[id]; dup {
			ps = append(ps, Problem{at: at, Msg: "article id " + id + " is also used by " + first + "; ids are file names without the extension, so rename one"})
			continue
		}
		// An unusable article still claims its id, so cases citing it are not also
		// reported as citing an unknown article.
		from[id], articles[id] = f.path, ""
		if f.skipped {
			continue
		}
		data := bytes.TrimPrefix(f.data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			ps = append(ps, Problem{at: at, Msg: "the article is not valid UTF-8 text; save it as UTF-8"})
			continue
		}
		if len(bytes.TrimSpace(data)) == 0 {
			ps = append(ps, Problem{at: at, Msg: "the article is empty; write its text or remove the file"})
			continue
		}
		articles[id] = string(data)
	}
	return articles, ps
}
