package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
	files, err := readFiles(fsys)
	if err != nil {
		return nil, fmt.Errorf("load suite %s: %w", label, err)
	}
	var ps problems
	config, knowledgeFiles, caseFiles := sortFiles(files, &ps)
	cfg, cfgLines := Defaults(), map[string]int{}
	if config == nil {
		ps.add(pos{file: "suite.yaml"}, "", "missing; a suite needs a suite.yaml with at least a name")
	} else {
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

// readFiles reads every file of the suite, in sorted path order, skipping hidden files
// and spreadsheet lock files.
func readFiles(fsys fs.FS) ([]file, error) {
	var files []file
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
		if d.Type()&fs.ModeSymlink != 0 {
			if info, err := fs.Stat(fsys, p); err == nil && info.IsDir() {
				return nil
			}
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, file{path: p, data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.path, b.path) })
	return files, nil
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
