package datasets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/supportbench/supportbench/eval"
)

// Load reads and validates the suite in directory dir.
func Load(dir string) (*eval.Suite, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load suite %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("load suite %s: not a directory", dir)
	}
	return LoadFS(os.DirFS(dir), dir)
}

// LoadFS reads and validates the suite at the root of fsys. label stands for the suite's
// location in messages ("my-suite/cases/refunds.yaml:12") and becomes Suite.Dir.
func LoadFS(fsys fs.FS, label string) (*eval.Suite, error) {
	var ps problems
	files, err := readFiles(fsys, &ps)
	if err != nil {
		return nil, fmt.Errorf("load suite %s: %w", label, err)
	}
	config, knowledgeFiles, caseFiles := sortFiles(files, &ps)
	cfg, cfgLines := Defaults(), map[string]int{}
	if config == nil {
		ps.add(pos{file: "suite.yaml"}, "", "missing; a suite needs a suite.yaml with at least a name")
	} else if !config.skipped {
		var cps []Problem
		cfg, cfgLines, cps = parseConfig(config.path, config.data)
		ps.merge(cps)
	}

	knowledge, kps := loadKnowledge(knowledgeFiles)
	ps.merge(kps)

	if len(caseFiles) == 0 {
		ps.add(pos{file: "cases"}, "", "the suite has no cases; put case files (%s) in cases/", caseExtensions)
	}
	var entries []entry
	for _, f := range caseFiles {
		if f.skipped {
			continue
		}
		es, eps := parseCaseFile(f.path, f.data)
		entries = append(entries, es...)
		ps.merge(eps)
	}

	var langs []string
	if len(cfg.Languages) > 0 && !slices.Contains(cfg.Languages, "") {
		langs = cfg.Languages
	}
	cases, vps := newChecker(knowledge, langs, label).checkAll(entries)
	ps.merge(vps)
	if len(cases) > 0 {
		ps.merge(checkGateCategories(&cfg, "suite.yaml", cfgLines, cases))
	}
	if err := ps.err(label); err != nil {
		return nil, err
	}
	if len(cfg.Languages) == 0 {
		cfg.Languages = caseLanguages(cases)
	}
	return &eval.Suite{
		Config:    cfg,
		Knowledge: knowledge,
		Cases:     cases,
		Dir:       label,
		Hash:      hashFiles(files),
	}, nil
}

// sortFiles picks out suite.yaml, the knowledge articles and the case files.
func sortFiles(files []file, ps *problems) (config *file, knowledge, cases []file) {
	for i := range files {
		f := &files[i]
		dir, rest, nested := strings.Cut(f.path, "/")
		switch {
		case f.path == "suite.yaml":
			config = f
		case !nested || (dir != "knowledge" && dir != "cases"):
			// Other files (a README, notes) belong to the suite but are not read.
		case strings.Contains(rest, "/"):
			ps.add(pos{file: f.path}, "", "subfolders of %s/ are not read; move the file up to %s/", dir, dir)
		case dir == "knowledge":
			knowledge = append(knowledge, *f)
		default:
			cases = append(cases, *f)
		}
	}
	return config, knowledge, cases
}

// Size limits of suite files, so that a hostile or mistaken suite (a log file dropped
// into cases/, a link to /dev/zero, a zip bomb) is reported as a problem instead of
// exhausting memory. Files are read whole (the suite's hash covers every byte), so the
// limits bound what loading holds in memory.
const (
	// maxFileSize bounds one file of the suite.
	maxFileSize = 256 << 20
	// maxYAMLSize bounds one YAML file: parsing YAML costs up to about 100 bytes of
	// memory per byte of dense input.
	maxYAMLSize = 16 << 20
	// maxSuiteSize bounds all files of the suite together.
	maxSuiteSize = 1 << 30
	// maxLineSize bounds one JSONL line and one CSV or XLSX cell.
	maxLineSize = 16 << 20
)

// sizeLimit is the largest size a suite file at path p may have.
func sizeLimit(p string) int64 {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml":
		return maxYAMLSize
	}
	return maxFileSize
}

// readFiles reads every file of the suite, in sorted path order, skipping hidden files
// and spreadsheet lock files. A file that is too large or not a regular file is reported
// in ps and kept unread (skipped), so that it is not also reported as missing.
func readFiles(fsys fs.FS, ps *problems) ([]file, error) {
	var files []file
	var total int64
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := fs.Stat(fsys, p) // follows a symbolic link
		if err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		f := file{path: p, skipped: true}
		limit := sizeLimit(p)
		switch {
		case !info.Mode().IsRegular():
			ps.add(pos{file: p}, "", "not a regular file (a device, pipe or socket); a suite holds ordinary files")
		case info.Size() > limit:
			ps.add(pos{file: p}, "", "the file is %s, more than the %s a suite file of this type may hold; split it into several files", sizeText(info.Size()), sizeText(limit))
		case total+info.Size() > maxSuiteSize:
			ps.add(pos{file: p}, "", "the suite's files add up to more than %s; split the suite", sizeText(maxSuiteSize))
			return fs.SkipAll
		default:
			data, err := readAtMost(fsys, p, info.Size(), limit)
			if err != nil {
				return err
			}
			if int64(len(data)) > limit { // it grew while being read
				ps.add(pos{file: p}, "", "the file is more than the %s a suite file of this type may hold; split it into several files", sizeText(limit))
				break
			}
			total += int64(len(data))
			f = file{path: p, data: data}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.path, b.path) })
	return files, nil
}

// readAtMost reads the file at p, of the given size, or its first limit+1 bytes when
// it is larger than limit.
func readAtMost(fsys fs.FS, p string, size, limit int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	buf.Grow(int(min(size, limit)) + bytes.MinRead) // one allocation for a file of the size stat gave
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sizeText renders a byte count for messages: "300 MB", "16.5 MB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")
}

// hashFiles is the suite's content hash: SHA-256 over every file in sorted path order,
// each as its path, its length and its content, so that moving bytes between files or
// renaming a file changes the hash.
func hashFiles(files []file) string {
	h := sha256.New()
	for _, f := range files {
		h.Write([]byte(path.Clean(f.path)))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(len(f.data))))
		h.Write([]byte{0})
		h.Write(f.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// caseLanguages lists the languages the cases use, sorted.
func caseLanguages(cases []eval.Case) []string {
	var langs []string
	for i := range cases {
		if l := cases[i].Lang(); !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs)
	return langs
}
