package lang

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWarnings: text that reads otherwise than it runs is warned of, at
// the character: reordering characters in comments and quoted text (Trojan
// Source), names mixing Latin with look-alike Cyrillic or Greek letters.
func TestWarnings(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // position and Chinese message of each warning
	}{
		{"a reordering character in a comment", "x = 1 # 注释\u202e反转\n",
			[]string{"w.zc:1:11: 注释中有改变显示次序的控制字符 U+202E：编辑器显示的内容可能与实际不同"}},
		{"an isolate in quoted text", "x = \"甲\u2066乙\"\n",
			[]string{"w.zc:1:7: 文字中有改变显示次序的控制字符 U+2066：编辑器显示的内容可能与实际不同"}},
		{"a Cyrillic а among Latin letters", "tax = 1\ntаx = 2\n",
			[]string{"w.zc:2:1: 名称“tаx”混用了拉丁字母与形近的西里尔或希腊字母：看起来相同的名称可能是两个名称"}},
		{"Han and Latin mix freely", "GDP占比 = 1%\nR和D投入 = 1\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("w.zc", []byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range f.Warnings {
				if !w.Warning || w.En == "" {
					t.Errorf("%v is not a warning with both languages", w)
				}
				got = append(got, w.Pos.String()+": "+w.Zh)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
