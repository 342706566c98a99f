package zhengce_test

import (
	"context"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// TestCoreHasNoAccessToTheOutside: the packages that run a script do not
// import the file system, the network, processes or the environment, and
// read the clock in one place only: interp takes today's date when the
// embedder gives none. A script cannot read it.
func TestCoreHasNoAccessToTheOutside(t *testing.T) {
	forbidden := map[string]bool{"os": true, "os/exec": true, "net": true, "net/http": true, "syscall": true,
		"io/ioutil": true, "io/fs": true, "plugin": true, "unsafe": true, "runtime/debug": true}
	for _, dir := range []string{"lang", "lang/internal/hanzi", "interp", "stdlib"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "gen.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range file.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if forbidden[path] {
					t.Errorf("%s imports %s", f, path)
				}
			}
			if strings.Contains(string(src), "time.Now(") && f != filepath.Join("interp", "compile.go") {
				t.Errorf("%s reads the clock", f)
			}
		}
	}
}

// TestScriptsCannotReachOut: there is no function to read a file, the
// environment, the network or the clock; 评估日期 is what the embedder gives.
func TestScriptsCannotReachOut(t *testing.T) {
	for _, call := range []string{`读文件("/etc/passwd")`, `readfile("x")`, `环境变量("HOME")`, `getenv("HOME")`,
		`now()`, `今天()`, `时间()`, `http("x")`, `网络("x")`, `exec("ls")`} {
		_, err := zhengce.Compile("x.zc", []byte("x = "+call))
		if err == nil || !strings.Contains(err.Error(), "未知的函数") {
			t.Errorf("%s: got %v, want an unknown function", call, err)
		}
	}
	src := []byte("输入 起始：日期\n已满一年 = 评估日期 >= 加年(起始, 1)\n当日 = 评估日期\n")
	for _, asOf := range []lang.Date{{Year: 2020, Month: 1, Day: 1}, {Year: 2099, Month: 12, Day: 31}} {
		prog, err := zhengce.CompileWith("d.zc", src, zhengce.Options{AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		res, err := prog.Eval(context.Background(), zhengce.Record{"起始": "2025-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Defs[1].Value.Date(); got != asOf {
			t.Errorf("评估日期 = %v, the embedder gave %v", got, asOf)
		}
	}
}
