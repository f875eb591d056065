package gpu

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/wgml/wgml/shaders"
)

// paramTypes maps each kernel to its WGSL Params struct and the Go mirror.
var paramTypes = map[kernelID]struct {
	wgsl string
	goT  any
}{
	kActivate: {"ActParams", actParams{}}, kActivateBackward: {"ActParams", actParams{}},
	kCopy: {"CopyParams", copyParams{}}, kSumRows: {"SumRowsParams", sumRowsParams{}},
	kMSE: {"LossParams", lossParams{}}, kBCE: {"LossParams", lossParams{}}, kKL: {"KLParams", klParams{}},
	kGather: {"GatherParams", gatherParams{}}, kRandNormal: {"RandomParams", randomParams{}},
	kCorrupt: {"RandomParams", randomParams{}}, kReparameterize: {"ReparamParams", reparamParams{}},
	kReparameterizeBackward: {"ReparamBackwardParams", reparamBackwardParams{}}, kAdam: {"AdamParams", adamParams{}},
}

// wgslField is one member of a WGSL struct with its offset and size.
type wgslField struct {
	name, typ    string
	offset, size int
}

// wgslLayout lays out the members of struct name in src by WGSL's rules for
// the scalar and vector types the Params structs use (uniform address
// space: u32, i32, f32 4 bytes; vec2 8, aligned 8; vec3 12 and vec4 16,
// aligned 16).
func wgslLayout(src, name string) ([]wgslField, int, error) {
	m := regexp.MustCompile(`(?s)struct\s+` + name + `\s*\{(.*?)\}`).FindStringSubmatch(src)
	if m == nil {
		return nil, 0, fmt.Errorf("no struct %s", name)
	}
	var fs []wgslField
	off, maxAlign := 0, 4
	for _, line := range strings.Split(m[1], ",") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n, typ, ok := strings.Cut(line, ":")
		if !ok {
			return nil, 0, fmt.Errorf("struct %s: cannot read member %q", name, line)
		}
		typ = strings.TrimSpace(typ)
		var size, align int
		switch {
		case typ == "u32" || typ == "i32" || typ == "f32":
			size, align = 4, 4
		case strings.HasPrefix(typ, "vec2<"):
			size, align = 8, 8
		case strings.HasPrefix(typ, "vec3<"):
			size, align = 12, 16
		case strings.HasPrefix(typ, "vec4<"):
			size, align = 16, 16
		default:
			return nil, 0, fmt.Errorf("struct %s: member %q has a type this test does not lay out", name, line)
		}
		off = (off + align - 1) / align * align
		fs = append(fs, wgslField{strings.TrimSpace(n), typ, off, size})
		off += size
		maxAlign = max(maxAlign, align)
	}
	return fs, (off + maxAlign - 1) / maxAlign * maxAlign, nil
}

// camel turns a WGSL snake_case name into the Go field name: kl_scale is
// KLScale, ln_beta1 LnBeta1, lr LR.
func camel(s string) string {
	var sb strings.Builder
	for _, part := range strings.Split(s, "_") {
		switch part {
		case "kl", "lr":
			sb.WriteString(strings.ToUpper(part))
		default:
			r := []rune(part)
			r[0] = unicode.ToUpper(r[0])
			sb.WriteString(string(r))
		}
	}
	return sb.String()
}

// goType is the Go type that mirrors a WGSL member type.
var goType = map[string]reflect.Type{
	"u32": reflect.TypeOf(uint32(0)), "i32": reflect.TypeOf(int32(0)), "f32": reflect.TypeOf(float32(0)),
	"vec2<u32>": reflect.TypeOf([2]uint32{}), "vec4<u32>": reflect.TypeOf([4]uint32{}),
}

