package gguf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// File is a GGUF file decoded by Parse: its header, all metadata in file order and
// the tensor infos. It keeps the bytes it was parsed from, so that TensorData can
// decode a tensor's values.
type File struct {
	Version    uint32
	Metadata   []KV
	Tensors    []TensorInfo
	DataOffset int64 // where the data section starts in the file
	data       []byte
}

// Parse decodes a GGUF file (any version from 2 on) held in memory.
func Parse(b []byte) (*File, error) {
	d := &decoder{b: b}
	if string(d.next(4)) != Magic {
		return nil, errors.New("not a GGUF file: bad magic")
	}
	f := &File{Version: d.u32(), data: b}
	if d.err == nil && f.Version < 2 {
		return nil, fmt.Errorf("unsupported GGUF version %d", f.Version)
	}
	nTensors, nKV := d.u64(), d.u64()
	if d.err != nil {
		return nil, d.err
	}

	for i := uint64(0); i < nKV && d.err == nil; i++ {
		key := d.str()
		v := d.value(ValueType(d.u32()))
		f.Metadata = append(f.Metadata, KV{Key: key, Value: v})
	}
	for i := uint64(0); i < nTensors && d.err == nil; i++ {
		ti := TensorInfo{Name: d.str()}
		dims := d.u32()
		for j := uint32(0); j < dims && d.err == nil; j++ {
			ti.Shape = append(ti.Shape, d.u64())
		}
		ti.Type = TensorType(d.u32())
		ti.Offset = d.u64()
		f.Tensors = append(f.Tensors, ti)
	}
	if d.err != nil {
		return nil, d.err
	}

	alignment := int64(Alignment)
	if a, ok := f.Value("general.alignment").(uint32); ok && a > 0 {
		alignment = int64(a)
	}
	f.DataOffset = (d.off + alignment - 1) / alignment * alignment
	for _, ti := range f.Tensors {
		end := f.DataOffset + int64(ti.Offset) + int64(ti.Size())
		if ti.Type.size() != 0 && end > int64(len(b)) {
			return nil, fmt.Errorf("tensor %s: data ends at %d, past the end of the file (%d)", ti.Name, end, len(b))
		}
	}
	return f, nil
}

// Value returns the metadata value for key, or nil if the file has none.
func (f *File) Value(key string) any {
	for _, kv := range f.Metadata {
		if kv.Key == key {
			return kv.Value
		}
	}
	return nil
}

// Tensor returns the info of the named tensor.
func (f *File) Tensor(name string) (TensorInfo, bool) {
	for _, ti := range f.Tensors {
		if ti.Name == name {
			return ti, true
		}
	}
	return TensorInfo{}, false
}

// TensorData returns the values of the named F32 or F16 tensor.
func (f *File) TensorData(name string) ([]float32, error) {
	ti, ok := f.Tensor(name)
	if !ok {
		return nil, fmt.Errorf("no tensor %s", name)
	}
	start := f.DataOffset + int64(ti.Offset)
	raw := f.data[start : start+int64(ti.Size())]
	out := make([]float32, Elements(ti.Shape))
	switch ti.Type {
	case TensorF32:
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	case TensorF16:
		for i := range out {
			out[i] = f16Float(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	default:
		return nil, fmt.Errorf("tensor %s: unsupported type %v", name, ti.Type)
	}
	return out, nil
}

// decoder reads little-endian GGUF values and remembers the first error.
type decoder struct {
	b   []byte
	off int64
	err error
}

func (d *decoder) next(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b))-uint64(d.off) {
		d.err = fmt.Errorf("truncated file: need %d bytes at offset %d", n, d.off)
		return nil
	}
	p := d.b[d.off : d.off+int64(n)]
	d.off += int64(n)
	return p
}

func (d *decoder) u8() uint8 {
	if p := d.next(1); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) u16() uint16 {
	if p := d.next(2); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if p := d.next(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if p := d.next(8); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

func (d *decoder) str() string { return string(d.next(d.u64())) }

// value decodes one metadata value of type t.
func (d *decoder) value(t ValueType) any {
	switch t {
	case TypeUint8:
		return d.u8()
	case TypeInt8:
		return int8(d.u8())
	case TypeUint16:
		return d.u16()
	case TypeInt16:
		return int16(d.u16())
	case TypeUint32:
		return d.u32()
	case TypeInt32:
		return int32(d.u32())
	case TypeFloat32:
		return math.Float32frombits(d.u32())
	case TypeBool:
		return d.u8() != 0
	case TypeString:
		return d.str()
	case TypeUint64:
		return d.u64()
	case TypeInt64:
		return int64(d.u64())
	case TypeFloat64:
		return math.Float64frombits(d.u64())
	case TypeArray:
		return d.array()
	}
	if d.err == nil {
		d.err = fmt.Errorf("unknown metadata value type %d at offset %d", uint32(t), d.off)
	}
	return nil
}

// array decodes an array into a typed slice for the common element types and into
// []any for the others.
func (d *decoder) array() any {
	elem := ValueType(d.u32())
	n := d.u64()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = fmt.Errorf("array of %d elements at offset %d is longer than the file", n, d.off)
	}
	if d.err != nil {
		return nil
	}
	switch elem {
	case TypeString:
		return readArray(d, n, (*decoder).str)
	case TypeFloat32:
		return readArray(d, n, func(d *decoder) float32 { return math.Float32frombits(d.u32()) })
	case TypeInt32:
		return readArray(d, n, func(d *decoder) int32 { return int32(d.u32()) })
	case TypeUint32:
		return readArray(d, n, (*decoder).u32)
	}
	return readArray(d, n, func(d *decoder) any { return d.value(elem) })
}

func readArray[T any](d *decoder, n uint64, read func(*decoder) T) []T {
	out := make([]T, 0, min(n, 1<<16))
	for i := uint64(0); i < n && d.err == nil; i++ {
		out = append(out, read(d))
	}
	return out
}
