package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

// problem is a refusal: an HTTP status, a stable code for programs, and a
// message for people in both languages. Every refusal of the service is
// one of these.
type problem struct {
	status int
	code   string
	msg    *lang.Message
}

func refuse(status int, code, zh, en string, args ...any) *problem {
	return &problem{status: status, code: code, msg: lang.Messagef(zh, en, args...)}
}

// The service's refusals, in one place.
var (
	errBadJSON = func(zh, en string) *problem {
		return &problem{status: http.StatusBadRequest, code: "bad_request", msg: &lang.Message{Zh: "请求有误：" + zh, En: "the request is not valid: " + en}}
	}
	errNoRecords = refuse(http.StatusBadRequest, "bad_request", "请求中没有记录：写 record（一条）或 records（多条）", "the request has no records: give record (one) or records (several)")
	errBothForms = refuse(http.StatusBadRequest, "bad_request", "record 与 records 只能写一个", "give record or records, not both")
	errBadDate   = func(field, v string) *problem {
		return refuse(http.StatusBadRequest, "bad_request", "%s 的值“%s”不是日期，应写作 2025-07-01", "%s %q is not a date; write it as 2025-07-01", field, v)
	}
	errBadLang  = refuse(http.StatusBadRequest, "bad_request", "lang 只能是 zh 或 en", "lang must be zh or en")
	errNoPolicy = refuse(http.StatusBadRequest, "bad_request", "请求中没有 policy：要用哪个政策（见 GET /v1/policies）", "the request names no policy (see GET /v1/policies)")
	errNoSet    = refuse(http.StatusBadRequest, "bad_request", "对比要在 set 中给出改变的参数，或给出 reform_as_of", "a comparison needs parameters to change in set, or reform_as_of")
	errUnknown  = func(id string) *problem {
		return refuse(http.StatusNotFound, "not_found", "没有政策“%s”（见 GET /v1/policies）", "no policy %q (see GET /v1/policies)", id)
	}
	errNoDecision = func(id string) *problem {
		return refuse(http.StatusNotFound, "not_found", "没有编号为“%s”的决定", "no decision with id %q", id)
	}
	errBroken = func(id string, why *lang.Message) *problem {
		return &problem{status: http.StatusUnprocessableEntity, code: "policy_broken", msg: &lang.Message{Zh: "政策“" + id + "”无法编译，没有可用的版本：\n" + why.Zh, En: "policy " + id + " does not compile and has no revision to serve:\n" + why.En}}
	}
	errReform = func(why string, whyEn string) *problem {
		return &problem{status: http.StatusUnprocessableEntity, code: "reform_invalid", msg: &lang.Message{Zh: "改革方案无法编译：" + why, En: "the reform does not compile: " + whyEn}}
	}
	errTooLarge = func(max int64) *problem {
		return refuse(http.StatusRequestEntityTooLarge, "too_large", "请求超过 %d 字节的限制；请分批发送", "the request is over the limit of %d bytes; send it in batches", max)
	}
	errTooMany = func(n, max int) *problem {
		return refuse(http.StatusRequestEntityTooLarge, "too_many_records", "一次请求有 %d 条记录，超过 %d 条的限制；请分批发送", "the request has %d records, over the limit of %d; send them in batches", n, max)
	}
	errBusy     = refuse(http.StatusTooManyRequests, "busy", "同时求值的请求已达上限，请稍后重试", "too many evaluations at once; retry shortly")
	errTimeout  = refuse(http.StatusGatewayTimeout, "timeout", "求值超过了每个请求的时限", "the evaluation took longer than a request may")
	errClosing  = refuse(http.StatusServiceUnavailable, "shutting_down", "服务正在停止", "the service is shutting down")
	errNoLog    = refuse(http.StatusServiceUnavailable, "no_decision_log", "服务没有决定日志（用 --log 指定）", "the service keeps no decision log (start it with --log)")
	errLogWrite = func(detail string) *problem {
		return refuse(http.StatusServiceUnavailable, "log_failed", "决定没能记入日志，未生效：%s", "the decision could not be logged and does not stand: %s", detail)
	}
	errNoToken   = refuse(http.StatusUnauthorized, "unauthorized", "需要令牌：请求头写 Authorization: Bearer 令牌", "a token is needed: send Authorization: Bearer TOKEN")
	errBadToken  = refuse(http.StatusUnauthorized, "unauthorized", "令牌不对", "the token is wrong")
	errNoTokenAt = refuse(http.StatusForbidden, "forbidden", "服务没有设置令牌，读写决定与重新加载都不可用（用 --token-file 或环境变量 ZHENGCE_TOKEN）", "the service has no token, so decisions and reloading are unavailable (use --token-file or ZHENGCE_TOKEN)")
	errReload    = func(err error) *problem {
		return refuse(http.StatusInternalServerError, "reload_failed", "无法读取政策文件夹：%v", "cannot read the policy folder: %v", err)
	}
	errNotFound = refuse(http.StatusNotFound, "not_found", "没有这个地址（见 /openapi.json）", "no such endpoint (see /openapi.json)")
)

// decodeProblem words an error of decoding a request body.
func decodeProblem(err error) *problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return errBadJSON(fmt.Sprintf("不是有效的 JSON：第 %d 个字节处有误", syn.Offset), fmt.Sprintf("not valid JSON: there is an error at byte %d", syn.Offset))
	case errors.As(err, &typ):
		return errBadJSON(fmt.Sprintf("字段 %s 的类型不对", typ.Field), fmt.Sprintf("the field %s has the wrong type", typ.Field))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errBadJSON("JSON 不完整", "the JSON is incomplete")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return errBadJSON("没有字段 "+f+"（见 /openapi.json）", "there is no field "+f+" (see /openapi.json)")
	}
	return errBadJSON("对象之后还有内容", "there is more after the object")
}