// TestParamsMatchWGSL reads each kernel's WGSL Params struct and checks the
// Go mirror field by field: every named WGSL member is the Go field of the
// CamelCase name at the same offset with the matching type, every named Go
// field is a WGSL member, and both are ParamWords words long.
func TestParamsMatchWGSL(t *testing.T) {
	for id, ep := range entryPoints {
		p, ok := paramTypes[kernelID(id)]
		if !ok {
			if kernelID(id) != kMatMul && kernelID(id) != kMatMulReduce { // matmul's static words: gpu/ops_matmul.go
				t.Errorf("%s: no Go Params type registered", ep.name)
			}
			continue
		}
		gt, name := reflect.TypeOf(p.goT), p.wgsl
		src := shaders.Source(shaders.Variant{}, ep.files...)
		fs, size, err := wgslLayout(src, name)
		if err != nil {
			t.Errorf("%s: %v", ep.name, err)
			continue
		}
		if size != paramBytes || int(gt.Size()) != paramBytes {
			t.Errorf("%s: WGSL %s is %d bytes, Go %s %d, want %d", ep.name, name, size, gt.Name(), gt.Size(), paramBytes)
		}
		named := map[string]bool{}
		for _, f := range fs {
			if strings.HasPrefix(f.name, "_") {
				continue
			}
			named[camel(f.name)] = true
			gf, ok := gt.FieldByName(camel(f.name))
			switch {
			case !ok:
				t.Errorf("%s: WGSL %s.%s has no Go field %s.%s", ep.name, name, f.name, gt.Name(), camel(f.name))
			case int(gf.Offset) != f.offset:
				t.Errorf("%s: %s.%s at byte %d, Go %s at %d", ep.name, name, f.name, f.offset, gf.Name, gf.Offset)
			case gf.Type != goType[f.typ]:
				t.Errorf("%s: %s.%s is %s, Go %s is %s", ep.name, name, f.name, f.typ, gf.Name, gf.Type)
			}
		}
		for i := range gt.NumField() {
			if f := gt.Field(i); f.Name != "_" && !named[f.Name] {
				t.Errorf("%s: Go %s.%s is not a member of WGSL %s", ep.name, gt.Name(), f.Name, name)
			}
		}
	}
}

// TestAccessMatchesWGSL checks each entry point's read-only mask against
// its WGSL: a binding declared var<storage, read> is read-only in the
// layout, var<storage, read_write> writable.
func TestAccessMatchesWGSL(t *testing.T) {
	decl := regexp.MustCompile(`@binding\((\d+)\)\s*var<storage,\s*(read|read_write)>\s*(\w+)`)
	for id, ep := range entryPoints {
		if kernelID(id) == kMatMul || kernelID(id) == kMatMulReduce {
			continue // declared by the variant (shaders/matmul.go), checked when pipelines are made
		}
		src := shaders.Source(shaders.Variant{}, ep.files...)
		// The bindings an entry point uses are the globals named in its
		// body (which ends at the first unindented closing brace), or in
		// the whole module where it is the module's only entry point.
		at := regexp.MustCompile(`\bfn\s+` + ep.name + `\s*\(`).FindStringIndex(src)
		if at == nil {
			t.Errorf("%s: no entry point of that name in its files", ep.name)
			continue
		}
		body := src[at[0]:]
		body = body[:strings.Index(body, "\n}")]
		if strings.Count(src, "@compute") == 1 {
			body = src
		}
		seen := 0
		for _, m := range decl.FindAllStringSubmatch(src, -1) {
			if !regexp.MustCompile(`\b` + m[3] + `\b`).MatchString(body) {
				continue
			}
			var i int
			fmt.Sscan(m[1], &i)
			seen++
			if ro := ep.readOnly&(1<<i) != 0; ro != (m[2] == "read") {
				t.Errorf("%s: binding %d (%s) is var<storage, %s> in WGSL, read-only %v in the layout", ep.name, i, m[3], m[2], ro)
			}
		}
		if seen == 0 {
			t.Errorf("%s (kernel %d): no storage binding found in its body", ep.name, id)
		}
	}
}
