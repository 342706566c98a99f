package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

const fmtUsageZh = `用法：zhengce fmt [-w] [--check] [--diff] 政策.zc或文件夹…

把政策文件排成唯一的标准格式：块内缩进两格、续行再缩进两格，词之间一个空格，输入法打出的全角标点
（：，（）），输入块的类型对齐，注释与空行保留（连续空行留一行）。只改空白与词法上相同的写法，程序不变。
默认把结果写到标准输出；-w 写回文件；--check 只列出格式不对的文件（有则退出码 1）；--diff 显示改动。
`

const fmtUsageEn = `Usage: zhengce fmt [-w] [--check] [--diff] POLICY.zc|FOLDER…

Lay out policy files in the one canonical form: two spaces per block and two
more for a continued line, one space between words, the full-width punctuation
an input method types, the types of an input block aligned, comments and blank
lines kept. Only white space and spellings the lexer reads alike change, so the
program is the same. By default the result goes to standard output; -w writes
the files; --check lists the files not formatted (exit 1 if any); --diff shows
the changes.
`

func (c *cli) format(args []string) int {
	flags := c.flags("fmt", fmtUsageZh, fmtUsageEn)
	write := flags.BoolP("write", "w", false, c.say("把结果写回文件", "write the result back to the files"))
	check := flags.Bool("check", false, c.say("只检查：列出格式不对的文件", "check only: list the files not formatted"))
	diff := flags.Bool("diff", false, c.say("显示改动", "show the changes"))
	if code, stop := c.parseFlags(flags, args); stop {
		return code
	}
	if flags.NArg() == 0 {
		return c.usageError("fmt", "要给出政策文件或文件夹", "give policy files or folders")
	}
	var files []string
	for _, arg := range flags.Args() {
		if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
			filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(path, ".zc") {
					files = append(files, path)
				}
				return nil
			})
		} else {
			files = append(files, arg)
		}
	}
	code := exitOK
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			c.errorf("无法读取：%s", "cannot read: %s", c.message(err))
			code = exitUsage
			continue
		}
		out, err := lang.Format(src)
		if err != nil {
			fmt.Fprintln(c.stderr, lang.FormatErrors(renamed(err, path), src, c.loc))
			code = exitUsage
			continue
		}
		changed := !bytes.Equal(src, out)
		switch {
		case *check:
			if changed {
				fmt.Fprintln(c.stdout, path)
				code = max(code, exitData)
			}
		case *diff:
			if changed {
				fmt.Fprintf(c.stdout, "--- %s\n+++ %s%s\n", path, path, c.say("（格式化后）", " (formatted)"))
				writeLineDiff(c.stdout, strings.Split(string(src), "\n"), strings.Split(string(out), "\n"))
			}
		case *write:
			if changed {
				if err := os.WriteFile(path, out, 0o644); err != nil {
					c.errorf("无法写入：%s", "cannot write: %s", c.message(err))
					code = exitData
				}
			}
		default:
			c.stdout.Write(out)
		}
	}
	return code
}

// renamed puts the file's name into the positions of a lexing error.
func renamed(err error, path string) error {
	if list, ok := err.(lang.ErrorList); ok {
		for _, e := range list {
			e.Pos.File = path
		}
	}
	return err
}

// writeLineDiff writes the lines of a that b drops (-) and adds (+), with
// the lines around each change, by their longest common subsequence.
func writeLineDiff(w io.Writer, a, b []string) {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	for i, j := 0, 0; i < n || j < m; {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(w, "%d +%s\n", j+1, b[j])
			j++
		default:
			fmt.Fprintf(w, "%d -%s\n", i+1, a[i])
			i++
		}
	}
}
