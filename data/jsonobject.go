package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/zhengce/zhengce/lang"
)

// textObject reads one JSON object of any shape with jsontext (the
// reference implementation of JSON v2: it rejects a name written twice,
// however escaped, and invalid UTF-8, in one pass). Numbers keep their
// text, to be read later by the type of their input. fastObject reads the
// common shapes faster and is checked against it.
func textObject(raw []byte) (map[string]any, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.ReadToken()
	if err != nil {
		return map[string]any{}, malformed(err)
	}
	if tok.Kind() != '{' {
		return map[string]any{}, notAnObject(tok.Kind())
	}
	obj, err := readObject(dec, true)
	if err != nil {
		return map[string]any{}, malformed(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return map[string]any{}, lang.Messagef("一行只能有一个 JSON 对象，这个对象之后还有内容", "a line holds one JSON object; there is more after it")
	}
	return obj, nil
}

// readObject reads the members of an object whose '{' has been read; top
// is the record's own level.
func readObject(dec *jsontext.Decoder, top bool) (map[string]any, error) {
	obj := map[string]any{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String() // (the token is void after the next read)
		v, err := readValue(dec, top)
		if err != nil {
			return nil, err
		}
		obj[name] = v
	}
	_, err := dec.ReadToken()
	return obj, err
}

// readValue reads one value: a string as text, a number as its text at
// the top and as a json.Number below (as the list readers take them), true
// or false, nil for null, a list or an object.
func readValue(dec *jsontext.Decoder, top bool) (any, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case '0': // the number's text, exact
		if top {
			return tok.String(), nil
		}
		return json.Number(tok.String()), nil
	case 't', 'f':
		return tok.Bool(), nil
	case 'n':
		return nil, nil
	case '{':
		return readObject(dec, false)
	}
	// '[': the decoder allows no other token here
	list := []any{}
	for dec.PeekKind() != ']' {
		v, err := readValue(dec, false)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	_, err = dec.ReadToken()
	return list, err
}

// malformed words a decoding error in the user's terms: where, and a name
// written twice by its name.
func malformed(err error) error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		return lang.Messagef("JSON 不完整", "the JSON is incomplete")
	}
	if errors.Is(err, jsontext.ErrDuplicateName) {
		return duplicateKeyError(se.JSONPointer.LastToken())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return lang.Messagef("JSON 不完整：在第 %d 个字节处中断", "the JSON is incomplete: it stops at byte %d", se.ByteOffset)
	}
	return lang.Messagef("不是有效的 JSON：第 %d 个字节处有误", "not valid JSON: there is an error at byte %d", se.ByteOffset+1)
}

// notAnObject says what a line holds instead of an object.
func notAnObject(k jsontext.Kind) error {
	switch k {
	case '[':
		return lang.Messagef("不是 JSON 对象，而是列表", "not a JSON object but a list")
	case '"':
		return lang.Messagef("不是 JSON 对象，而是文字", "not a JSON object but a string")
	case '0':
		return lang.Messagef("不是 JSON 对象，而是数", "not a JSON object but a number")
	case 'n':
		return lang.Messagef("不是 JSON 对象：null", "not a JSON object: null")
	}
	return lang.Messagef("不是 JSON 对象，而是是否值", "not a JSON object but true or false")
}
