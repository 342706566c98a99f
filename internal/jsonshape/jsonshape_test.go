package jsonshape

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		items int
		depth int
		want  *Problem
	}{
		{"an object within the bounds", `{"a": [1, 2, 3], "b": {"c": [[]]}}`, 3, 4, nil},
		{"three items, bound two", `{"a": [1, 2, 3]}`, 2, 4, &Problem{Items: 3, Position: 11}},
		{"commas in strings do not count", `{"a": ["x,y,z", "w"]}`, 2, 4, nil},
		{"an escaped quote does not end the string", `["a\",b,c", 1]`, 2, 4, nil},
		{"objects' commas are not items", `{"a": 1, "b": 2, "c": 3}`, 1, 4, nil},
		{"items of a nested array counted apart", `[[1, 2], [3, 4]]`, 2, 4, nil},
		{"too deep", `[[[[1]]]]`, 10, 3, &Problem{TooDeep: true, Position: 3}},
		{"a million brackets", strings.Repeat("[", 1_000_000), 10, 64, &Problem{TooDeep: true, Position: 64}},
		{"empty arrays", `{"a": [], "b": [[], []]}`, 2, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check([]byte(tt.raw), tt.items, tt.depth)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
