package gguf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Write writes a GGUF v3 file holding the metadata kvs, in the given order, and the
// tensors, in the given order, to w. Tensor data starts at the next multiple of
// Alignment and each tensor is padded to it with zero bytes, so the output depends
// only on the arguments.
func Write(w io.Writer, kvs []KV, tensors []Tensor) error {
	for _, t := range tensors {
		if t.Type.size() == 0 {
			return fmt.Errorf("tensor %s: unsupported type %v", t.Name, t.Type)
		}
		if uint64(len(t.Data)) != Elements(t.Shape) {
			return fmt.Errorf("tensor %s: %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
	}

	e := &encoder{w: bufio.NewWriter(w)}
	e.bytes([]byte(Magic))
	e.u32(Version)
	e.u64(uint64(len(tensors)))
	e.u64(uint64(len(kvs)))
	for _, kv := range kvs {
		e.str(kv.Key)
		if err := e.value(kv.Value); err != nil {
			return fmt.Errorf("metadata %s: %w", kv.Key, err)
		}
	}

	var offset uint64
	for _, t := range tensors {
		e.str(t.Name)
		e.u32(uint32(len(t.Shape)))
		for _, d := range t.Shape {
			e.u64(d)
		}
		e.u32(uint32(t.Type))
		e.u64(offset)
		offset += uint64(align(int64(Elements(t.Shape)) * int64(t.Type.size())))
	}

	e.pad()
	for _, t := range tensors {
		e.tensor(t)
		e.pad()
	}

	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

// encoder writes little-endian GGUF values and remembers the first error, so the
// caller checks once at the end.
type encoder struct {
	w   *bufio.Writer
	n   int64
	err error
	buf [8]byte
}

func (e *encoder) bytes(b []byte) {
	if e.err != nil {
		return
	}
	var n int
	n, e.err = e.w.Write(b)
	e.n += int64(n)
}

func (e *encoder) u32(v uint32) {
	binary.LittleEndian.PutUint32(e.buf[:4], v)
	e.bytes(e.buf[:4])
}

func (e *encoder) u64(v uint64) {
	binary.LittleEndian.PutUint64(e.buf[:8], v)
	e.bytes(e.buf[:8])
}

func (e *encoder) f32(v float32) { e.u32(math.Float32bits(v)) }

func (e *encoder) str(s string) {
	e.u64(uint64(len(s)))
	e.bytes([]byte(s))
}

func (e *encoder) pad() {
	var zero [Alignment]byte
	e.bytes(zero[:align(e.n)-e.n])
}

// value writes a metadata value with its type tag.
func (e *encoder) value(v any) error {
	switch v := v.(type) {
	case uint32:
		e.u32(uint32(TypeUint32))
		e.u32(v)
	case int32:
		e.u32(uint32(TypeInt32))
		e.u32(uint32(v))
	case float32:
		e.u32(uint32(TypeFloat32))
		e.f32(v)
	case bool:
		e.u32(uint32(TypeBool))
		if v {
			e.bytes([]byte{1})
		} else {
			e.bytes([]byte{0})
		}
	case string:
		e.u32(uint32(TypeString))
		e.str(v)
	case []string:
		e.arrayHeader(TypeString, len(v))
		for _, s := range v {
			e.str(s)
		}
	case []float32:
		e.arrayHeader(TypeFloat32, len(v))
		for _, f := range v {
			e.f32(f)
		}
	case []int32:
		e.arrayHeader(TypeInt32, len(v))
		for _, i := range v {
			e.u32(uint32(i))
		}
	default:
		return fmt.Errorf("unsupported value type %T", v)
	}
	return nil
}

func (e *encoder) arrayHeader(elem ValueType, n int) {
	e.u32(uint32(TypeArray))
	e.u32(uint32(elem))
	e.u64(uint64(n))
}

// tensor writes a tensor's data in one piece: a call per value would be most of the
// time it takes to write a model.
func (e *encoder) tensor(t Tensor) {
	b := make([]byte, 0, len(t.Data)*t.Type.size())
	for _, f := range t.Data {
		switch t.Type {
		case TensorF32:
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		case TensorF16:
			b = binary.LittleEndian.AppendUint16(b, f16Bits(f))
		}
	}
	e.bytes(b)
}
