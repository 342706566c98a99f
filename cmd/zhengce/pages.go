package main

import (
	"html/template"

	"github.com/zhengce/zhengce/lang"
)

// This file puts the HTML pages (the compare report, zhengce doc's page,
// studio's panes) in the reader's language. A page's words are written in
// its template in both languages, {{say "中文" "English"}}, as the CLI
// writes its messages; a template parsed once is cloned per language, and
// the parsed original is never executed (a template cannot be cloned
// after it has run).

// sayChinese is the parse-time say: the clone for a language replaces it.
func sayChinese(zh, en string) string { return zh }

// inLanguage is t with its words in loc.
func inLanguage(t *template.Template, loc lang.Locale) *template.Template {
	return template.Must(t.Clone()).Funcs(template.FuncMap{
		"say": func(zh, en string) string { return lang.Message{Zh: zh, En: en}.Text(loc) },
	})
}
