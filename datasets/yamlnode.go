package datasets

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// nodeDecoder decodes a parsed YAML node into a Go value as strictly as yaml.v3's
// KnownFields(true), but it does not stop at the first problem: every unknown or
// repeated key and every badly typed value is reported with its line and dotted key path
// ("options.seed"), and decoding goes on. A value that fails to decode leaves the
// destination unchanged, so defaults survive.
type nodeDecoder struct {
	report func(line int, field, msg string)
}

var (
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decode fills v (addressable) from n; path names v in messages.
func (d nodeDecoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	t := v.Type()
	pt := reflect.PointerTo(t)
	if pt.Implements(yamlUnmarshaler) || pt.Implements(textUnmarshaler) {
		d.leaf(n, v, path)
		return
	}
	switch {
	case t.Kind() == reflect.Struct:
		d.mapping(n, v, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		d.sequence(n, v, path)
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Struct:
		d.structMap(n, v, path)
	default:
		d.leaf(n, v, path)
	}
}

func (d nodeDecoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.report(n.Line, path, "must be a mapping of keys to values, got "+describeNode(n))
		return
	}
	fields := yamlFields(v.Type())
	seen := make(map[string]int, len(n.Content)/2)
	for _, p := range mergedPairs(n) {
		key, val := p[0], p[1]
		name := key.Value
		field := joinPath(path, name)
		if first, dup := seen[name]; dup {
			if p[2] != nil { // a key written in this mapping twice
				d.report(key.Line, field, fmt.Sprintf("key repeated (first at line %d); keep one", first))
			}
			continue
		}
		seen[name] = key.Line
		idx, ok := fields[name]
		if !ok {
			d.report(key.Line, field, "unknown key"+suggest(name, fieldNames(fields)))
			continue
		}
		d.decode(val, v.Field(idx), field)
	}
}

// mergedPairs lists the key/value pairs of a mapping: its own keys first (marked by a
// non-nil third element), then those merged in with "<<: *anchor", which own keys
// override.
func mergedPairs(n *yaml.Node) [][3]*yaml.Node {
	return mergedPairsOnce(n, map[*yaml.Node]bool{n: true})
}

// mergedPairsOnce is mergedPairs that merges each mapping at most once: a mapping that
// merges itself ("&a {<<: *a}") would otherwise recurse until the stack overflows, and
// chains of repeated merges would grow exponentially. Merging a mapping a second time
// adds only keys already seen, so skipping it changes nothing.
func mergedPairsOnce(n *yaml.Node, visited map[*yaml.Node]bool) [][3]*yaml.Node {
	var own, merged [][3]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.ShortTag() != "!!merge" {
			own = append(own, [3]*yaml.Node{key, val, key})
			continue
		}
		sources := []*yaml.Node{val}
		if val.Kind == yaml.SequenceNode {
			sources = val.Content
		}
		for _, src := range sources {
			if src.Kind == yaml.AliasNode && src.Alias != nil {
				src = src.Alias
			}
			if src.Kind == yaml.MappingNode && !visited[src] {
				visited[src] = true
				for _, p := range mergedPairsOnce(src, visited) {
					merged = append(merged, [3]*yaml.Node{p[0], p[1], nil})
				}
			}
		}
	}
	return append(own, merged...)
}

func (d nodeDecoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.report(n.Line, path, "must be a list, got "+describeNode(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(item, s.Index(i), path)
	}
	v.Set(s)
}

func (d nodeDecoder) structMap(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.report(n.Line, path, "must be a mapping, got "+describeNode(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		field := joinPath(path, key.Value)
		if m.MapIndex(reflect.ValueOf(key.Value)).IsValid() {
			d.report(key.Line, field, "key repeated; keep one")
			continue
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, elem, field)
		m.SetMapIndex(reflect.ValueOf(key.Value).Convert(v.Type().Key()), elem)
	}
	v.Set(m)
}

// leaf decodes a value yaml.v3 handles on its own (scalars, lists of scalars, free-form
// maps, custom unmarshalers) and turns its error into a plain-words message.
func (d nodeDecoder) leaf(n *yaml.Node, v reflect.Value, path string) {
	p := reflect.New(v.Type())
	if err := n.Decode(p.Interface()); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			d.report(n.Line, path, expectation(v.Type())+", got "+describeNode(n))
		} else {
			d.report(n.Line, path, err.Error())
		}
		return
	}
	v.Set(p.Elem())
}

// expectation says in plain words what a value of type t looks like.
func expectation(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "must be a whole number"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	case reflect.String:
		return "must be text"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Map {
			return "must be a list of mappings"
		}
		return "must be a list of " + strings.TrimPrefix(expectation(t.Elem()), "must be ")
	case reflect.Map:
		return "must be a mapping of keys to values"
	}
	return "has the wrong type"
}

// describeNode names what a node holds, for "got ..." in messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		return fmt.Sprintf("%q", v)
	}
	return "something else"
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// yamlFields maps the yaml key of each field of struct type t to the field's index.
func yamlFields(t reflect.Type) map[string]int {
	out := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = i
	}
	return out
}

func fieldNames(fields map[string]int) []string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// aliasProblem says why a YAML document's aliases (*name) expand too much, or returns
// "". yaml.v3 bounds the aliasing within one decoded value, but a file can repeat a
// bounded expansion in every case: 700 KB of YAML decoded to 800 MB that way. The
// budget is four times the values written, plus a million.
func aliasProblem(root *yaml.Node) string {
	written := 0
	var count func(n *yaml.Node)
	count = func(n *yaml.Node) {
		written++
		for _, c := range n.Content {
			count(c)
		}
	}
	count(root)
	budget := 4*written + 1<<20
	// Only anchored values can be reached twice, so only they are remembered. A value
	// that contains an alias to itself counts once; the decoder reports the cycle.
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Anchor != "" {
			if s, ok := sizes[n]; ok {
				return s
			}
			sizes[n] = 0
		}
		total := 1
		for _, c := range n.Content {
			if total += size(c); total > budget {
				break
			}
		}
		if n.Anchor != "" {
			sizes[n] = total
		}
		return total
	}
	if size(root) > budget {
		return fmt.Sprintf("the aliases (*name) expand to more than %d values; write the values out instead", budget)
	}
	return ""
}
