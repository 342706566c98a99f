package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
	"github.com/zhengce/zhengce/server"
)

// The service against the Go API, in one run: the same records of the 济宁
// and 日照 documents, one record per request and 1000 per request, through
// zhengce serve's handler on a loopback port and through EvalBatch. Each
// reports its time per record; the service also its latency percentiles.
//
//	go test -run NONE -bench Service -benchtime 2000x .

var serviceDocs = []struct{ id, folder, csv, key string }{
	{"jining", "../examples/jining-2025-opinions", "年度目標.csv", "企业名称"},
	{"rizhao", "../examples/rizhao-2025-implementation-rules", "末段.csv", "统一社会信用代码"},
}

// serviceRecords reads a document's sample rows, cycled to n records, each
// its own enterprise.
func serviceRecords(b *testing.B, path, key string, n int) []map[string]any {
	r, closer, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer closer.Close()
	var rows []map[string]any
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, row.Record)
	}
	out := make([]map[string]any, n)
	for i := range out {
		rec := map[string]any{}
		for k, v := range rows[i%len(rows)] {
			rec[k] = v
		}
		rec[key] = fmt.Sprintf("%v-%d", rec[key], i)
		out[i] = rec
	}
	return out
}

func BenchmarkService(b *testing.B) {
	for _, doc := range serviceDocs {
		dir := b.TempDir()
		abs, _ := filepath.Abs(doc.folder)
		if err := os.Symlink(abs, filepath.Join(dir, doc.id)); err != nil {
			b.Fatal(err)
		}
		srv, err := server.New(server.Config{Dir: dir, OpenEvaluation: true, MaxRecords: 1000, Logger: log.New(io.Discard, "", 0)})
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		sources, err := zhengce.ReadFolder(doc.folder, zhengce.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		prog, err := zhengce.CompileSources(sources, zhengce.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, size := range []int{1, 1000} {
			recs := serviceRecords(b, filepath.Join(doc.folder, doc.csv), doc.key, size)
			body, _ := json.Marshal(map[string]any{"policy": doc.id, "as_of": "2025-09-01", "records": recs})
			b.Run(fmt.Sprintf("%s/batch%d/service", doc.id, size), func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for b.Loop() {
					start := time.Now()
					resp, err := ts.Client().Post(ts.URL+"/v1/evaluate", "application/json", bytes.NewReader(body))
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
					lat = append(lat, time.Since(start))
				}
				reportLatency(b, lat, size)
			})
			b.Run(fmt.Sprintf("%s/batch%d/goapi", doc.id, size), func(b *testing.B) {
				records := make([]zhengce.Record, len(recs))
				for i, r := range recs {
					records[i] = r
				}
				as := zhengce.EvalOptions{}
				as.AsOf, _ = lang.ParseDate("2025-09-01")
				lat := make([]time.Duration, 0, b.N)
				for b.Loop() {
					start := time.Now()
					res, _ := zhengce.EvalBatch(context.Background(), prog, records, "", as)
					for i := range res {
						json.Marshal(zhengce.ResultJSON(res[i], nil, lang.Chinese))
					}
					lat = append(lat, time.Since(start))
				}
				reportLatency(b, lat, size)
			})
		}
		ts.Close()
	}
}

// reportLatency reports the time per record and the 50th and 99th
// percentiles of a request's latency.
func reportLatency(b *testing.B, lat []time.Duration, records int) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	b.ReportMetric(float64(sum.Microseconds())/float64(len(lat)*records), "µs/record")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
