module github.com/zhengce/zhengce

go 1.26.8

require (
	github.com/alecthomas/participle/v2 v2.1.4
	github.com/shopspring/decimal v1.6.0
	github.com/spf13/pflag v1.1.0
	golang.org/x/text v0.43.0
)

require github.com/google/go-cmp v0.7.0 // indirect
