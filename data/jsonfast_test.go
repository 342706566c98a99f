package data

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsonSamples are objects for the fast decoder and its fuzz target: the
// shapes data files have, and the corners of JSON it must hand on to
// encoding/json or read as it does.
var jsonSamples = []string{
	`{"企业名称": "企业0000001", "基期高新技術企業數": "72", "全社會研發投入": 33188483.86, "規上": true, "備註": null}`,
	`{"研发投入": 1.10, "项目数": -0, "占比": 1e-2, "大": 1.5E+30, "小": -0.000001}`,
	`{"项目": [{"名称": "甲", "支付额": 10}, {"名称": "乙", "支付额": "5万", "入选": false}], "空": [], "空对象": {}}`,
	`  {"a":1,"b":[1,[2,[3,{"c":4}]]]}  ` + "\n",
	`{"a": 1, "a": 2}`,
	`{"a": {"x": 1, "x": 2}, "b": 1}`,
	`{"a": 1, "b": 2, "a": 3, "b": 4}`,
	`{"\u4e00": 1, "一": 2}`,
	`{"a\"b": 1}`,
	`{"a": "line\nbreak"}`,
	`{"a": "\x01"}`,
	"{\"a\": \"\xff\xfe\"}",
	`{"a": 01}`,
	`{"a": 1.}`,
	`{"a": .5}`,
	`{"a": -}`,
	`{"a": 1e}`,
	`{"a": tru}`,
	`{"a": 1,}`,
	`{"a" 1}`,
	`{"a": 1} {"b": 2}`,
	`{"a": 1} x`,
	`[1, 2]`,
	`null`,
	`"text"`,
	`{}`,
	``,
	`{"a": [` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `]}`,
}

// TestFastObjectAgreesWithEncodingJSON: where the fast decoder reads an
// object, it reads what encoding/json does, and reports a key written
// twice as decodeObject did; and it reads the common shapes itself.
func TestFastObjectAgreesWithEncodingJSON(t *testing.T) {
	fast := 0
	for _, raw := range jsonSamples {
		if checkFastObject(t, raw) {
			fast++
		}
	}
	if fast < 8 {
		t.Errorf("the fast decoder read only %d of %d samples", fast, len(jsonSamples))
	}
	for _, raw := range jsonSamples[:4] { // the shapes of data files are read fast
		if _, ok, _ := fastObject([]byte(raw)); !ok {
			t.Errorf("%s: left to encoding/json", raw)
		}
	}
}

// checkFastObject compares the two decoders on raw; it reports whether
// the fast one read it.
func checkFastObject(t *testing.T, raw string) bool {
	t.Helper()
	rec, ok, fastErr := fastObject([]byte(raw))
	if !ok {
		return false
	}
	want, err := slowObject([]byte(raw))
	if fmt.Sprint(fastErr) != fmt.Sprint(err) {
		t.Errorf("%q: fast says %v, encoding/json says %v", raw, fastErr, err)
	} else if err == nil {
		if diff := cmp.Diff(want, rec); diff != "" {
			t.Errorf("%q (-encoding/json +fast):\n%s", raw, diff)
		}
	}
	return true
}

func FuzzFastObject(f *testing.F) {
	for _, raw := range jsonSamples {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) { checkFastObject(t, raw) })
}
