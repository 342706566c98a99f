package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/decisionlog"
	"github.com/zhengce/zhengce/server"
)

const serveUsageZh = `用法：zhengce serve --policies 文件夹 [--addr 127.0.0.1:8080] [选项]

以 HTTP 服务提供文件夹中的每个政策（一个 .zc 文件，或一份文件的文件夹）：求值、说明、
精准匹配、政策对比，接口见 /openapi.json 与 spec/json.md。收到 SIGHUP（或 --watch 发现文件变化）
时重新加载，编译不过的政策继续用上一版本；SIGTERM 时等正在处理的请求完成后退出。
读写决定与重新加载须带令牌（--token-file 或环境变量 ZHENGCE_TOKEN）。
`

const serveUsageEn = `Usage: zhengce serve --policies DIR [--addr 127.0.0.1:8080] [options]

Serve every policy of DIR (a .zc file, or a document's folder) over HTTP:
evaluate, explain, match, compare; see /openapi.json and spec/json.md. On
SIGHUP (or a change --watch sees) the folder is reloaded; a policy that no
longer compiles keeps its last revision. On SIGTERM requests in flight finish
first. Decisions and reloading need the token (--token-file or ZHENGCE_TOKEN).
`

func (c *cli) serve(args []string) int {
	fs := c.flags("serve", serveUsageZh, serveUsageEn)
	dir := fs.String("policies", "", c.say("政策文件夹", "the folder of policies"))
	addr := fs.String("addr", "127.0.0.1:8080", c.say("监听的地址；端口写 0 则任选一个空闲端口", "address to listen on; port 0 picks a free one"))
	logPath := fs.String("log", "", c.say("决定日志（SQLite 文件，不存在则创建）", "the decision log (an SQLite file, created if absent)"))
	tokenFile := fs.String("token-file", "", c.say("令牌文件（读写决定与重新加载须带此令牌）", "file holding the token that decisions and reloading need"))
	tlsCert := fs.String("tls-cert", "", c.say("HTTPS 证书文件", "HTTPS certificate file"))
	tlsKey := fs.String("tls-key", "", c.say("HTTPS 私钥文件", "HTTPS key file"))
	cors := fs.StringSlice("cors", nil, c.say("允许浏览器跨域调用的来源（可重复）；默认不允许", "origins browsers may call from (repeatable); none by default"))
	maxBody := fs.Int64("max-body", 8<<20, c.say("请求体最多的字节数", "most bytes in a request body"))
	maxRecords := fs.Int("max-records", 10_000, c.say("一次请求最多的记录数", "most records in one request"))
	timeout := fs.Duration("timeout", 30*time.Second, c.say("每个请求的时限", "time limit of each request"))
	maxConc := fs.Int("max-concurrent", 0, c.say("同时求值的请求数上限（默认 CPU 数的两倍）", "most evaluations at once (default twice the CPUs)"))
	watch := fs.Duration("watch", 0, c.say("每隔这么久检查文件夹是否有变化，有则重新加载；0 为不检查", "check the folder for changes this often and reload; 0: never"))
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if *dir == "" {
		return c.usageError("serve", "缺少 --policies：政策文件夹", "--policies is missing: the folder of policies")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return c.usageError("serve", "--tls-cert 与 --tls-key 要一起给出", "--tls-cert and --tls-key go together")
	}
	token := strings.TrimSpace(os.Getenv("ZHENGCE_TOKEN"))
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			c.errorf("无法读取令牌文件：%s", "cannot read the token file: %s", c.message(err))
			return exitUsage
		}
		token = strings.TrimSpace(string(b))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		c.errorf("无法监听 %s：%v", "cannot listen on %s: %v", *addr, err)
		return exitUsage
	}
	loopback := isLoopback(ln.Addr())
	if !loopback && token == "" {
		ln.Close()
		c.errorf("在本机以外的地址（%s）上提供服务须设令牌（--token-file 或 ZHENGCE_TOKEN）", "serving beyond loopback (%s) needs a token (--token-file or ZHENGCE_TOKEN)", ln.Addr())
		return exitUsage
	}
	var dlog *decisionlog.Log
	if *logPath != "" {
		if dlog, err = decisionlog.Open(*logPath); err != nil {
			ln.Close()
			c.errorf("无法打开决定日志：%v", "cannot open the decision log: %v", err)
			return exitData
		}
		defer dlog.Close()
	}
	cfg := server.Config{Dir: *dir, Compile: zhengce.Options{Limits: zhengce.Limits{}}, MaxBody: *maxBody, MaxRecords: *maxRecords,
		Timeout: *timeout, MaxConcurrent: *maxConc, Token: token, OpenEvaluation: loopback, CORSOrigins: *cors, Log: dlog}
	srv, err := server.New(cfg)
	if err != nil {
		ln.Close()
		c.errorf("无法读取政策文件夹：%s", "cannot read the folder of policies: %s", c.message(err))
		return exitUsage
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(c.stderr, c.say("zhengce 正在服务 %s://%s（接口说明：/openapi.json）\n", "zhengce serving %s://%s (API: /openapi.json)\n"), scheme, ln.Addr())

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			done <- hs.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			done <- hs.Serve(ln)
		}
	}()
	var tick <-chan time.Time
	if *watch > 0 {
		t := time.NewTicker(*watch)
		defer t.Stop()
		tick = t.C
	}
	stamp := folderStamp(*dir)
	for {
		select {
		case err := <-done:
			if !errors.Is(err, http.ErrServerClosed) {
				c.errorf("服务出错：%v", "the service failed: %v", err)
				return exitData
			}
			return exitOK
		case <-tick:
			if now := folderStamp(*dir); now != stamp {
				stamp = now
				c.reload(srv)
			}
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				c.reload(srv)
				continue
			}
			fmt.Fprintln(c.stderr, c.say("zhengce：正在停止，等待处理中的请求完成", "zhengce: stopping once requests in flight finish"))
			srv.Closing()
			ctx, cancel := context.WithTimeout(context.Background(), *timeout+5*time.Second)
			err := hs.Shutdown(ctx)
			cancel()
			if err != nil {
				c.errorf("未能等到全部请求完成：%v", "not every request finished: %v", err)
				return exitData
			}
			return exitOK
		}
	}
}

func (c *cli) reload(srv *server.Server) {
	problems, err := srv.Reload()
	switch {
	case err != nil:
		c.errorf("重新加载失败，仍用原来的政策：%s", "reloading failed; the policies served are unchanged: %s", c.message(err))
	case len(problems) == 0:
		fmt.Fprintln(c.stderr, c.say("zhengce：已重新加载政策", "zhengce: policies reloaded"))
	default:
		for _, p := range problems {
			fmt.Fprintln(c.stderr, c.say("zhengce：政策有误，仍用上一版本：", "zhengce: a policy has errors; its last revision keeps serving: ")+p.Text(c.loc))
		}
	}
}

// folderStamp sums up the names, sizes and times of a folder's files and
// its subfolders' files: it changes when any of them does.
func folderStamp(dir string) string {
	var b strings.Builder
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		infos := []os.DirEntry{e}
		if e.IsDir() {
			sub, _ := os.ReadDir(filepath.Join(dir, e.Name()))
			infos = sub
		}
		for _, f := range infos {
			if fi, err := f.Info(); err == nil {
				fmt.Fprintf(&b, "%s/%s %d %d;", e.Name(), f.Name(), fi.Size(), fi.ModTime().UnixNano())
			}
		}
	}
	return b.String()
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
