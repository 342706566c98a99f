package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zhengce/zhengce"
)

const testUsageZh = `用法：zhengce test [路径…]

运行政策文件中写好的测试（测试 "…" 数据 … 期望 … 结束）。路径可以是 .zc 文件或目录：
目录中每个含 .zc 文件的文件夹是一份政策（同一文件的各个 .zc 文件一起编译），递归查找；缺省为当前目录。
有测试失败时退出码为 1。
`

const testUsageEn = `Usage: zhengce test [PATH…]

Run the test cases written in policy files (测试 "…" 数据 … 期望 … 结束). A path
may be a .zc file or a directory, searched recursively: each folder with .zc
files is one policy (a document's files compiled together). The default is
the current directory. Exits 1 when a test fails.
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
	// a .zc file named is a policy of its own; in a folder, the .zc files of
	// each directory are one policy (a document's files)
	var policies []string
	files := 0
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			c.errorf("%v", "%v", c.message(err))
			return exitUsage
		}
		if !info.IsDir() {
			policies = append(policies, p)
			files++
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if zc, _ := zhengce.PolicyFiles(path); len(zc) > 0 {
					policies = append(policies, path)
					files += len(zc)
				}
			}
			return err
		})
	}
	sort.Strings(policies)
	passed, failed, broken := 0, 0, 0
	for _, path := range policies {
		prog, code := c.load(path, zhengce.Options{})
		if prog == nil {
			if code != exitOK {
				broken++
			}
			continue
		}
		results := prog.RunTests(c.ctx)
		if *export && len(results) > 0 {
			if err := exportTestData(prog, results); err != nil {
				c.errorf("%v", "%v", c.message(err))
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
				fmt.Fprintf(c.stdout, "    %s\n", f.Text(c.loc))
			}
		}
	}
	fmt.Fprintf(c.stdout, c.say("%d 个文件：%d 个测试通过，%d 个失败", "%d file(s): %d test(s) passed, %d failed"), files, passed, failed)
	if broken > 0 {
		fmt.Fprintf(c.stdout, c.say("，%d 个政策无法编译", ", %d policies do not compile"), broken)
	}
	fmt.Fprintln(c.stdout)
	if failed > 0 || broken > 0 {
		return exitData
	}
	return exitOK
}

// exportTestData writes the inputs of each file's tests as NAME-测试案例.csv
// beside the file.
func exportTestData(prog *zhengce.Program, results []zhengce.TestResult) error {
	for _, fi := range prog.Checked().File.Files {
		f, err := createPrivate(strings.TrimSuffix(fi.Name, ".zc") + "-测试案例.csv")
		if err != nil {
			return err
		}
		if err := zhengce.WriteTestData(f, prog, results, fi.Name); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
