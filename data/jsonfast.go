package data

import (
	"encoding/json"
	"unicode/utf8"
)

// fastObject decodes the JSON object raw as textObject does (numbers at
// the top as their text, deeper ones as json.Number; a key written twice
// at the top an error, in err), for the common case only: strings without
// escapes and in valid UTF-8, no key written twice below the top, and
// nothing but white space after the object. For anything else ok is
// false, and decodeObject decodes raw with textObject, whose results and
// messages are the reference.
func fastObject(raw []byte) (rec map[string]any, ok bool, err error) {
	d := fastDecoder{src: raw}
	d.space()
	obj, ok := d.object(true)
	if !ok {
		return nil, false, nil
	}
	d.space()
	if d.i != len(d.src) {
		return nil, false, nil // textObject says what follows
	}
	if d.dup != nil {
		return map[string]any{}, true, duplicateKeyError(*d.dup)
	}
	return obj, true, nil
}

// fastDecoder is the state of fastObject: the text and how far it has read.
type fastDecoder struct {
	src   []byte
	i     int
	depth int     // of the objects and arrays being read
	dup   *string // the first key written twice at the top
}

// maxFastDepth is how deep fastObject goes; deeper is left to
// textObject, which has a limit of its own and says so.
const maxFastDepth = 100

func (d *fastDecoder) space() {
	for d.i < len(d.src) {
		switch d.src[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// object reads an object at d.i; top is the record's own level.
func (d *fastDecoder) object(top bool) (map[string]any, bool) {
	empty, ok := d.enter('{', '}')
	if !ok {
		return nil, false
	}
	defer func() { d.depth-- }()
	obj := map[string]any{}
	if empty {
		return obj, true
	}
	for {
		d.space()
		key, ok := d.string()
		if !ok {
			return nil, false
		}
		d.space()
		if d.i >= len(d.src) || d.src[d.i] != ':' {
			return nil, false
		}
		d.i++
		d.space()
		v, ok := d.value(top)
		if !ok {
			return nil, false
		}
		if _, seen := obj[key]; seen {
			if !top {
				return nil, false // textObject names the inner key
			}
			if d.dup == nil {
				d.dup = &key
			}
		}
		obj[key] = v
		if end, ok := d.after('}'); !ok || end {
			return obj, ok
		}
	}
}

// enter reads the opening byte of an object or array, one level deeper,
// and reports whether the closing byte follows at once (empty); ok is
// false when there is no opening byte or the nesting is too deep.
func (d *fastDecoder) enter(opening, closing byte) (empty, ok bool) {
	if d.i >= len(d.src) || d.src[d.i] != opening || d.depth == maxFastDepth {
		return false, false
	}
	d.i++
	d.depth++
	d.space()
	if d.i < len(d.src) && d.src[d.i] == closing {
		d.i++
		return true, true
	}
	return false, true
}

// after reads what follows a member of an object or an item of an array:
// a comma (end false) or the closing byte (end true); ok is false for
// anything else.
func (d *fastDecoder) after(closing byte) (end, ok bool) {
	d.space()
	if d.i >= len(d.src) {
		return false, false
	}
	switch d.src[d.i] {
	case ',':
		d.i++
		return false, true
	case closing:
		d.i++
		return true, true
	}
	return false, false
}

// value reads any JSON value; a number at the top is its text, deeper a
// json.Number, as decodeObject gives them.
func (d *fastDecoder) value(top bool) (any, bool) {
	if d.i >= len(d.src) {
		return nil, false
	}
	switch c := d.src[d.i]; {
	case c == '"':
		return d.string()
	case c == '{':
		return d.object(false)
	case c == '[':
		return d.array()
	case c == '-' || '0' <= c && c <= '9':
		n, ok := d.number()
		if top {
			return n, ok
		}
		return json.Number(n), ok
	}
	for _, lit := range [...]struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(d.src)-d.i >= len(lit.text) && string(d.src[d.i:d.i+len(lit.text)]) == lit.text {
			d.i += len(lit.text)
			return lit.v, true
		}
	}
	return nil, false
}

func (d *fastDecoder) array() ([]any, bool) {
	empty, ok := d.enter('[', ']')
	if !ok {
		return nil, false
	}
	defer func() { d.depth-- }()
	items := []any{}
	if empty {
		return items, true
	}
	for {
		d.space()
		v, ok := d.value(false)
		if !ok {
			return nil, false
		}
		items = append(items, v)
		if end, ok := d.after(']'); !ok || end {
			return items, ok
		}
	}
}

// string reads a string without escapes, in valid UTF-8 and without
// control characters; any other is left to textObject.
func (d *fastDecoder) string() (string, bool) {
	if d.i >= len(d.src) || d.src[d.i] != '"' {
		return "", false
	}
	start := d.i + 1
	ascii := true
	for j := start; j < len(d.src); j++ {
		switch c := d.src[j]; {
		case c == '"':
			s := d.src[start:j]
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			d.i = j + 1
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// number reads a number as JSON writes it and returns its text.
func (d *fastDecoder) number() (string, bool) {
	start, j := d.i, d.i
	digits := func() int {
		n := 0
		for j < len(d.src) && '0' <= d.src[j] && d.src[j] <= '9' {
			j++
			n++
		}
		return n
	}
	if d.src[j] == '-' {
		j++
	}
	switch {
	case j < len(d.src) && d.src[j] == '0':
		j++
	case digits() == 0:
		return "", false
	}
	if j < len(d.src) && d.src[j] == '.' {
		j++
		if digits() == 0 {
			return "", false
		}
	}
	if j < len(d.src) && (d.src[j] == 'e' || d.src[j] == 'E') {
		j++
		if j < len(d.src) && (d.src[j] == '+' || d.src[j] == '-') {
			j++
		}
		if digits() == 0 {
			return "", false
		}
	}
	d.i = j
	return string(d.src[start:j]), true
}
