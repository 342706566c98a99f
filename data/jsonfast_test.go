package data

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

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

// TestFastObjectAgreesWithTextObject: where the fast decoder reads an
// object, it reads what textObject does, and reports a key written twice
// as it does; and it reads the common shapes itself.
func TestFastObjectAgreesWithTextObject(t *testing.T) {
	fast := 0
	for _, raw := range jsonSamples {
		if checkFastObject(t, raw) {
			fast++
		}
	}
	if fast < 7 { // the four shapes above and three of the errors
		t.Errorf("the fast decoder read only %d of %d samples", fast, len(jsonSamples))
	}
	for _, raw := range jsonSamples[:4] { // the shapes of data files are read fast
		if _, ok, _ := fastObject([]byte(raw)); !ok {
			t.Errorf("%s: left to textObject", raw)
		}
	}
}

// checkFastObject compares the fast decoder with textObject on raw; it
// reports whether the fast one read it.
func checkFastObject(t *testing.T, raw string) bool {
	t.Helper()
	rec, ok, fastErr := fastObject([]byte(raw))
	if !ok {
		return false
	}
	want, err := textObject([]byte(raw))
	if fmt.Sprint(fastErr) != fmt.Sprint(err) {
		t.Errorf("%q: fast says %v, textObject says %v", raw, fastErr, err)
	} else if err == nil {
		if diff := deepDiff(want, rec); diff != "" {
			t.Errorf("%q (-textObject +fast):\n%s", raw, diff)
		}
	}
	return true
}

// checkTextObject compares textObject with encoding/json on raw: where
// encoding/json reads an object, textObject reads the same (numbers at the
// top as text), unless a key is written twice, which textObject refuses
// and encoding/json settles silently by taking the last.
func checkTextObject(t *testing.T, raw string) {
	t.Helper()
	got, err := textObject([]byte(raw))
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var want map[string]any
	stdErr := dec.Decode(&want)
	if stdErr == nil && strings.TrimLeft(raw[dec.InputOffset():], " \t\r\n") != "" {
		stdErr = fmt.Errorf("more after the object")
	}
	switch {
	case stdErr != nil || want == nil || !utf8.ValidString(raw):
		if err == nil {
			t.Errorf("%q: textObject reads %v, encoding/json says %v", raw, got, stdErr)
		}
	case err != nil:
		if !strings.Contains(err.Error(), "出现两次") {
			t.Errorf("%q: textObject says %v, encoding/json reads %v", raw, err, want)
		}
	default:
		for k, v := range want {
			if n, ok := v.(json.Number); ok {
				want[k] = n.String()
			}
		}
		if diff := deepDiff(want, got); diff != "" {
			t.Errorf("%q (-encoding/json +textObject):\n%s", raw, diff)
		}
	}
}

// TestTextObjectAgreesWithEncodingJSON: on every sample, textObject reads
// what encoding/json reads, and refuses what it refuses.
func TestTextObjectAgreesWithEncodingJSON(t *testing.T) {
	for _, raw := range jsonSamples {
		checkTextObject(t, raw)
	}
}

// deepDiff is cmp.Diff for values that differ: cmp's diff of deeply
// nested single-item lists takes time exponential in the depth, so equal
// values (the usual case) are told by reflect.DeepEqual first.
func deepDiff(want, got any) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	return cmp.Diff(want, got)
}

func FuzzJSONObject(f *testing.F) {
	for _, raw := range jsonSamples {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		checkFastObject(t, raw)
		checkTextObject(t, raw)
	})
}
