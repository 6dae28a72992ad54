package gguf

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestWriteParseRoundTrip(t *testing.T) {
	t.Parallel()
	kvs := []KV{
		{"a.uint32", uint32(7)},
		{"a.int32", int32(-3)},
		{"a.float32", float32(1e-5)},
		{"a.true", true},
		{"a.false", false},
		{"a.string", "llama ▁word"},
		{"a.empty", ""},
		{"a.strings", []string{"<unk>", "▁the", ""}},
		{"a.floats", []float32{0, -1.5, 3}},
		{"a.ints", []int32{1, -2, 6}},
		{"a.no_strings", []string{}},
	}
	tensors := []Tensor{
		{Name: "vec", Type: TensorF32, Shape: []uint64{3}, Data: []float32{1, 2, 3}},
		{Name: "mat", Type: TensorF16, Shape: []uint64{3, 2}, Data: []float32{0.5, -1, 2, 65504, -0.25, 1.0 / 3}},
		{Name: "one", Type: TensorF16, Shape: []uint64{1}, Data: []float32{1}},
		{Name: "big", Type: TensorF32, Shape: []uint64{9, 4}, Data: make([]float32, 36)},
	}

	var b bytes.Buffer
	if err := Write(&b, kvs, tensors); err != nil {
		t.Fatal(err)
	}
	f, err := Parse(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}

	if f.Version != Version {
		t.Errorf("version %d, want %d", f.Version, Version)
	}
	if !reflect.DeepEqual(f.Metadata, kvs) {
		t.Errorf("metadata\n got %#v\nwant %#v", f.Metadata, kvs)
	}
	if f.DataOffset%Alignment != 0 {
		t.Errorf("data offset %d not aligned", f.DataOffset)
	}
	if len(f.Tensors) != len(tensors) {
		t.Fatalf("%d tensors, want %d", len(f.Tensors), len(tensors))
	}
	for i, want := range tensors {
		got := f.Tensors[i]
		if got.Name != want.Name || got.Type != want.Type || !reflect.DeepEqual(got.Shape, want.Shape) {
			t.Errorf("tensor %d: got %s %v %v, want %s %v %v", i, got.Name, got.Type, got.Shape, want.Name, want.Type, want.Shape)
		}
		if got.Offset%Alignment != 0 {
			t.Errorf("tensor %s: offset %d not aligned", got.Name, got.Offset)
		}
		data, err := f.TensorData(want.Name)
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range want.Data {
			if want.Type == TensorF16 {
				v = f16Float(f16Bits(v))
			}
			if data[j] != v {
				t.Errorf("tensor %s[%d] = %v, want %v", want.Name, j, data[j], v)
			}
		}
	}
	last := f.Tensors[len(f.Tensors)-1]
	if want := f.DataOffset + int64(last.Offset) + int64(last.Size()); int64(b.Len()) != align(want) {
		t.Errorf("file is %d bytes, want %d (data padded to the alignment)", b.Len(), align(want))
	}
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kvs     []KV
		tensors []Tensor
		want    string
	}{
		{"value type", []KV{{"k", 1.5}}, nil, "metadata k: unsupported value type float64"},
		{"tensor type", nil, []Tensor{{Name: "t", Type: 2, Shape: []uint64{1}, Data: []float32{1}}}, "tensor t: unsupported type"},
		{"tensor size", nil, []Tensor{{Name: "t", Type: TensorF32, Shape: []uint64{2, 2}, Data: []float32{1}}}, "tensor t: 1 values for shape [2 2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Write(&bytes.Buffer{}, tt.kvs, tt.tensors)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	var good bytes.Buffer
	if err := Write(&good, []KV{{"k", "v"}}, []Tensor{{Name: "t", Type: TensorF32, Shape: []uint64{4}, Data: make([]float32, 4)}}); err != nil {
		t.Fatal(err)
	}
	g := good.Bytes()
	v1 := bytes.Clone(g)
	binary.LittleEndian.PutUint32(v1[4:], 1)
	badType := bytes.Clone(g)
	binary.LittleEndian.PutUint32(badType[24+8+1:], 99) // the value type of "k"

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "bad magic"},
		{"magic", append([]byte("GGUG"), g[4:]...), "bad magic"},
		{"version", v1, "unsupported GGUF version 1"},
		{"truncated header", g[:30], "truncated file"},
		{"truncated data", g[:len(g)-Alignment+8], "past the end of the file"}, // 16 bytes of data, 16 of padding
		{"value type", badType, "unknown metadata value type 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestF16(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float32
		want uint16
	}{
		{0, 0x0000},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{0.5, 0x3800},
		{65504, 0x7bff}, // largest half
		{65520, 0x7c00}, // rounds up to +Inf
		{1e6, 0x7c00},   // overflow
		{float32(math.Inf(-1)), 0xfc00},
		{6.103515625e-05, 0x0400},  // smallest normal
		{5.960464477539063e-08, 1}, // smallest subnormal
		{2.98e-08, 0},              // below half of it: zero
		{1 + 1.0/2048, 0x3c00},     // halfway, rounds to even (down)
		{1 + 3.0/2048, 0x3c02},     // halfway, rounds to even (up)
		{1.0 / 3, 0x3555},
	}
	for _, tt := range tests {
		if got := f16Bits(tt.in); got != tt.want {
			t.Errorf("f16Bits(%v) = %#04x, want %#04x", tt.in, got, tt.want)
		}
	}
	if got := f16Bits(float32(math.NaN())); got&0x7c00 != 0x7c00 || got&0x3ff == 0 {
		t.Errorf("f16Bits(NaN) = %#04x, not a NaN", got)
	}
	// Every half value survives the round trip through float32.
	for h := range 1 << 16 {
		f := f16Float(uint16(h))
		if math.IsNaN(float64(f)) {
			continue
		}
		if got := f16Bits(f); got != uint16(h) {
			t.Fatalf("f16Bits(f16Float(%#04x)) = %#04x", h, got)
		}
	}
}
