// Package datasets loads supportbench suites: suite.yaml, the knowledge base and the case
// files. It validates all of them before anything runs and reports every problem at
// once, each with its file and line (or sheet and cell); it also bundles the demo suite.
//
// # Layout
//
// A suite is a directory:
//
//	suite.yaml    name, system prompt, models and options, gates (see Defaults)
//	knowledge/    one article per .md or .txt file; the file name without extension is its id
//	cases/        one or more case files: .jsonl, .yaml/.yml, .csv, .xlsx
//
// Other files (a README) are part of the suite's hash but not read. Files and folders
// whose names start with "." or "~$" (editor and spreadsheet lock files) are ignored.
//
// # Case files
//
// JSONL files hold one case object per line (blank lines are allowed). YAML files hold a
// top-level list of cases. The fields are those of the suite contract (eval.Case); a
// fact is a string or a list of alternative strings, and a string written /.../ is a
// case-insensitive regular expression. Unknown fields are errors, so that a misspelt
// label is never silently dropped.
//
// CSV files, and the first sheet of XLSX workbooks, hold one case per row under a header
// row whose cells name the fields (case-insensitive; spaces and dashes count as
// underscores, so "Should Escalate" is should_escalate). Empty cells are absent fields.
// Cells are written as follows:
//
//   - should_escalate: true/false, yes/no or 1/0, in any case (a spreadsheet TRUE works).
//   - knowledge, forbidden, tags: items separated by "|", as in "returns | shipping".
//   - facts: facts separated by "|", and the alternatives of one fact by "||":
//     "14 days || two weeks | original receipt" is two facts, the first with two
//     alternatives.
//   - messages: turns separated by "|", each starting with its role:
//     "customer: Where is my order? | agent: Which order? | customer: A-1001".
//   - customer: a JSON object, as in {"name": "Ana", "email": "ana@example.com"}.
//   - other_records: a JSON array of objects.
//
// Items are trimmed and empty items are ignored. Text that itself contains "|" (a
// regular expression with alternation, a turn that quotes a pipe) cannot be written with
// separators: write the whole cell as a JSON array instead, in the same shape as in a
// JSONL file: ["/14|fourteen/", "receipt"], or [{"role": "customer", "content": "..."}].
// A list cell that starts with "[" is always read as JSON. A CSV file may use ";" or a tab
// instead of "," when its header row has no comma.
//
// # Validation
//
// Loading checks the whole suite: required fields (id, category, should_escalate, and
// question or messages), conversation roles and order, unique ids, knowledge ids,
// regular expressions, risk and language values, and that every literal fact is
// grounded — stated, ignoring case, white space and Unicode compatibility forms, in the
// case's knowledge articles, its reference, its customer record or its conversation. A
// fact that nothing given to the model states is a labelling mistake. An invalid suite
// is reported as a *ProblemsError listing every problem in a stable order; any other
// error means the suite could not be read at all.
package datasets
