// Package gguf writes and reads GGUF v3 files, the model format of llama.cpp and
// Ollama, and builds the project's tiny llama-architecture model from seeded random
// weights (see Tiny).
//
// The writer covers what the tiny model needs: metadata values of the scalar types
// uint32, int32, float32, bool and string, arrays of strings, float32 and int32, and
// tensors stored as F32 or F16. The reader decodes any metadata value type and the
// tensor infos; it exists so that tests can check what the writer produced.
//
// A GGUF file is, in order: the magic "GGUF", the version, the tensor and metadata
// counts, the metadata key/value pairs, one info per tensor (name, shape, type and
// offset into the data section), padding up to the alignment, and the tensor data,
// each tensor starting at a multiple of the alignment. All integers are little-endian.
package gguf

import "fmt"

// Magic is the first four bytes of every GGUF file.
const Magic = "GGUF"

// Version is the GGUF format version this package writes.
const Version uint32 = 3

// Alignment is the alignment, in bytes, of the data section and of every tensor in it;
// it is the format's default (a file may override it with general.alignment).
const Alignment = 32

// ValueType is the type tag of a metadata value.
type ValueType uint32

// The metadata value types of the GGUF format.
const (
	TypeUint8   ValueType = 0
	TypeInt8    ValueType = 1
	TypeUint16  ValueType = 2
	TypeInt16   ValueType = 3
	TypeUint32  ValueType = 4
	TypeInt32   ValueType = 5
	TypeFloat32 ValueType = 6
	TypeBool    ValueType = 7
	TypeString  ValueType = 8
	TypeArray   ValueType = 9
	TypeUint64  ValueType = 10
	TypeInt64   ValueType = 11
	TypeFloat64 ValueType = 12
)

var valueTypeNames = [...]string{
	"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
	"bool", "string", "array", "uint64", "int64", "float64",
}

func (t ValueType) String() string {
	if int(t) < len(valueTypeNames) {
		return valueTypeNames[t]
	}
	return fmt.Sprintf("ValueType(%d)", uint32(t))
}

// TensorType is the storage type of a tensor (ggml_type).
type TensorType uint32

// The tensor types this package writes.
const (
	TensorF32 TensorType = 0
	TensorF16 TensorType = 1
)

func (t TensorType) String() string {
	switch t {
	case TensorF32:
		return "F32"
	case TensorF16:
		return "F16"
	}
	return fmt.Sprintf("TensorType(%d)", uint32(t))
}

// size returns the bytes per element, or 0 for a type this package cannot handle.
func (t TensorType) size() int {
	switch t {
	case TensorF32:
		return 4
	case TensorF16:
		return 2
	}
	return 0
}

// KV is one metadata key/value pair. Value holds one of uint32, int32, float32, bool,
// string, []string, []float32 or []int32 when written; the reader can also return
// the other GGUF types (uint8 ... float64 and their slices).
type KV struct {
	Key   string
	Value any
}

// Tensor is a tensor to write. Shape lists the dimensions innermost first, as ggml
// does: a weight matrix that maps n inputs to m outputs has Shape {n, m} and Data
// holds m rows of n values. Data is converted to Type when written.
type Tensor struct {
	Name  string
	Type  TensorType
	Shape []uint64
	Data  []float32
}

// TensorInfo describes a tensor as read back from a file. Offset is relative to the
// start of the data section.
type TensorInfo struct {
	Name   string
	Type   TensorType
	Shape  []uint64
	Offset uint64
}

// Elements returns the number of elements of a tensor with the given shape.
func Elements(shape []uint64) uint64 {
	n := uint64(1)
	for _, d := range shape {
		n *= d
	}
	return n
}

// Size returns the size in bytes of the tensor's data.
func (ti TensorInfo) Size() uint64 {
	return Elements(ti.Shape) * uint64(ti.Type.size())
}

func align(n int64) int64 {
	return (n + Alignment - 1) / Alignment * Alignment
}
