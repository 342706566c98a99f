package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

const testUsageZh = `用法：zhengce test [路径…]

运行政策文件中写好的测试（测试 "…" 数据 … 期望 … 结束）。路径可以是 .zc 文件或目录
（递归查找 .zc 文件），缺省为当前目录。有测试失败时退出码为 1。
`

const testUsageEn = `Usage: zhengce test [PATH…]

Run the test cases written in policy files (测试 "…" 数据 … 期望 … 结束). A path
may be a .zc file or a directory (searched recursively); the default is the
current directory. Exits 1 when a test fails.
`

func (c *cli) test(args []string) int {
	fset := c.flags("test", testUsageZh, testUsageEn)
	verbose := fset.BoolP("verbose", "v", false, c.say("列出每个测试", "list every test"))
	export := fset.Bool("export-data", false, c.say("把每个文件中各测试的数据写成 文件名-测试案例.csv，放在政策文件旁边", "write each file's test data as NAME-测试案例.csv beside the policy file"))
	if code, stop := c.parseFlags(fset, args); stop {
		return code
	}
	paths := fset.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			c.errorf("%v", "%v", err)
			return exitUsage
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".zc") {
				files = append(files, path)
			}
			return err
		})
	}
	sort.Strings(files)
	passed, failed, broken := 0, 0, 0
	for _, path := range files {
		prog, code := c.load(path, zhengce.Options{})
		if prog == nil {
			if code != exitOK {
				broken++
			}
			continue
		}
		results := prog.RunTests(c.ctx)
		if *export && len(results) > 0 {
			if err := exportTestData(path, prog, results); err != nil {
				c.errorf("%v", "%v", err)
				return exitData
			}
		}
		for _, r := range results {
			if r.Passed() {
				passed++
				if *verbose {
					fmt.Fprintf(c.stdout, c.say("通过 %s 测试“%s”\n", "PASS %s test %q\n"), r.Pos, r.Name)
				}
				continue
			}
			failed++
			fmt.Fprintf(c.stdout, c.say("失败 %s 测试“%s”\n", "FAIL %s test %q\n"), r.Pos, r.Name)
			for _, f := range r.Failures {
				fmt.Fprintf(c.stdout, "    %s\n", f)
			}
		}
	}
	fmt.Fprintf(c.stdout, c.say("%d 个文件：%d 个测试通过，%d 个失败", "%d files: %d tests passed, %d failed"), len(files), passed, failed)
	if broken > 0 {
		fmt.Fprintf(c.stdout, c.say("，%d 个文件无法编译", ", %d files do not compile"), broken)
	}
	fmt.Fprintln(c.stdout)
	if failed > 0 || broken > 0 {
		return exitData
	}
	return exitOK
}

// exportTestData writes the inputs of a file's tests as NAME-测试案例.csv
// beside the policy file.
func exportTestData(path string, prog *zhengce.Program, results []interp.TestResult) error {
	f, err := createPrivate(strings.TrimSuffix(path, ".zc") + "-测试案例.csv")
	if err != nil {
		return err
	}
	if err := prog.WriteTestData(f, results); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
