package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// This file says errors and values in the user's language.

// message formats an evaluation error in the user's language.
func (c *cli) message(err error) string {
	var pe *fs.PathError
	var le *lang.Error
	if errors.As(err, &pe) && !errors.As(err, &le) {
		return c.pathError(pe)
	}
	return zhengce.ErrorText(err, c.loc)
}

// pathError says what the system said of a file, in the user's language.
func (c *cli) pathError(pe *fs.PathError) string {
	switch {
	case errors.Is(pe.Err, fs.ErrNotExist):
		return fmt.Sprintf(c.say("找不到文件“%s”", "no such file: %q"), pe.Path)
	case errors.Is(pe.Err, fs.ErrPermission):
		return fmt.Sprintf(c.say("没有权限打开“%s”", "no permission to open %q"), pe.Path)
	case errors.Is(pe.Err, syscall.EISDIR):
		return fmt.Sprintf(c.say("“%s”是文件夹，这里要一个文件", "%q is a folder; a file is needed here"), pe.Path)
	}
	return fmt.Sprintf(c.say("无法打开“%s”（%v）", "cannot open %q (%v)"), pe.Path, pe.Err)
}

// texts gives messages in the user's language.
func (c *cli) texts(ms []zhengce.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text(c.loc)
	}
	return out
}

// human formats a value for people, in the user's language.
func (c *cli) human(v zhengce.Value) string { return v.Text(c.loc) }
