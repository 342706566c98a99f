package interp

import "github.com/zhengce/zhengce/lang"

// This file folds aggregates (合计, 计数, 任一, 全部) over their arguments
// and the items of lists, number by number, without a Value per item.

// foldOf returns the fold of the function e calls, or FoldNone.
func (c *compiler) foldOf(e *lang.Call) Fold {
	if i, ok := c.checked.Calls[e]; ok && i < len(c.funcs) {
		return c.funcs[i].Fold
	}
	return FoldNone
}

// foldBool compiles a call of 任一 (FoldAny) or 全部 (FoldAll) over 是否s
// and lists of them, 不适用 skipped. Every argument is evaluated, as for a
// call. When no 是否 is had, the function's Call decides, through the
// call's Value.
func (c *compiler) foldBool(e *lang.Call, fold Fold) boolFn {
	args := c.foldArgs(e, fold)
	call := c.expr(e)
	all := fold == FoldAll
	return func(f *frame) (bool, bool) {
		if f.trace != nil {
			return f.boolOf(call(f)) // explained as the call is
		}
		had, result := false, all // all: true until a false; any: false until a true
		for i := range args {
			a := &args[i]
			if a.list != nil {
				l, err := a.list(f)
				if err != nil {
					f.err = err
					return false, false
				}
				items := l.list()
				for j := range items {
					if it := &items[j]; it.kind != lang.KindNA {
						had = true
						if it.b != all {
							result = !all
						}
					}
				}
				continue
			}
			b, ok := a.cond(f)
			if !ok {
				if f.err != nil {
					return false, false
				}
				continue // 不适用
			}
			had = true
			if b != all {
				result = !all
			}
		}
		if !had {
			return f.boolOf(call(f))
		}
		return result, true
	}
}

// foldArg is one argument of a fold, compiled for what it is: a list,
// whose items are read in place, or a number (合计) or a 是否 (计数, 任一,
// 全部), as the functions' argument types allow.
type foldArg struct {
	list evalFn
	num  numFn
	cond boolFn
}

// foldArgs compiles the arguments of a fold.
func (c *compiler) foldArgs(e *lang.Call, fold Fold) []foldArg {
	args := make([]foldArg, len(e.Args))
	for i, a := range e.Args {
		switch {
		case c.checked.Types[a].Kind == lang.KindList:
			args[i].list = c.expr(a)
		case fold == FoldSum:
			args[i].num = c.num(a)
		default:
			args[i].cond = c.cond(a)
		}
	}
	return args
}

// fold compiles a call of 合计 or 计数 into a fold over its arguments,
// lists flattened and 不适用 skipped, as the functions' Calls do.
func (c *compiler) fold(e *lang.Call, fold Fold) numFn {
	args := c.foldArgs(e, fold)
	p, pos := c.prog, e.Pos
	return func(f *frame) (num, bool) {
		var total num
		count := uint64(0)
		for i := range args {
			a := &args[i]
			switch {
			case a.list != nil:
				l, err := a.list(f)
				if err != nil {
					f.err = err
					return num{}, false
				}
				items := l.list()
				for j := range items {
					it := &items[j]
					switch {
					case it.kind == lang.KindNA:
					case fold == FoldSum:
						total = addNum(total, it.n(), false)
					case it.kind != lang.KindBool || it.b:
						count++
					}
				}
			case a.num != nil:
				n, ok := a.num(f)
				if !ok {
					if f.err != nil {
						return num{}, false
					}
					continue // 不适用
				}
				total = addNum(total, n, false)
			default:
				b, ok := a.cond(f)
				if !ok && f.err != nil {
					return num{}, false
				}
				if ok && b {
					count++
				}
			}
		}
		if fold == FoldCount {
			total = fixed(u128{lo: count}, 0, false)
		}
		if !p.magnitude.within(total) {
			f.err = p.outOfRange(pos, total)
			return num{}, false
		}
		return total, true
	}
}
