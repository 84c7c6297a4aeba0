// Command gen-parquet-fixtures writes the Parquet request-log fixtures under
// testdata/ingest/parquet/: small tables in the column layouts LiteLLM,
// Langfuse and Helicone data end up in when a warehouse exports them as
// Parquet, and a home-grown table read with a column mapping. Each table
// comes with a JSON Lines twin (.ndjson) holding the same rows as the tool's
// own JSON export writes them; the ingest tests check that both give the
// same records. The layouts and their sources are in the README there.
//
//	go run ./scripts/gen-parquet-fixtures [-dir testdata/ingest/parquet]
//
// Output is deterministic: rows are fixed, and map columns are written in
// key order.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/parquet-go/parquet-go"
)

func main() {
	dir := flag.String("dir", "testdata/ingest/parquet", "output directory")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen-parquet-fixtures:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, step := range []func(string) error{litellm, langfuse, helicone, appRequests} {
		if err := step(dir); err != nil {
			return err
		}
	}
	return nil
}

// writeParquet writes rows in row groups of group rows.
func writeParquet[T any](path string, rows []T, group int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(group), parquet.Compression(&parquet.Snappy))
	if _, err := w.Write(rows); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// writeLines writes one JSON object a line; encoding/json writes map keys
// in order, and a struct's fields in declaration order (the column order).
func writeLines(path string, rows []any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func ptr[T any](v T) *T { return &v }

// at is a time in March 2026, UTC.
func at(day, hour, minute, sec, micro int) time.Time {
	return time.Date(2026, 3, day, hour, minute, sec, micro*1000, time.UTC)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// ---------------------------------------------------------------------------
// LiteLLM_SpendLogs: the proxy's Postgres table (schema.prisma; integers
// are INTEGER, spend DOUBLE PRECISION, times TIMESTAMP(3) WITHOUT TIME
// ZONE, metadata/request_tags/messages/response/proxy_server_request JSONB).

type spendLog struct {
	requestID, callType, model, modelGroup, provider, user, teamID, endUser, status, cacheHit, sessionID string
	spend                                                                                                float64
	prompt, completion                                                                                   int32
	start, end                                                                                           time.Time
	completionStart                                                                                      *time.Time
	metadata                                                                                             any // JSONB
	tags                                                                                                 []string
}

func spendLogs() []spendLog {
	keyMeta := func(extra map[string]any) map[string]any {
		m := map[string]any{
			"user_api_key_alias":      "search-prod",
			"user_api_key_team_alias": "search",
			"user_api_key_user_id":    "default_user_id",
			"applied_guardrails":      []string{},
			"spend_logs_metadata":     nil,
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	return []spendLog{
		{
			requestID: "chatcmpl-0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4", callType: "acompletion", model: "gpt-4o", modelGroup: "gpt-4o",
			provider: "openai", user: "default_user_id", endUser: "u_123", status: "success", cacheHit: "None", sessionID: "sess-1",
			spend: 0.00155, prompt: 1200, completion: 80, start: at(2, 10, 15, 0, 204118), end: at(2, 10, 15, 1, 877001),
			completionStart: ptr(at(2, 10, 15, 0, 610223)),
			metadata: keyMeta(map[string]any{"usage_object": map[string]any{
				"prompt_tokens": 1200, "completion_tokens": 80, "total_tokens": 1280,
				"prompt_tokens_details":     map[string]any{"cached_tokens": 1024, "audio_tokens": nil},
				"completion_tokens_details": map[string]any{"reasoning_tokens": 0},
			}}),
			tags: []string{"prod"},
		},
		{
			requestID: "chatcmpl-1c8d2e3f-4a5b-4c6d-9e7f-8091a2b3c4d5", callType: "acompletion",
			model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", modelGroup: "claude-sonnet", provider: "bedrock",
			user: "user-7", status: "success", cacheHit: "None", sessionID: "sess-2",
			spend: 0.0177, prompt: 12010, completion: 500, start: at(2, 11, 2, 11, 500000), end: at(2, 11, 2, 20, 0),
			metadata: keyMeta(map[string]any{"usage_object": map[string]any{
				"prompt_tokens": 12010, "completion_tokens": 500, "total_tokens": 12510,
				"prompt_tokens_details":       map[string]any{"cached_tokens": 8000, "cache_creation_tokens": 4000, "text_tokens": nil},
				"cache_read_input_tokens":     8000,
				"cache_creation_input_tokens": 4000,
			}}),
			tags: []string{"prod", "agent"},
		},
		{
			requestID: "msg_01Parquet0000000000000003", callType: "acompletion", model: "claude-haiku-4-5", modelGroup: "claude-haiku",
			provider: "anthropic", user: "user-9", teamID: "team-7f3a", status: "success", cacheHit: "None",
			spend: 0.0005, prompt: 300, completion: 40, start: at(3, 8, 0, 0, 0), end: at(3, 8, 0, 1, 250000),
			metadata: map[string]any{}, tags: []string{},
		},
		{
			requestID: "chatcmpl-3e0f4a5b-6c7d-4e8f-8a9b-0c1d2e3f4a5b", callType: "acompletion", model: "gpt-4o", modelGroup: "gpt-4o",
			provider: "openai", user: "user-9", status: "failure", cacheHit: "None",
			start: at(3, 8, 5, 0, 0), end: at(3, 8, 5, 30, 0),
			metadata: keyMeta(nil), tags: []string{},
		},
		{
			requestID: "chatcmpl-4f1a5b6c-7d8e-4f9a-9b0c-1d2e3f4a5b6c", callType: "acompletion", model: "gpt-4o", modelGroup: "gpt-4o",
			provider: "openai", user: "u_123", status: "success", cacheHit: "True",
			prompt: 1200, completion: 80, start: at(3, 9, 0, 0, 0), end: at(3, 9, 0, 0, 4000),
			metadata: keyMeta(nil), tags: []string{"prod"},
		},
		{
			requestID: "embd-5a2b6c7d-8e9f-4a0b-8c1d-2e3f4a5b6c7d", callType: "aembedding", model: "text-embedding-3-small",
			modelGroup: "embeddings", provider: "openai", user: "user-9", status: "success", cacheHit: "None",
			spend: 0.00000128, prompt: 64, start: at(4, 12, 30, 0, 0), end: at(4, 12, 30, 0, 90000),
			metadata: nil, tags: nil,
		},
		{
			requestID: "chatcmpl-6b3c7d8e-9f0a-4b1c-9d2e-3f4a5b6c7d8e", callType: "acompletion", model: "gpt-4o-mini",
			modelGroup: "gpt-4o-mini", provider: "openai", user: "batch", endUser: "", status: "success", cacheHit: "None",
			spend: 0.00042, prompt: 2400, completion: 100, start: at(4, 23, 59, 59, 999000), end: at(5, 0, 0, 2, 0),
			metadata: keyMeta(map[string]any{"user_api_key_team_alias": "reports", "usage_object": map[string]any{
				"prompt_tokens": 2400, "completion_tokens": 100, "prompt_tokens_details": map[string]any{"cached_tokens": 0},
			}}),
			tags: []string{"batch-job", "nightly"},
		},
	}
}

// spendLogJSON is a row with JSONB columns of logical type JSON, as DuckDB
// writes Postgres JSONB to Parquet (json.RawMessage: parquet-go v0.32
// writes an optional *string JSON column as null).
type spendLogJSON struct {
	RequestID           string          `parquet:"request_id"`
	CallType            string          `parquet:"call_type"`
	APIKey              string          `parquet:"api_key"`
	Spend               float64         `parquet:"spend"`
	TotalTokens         int32           `parquet:"total_tokens"`
	PromptTokens        int32           `parquet:"prompt_tokens"`
	CompletionTokens    int32           `parquet:"completion_tokens"`
	StartTime           int64           `parquet:"startTime,timestamp(microsecond:local)"`
	EndTime             int64           `parquet:"endTime,timestamp(microsecond:local)"`
	CompletionStartTime *int64          `parquet:"completionStartTime,optional,timestamp(microsecond:local)"`
	Model               string          `parquet:"model"`
	ModelID             *string         `parquet:"model_id,optional"`
	ModelGroup          *string         `parquet:"model_group,optional"`
	CustomLLMProvider   *string         `parquet:"custom_llm_provider,optional"`
	APIBase             *string         `parquet:"api_base,optional"`
	User                *string         `parquet:"user,optional"`
	Metadata            json.RawMessage `parquet:"metadata,optional,json"`
	CacheHit            *string         `parquet:"cache_hit,optional"`
	CacheKey            *string         `parquet:"cache_key,optional"`
	RequestTags         json.RawMessage `parquet:"request_tags,optional,json"`
	TeamID              *string         `parquet:"team_id,optional"`
	OrganizationID      *string         `parquet:"organization_id,optional"`
	EndUser             *string         `parquet:"end_user,optional"`
	RequesterIPAddress  *string         `parquet:"requester_ip_address,optional"`
	Messages            json.RawMessage `parquet:"messages,optional,json"`
	Response            json.RawMessage `parquet:"response,optional,json"`
	SessionID           *string         `parquet:"session_id,optional"`
	Status              *string         `parquet:"status,optional"`
	ProxyServerRequest  json.RawMessage `parquet:"proxy_server_request,optional,json"`
}

// spendLogText is the same row with JSONB columns as plain strings, as
// JDBC-based exports (Spark, most ETL tools) write them.
type spendLogText struct {
	RequestID           string  `parquet:"request_id"`
	CallType            string  `parquet:"call_type"`
	APIKey              string  `parquet:"api_key"`
	Spend               float64 `parquet:"spend"`
	TotalTokens         int32   `parquet:"total_tokens"`
	PromptTokens        int32   `parquet:"prompt_tokens"`
	CompletionTokens    int32   `parquet:"completion_tokens"`
	StartTime           int64   `parquet:"startTime,timestamp(microsecond:local)"`
	EndTime             int64   `parquet:"endTime,timestamp(microsecond:local)"`
	CompletionStartTime *int64  `parquet:"completionStartTime,optional,timestamp(microsecond:local)"`
	Model               string  `parquet:"model"`
	ModelID             *string `parquet:"model_id,optional"`
	ModelGroup          *string `parquet:"model_group,optional"`
	CustomLLMProvider   *string `parquet:"custom_llm_provider,optional"`
	APIBase             *string `parquet:"api_base,optional"`
	User                *string `parquet:"user,optional"`
	Metadata            *string `parquet:"metadata,optional"`
	CacheHit            *string `parquet:"cache_hit,optional"`
	CacheKey            *string `parquet:"cache_key,optional"`
	RequestTags         *string `parquet:"request_tags,optional"`
	TeamID              *string `parquet:"team_id,optional"`
	OrganizationID      *string `parquet:"organization_id,optional"`
	EndUser             *string `parquet:"end_user,optional"`
	RequesterIPAddress  *string `parquet:"requester_ip_address,optional"`
	Messages            *string `parquet:"messages,optional"`
	Response            *string `parquet:"response,optional"`
	SessionID           *string `parquet:"session_id,optional"`
	Status              *string `parquet:"status,optional"`
	ProxyServerRequest  *string `parquet:"proxy_server_request,optional"`
}

// spendLogExport is a row of the proxy's JSON export (GET /spend/logs):
// JSONB columns JSON-encoded in strings, times without a time zone.
type spendLogExport struct {
	RequestID           string  `json:"request_id"`
	CallType            string  `json:"call_type"`
	APIKey              string  `json:"api_key"`
	Spend               float64 `json:"spend"`
	TotalTokens         int32   `json:"total_tokens"`
	PromptTokens        int32   `json:"prompt_tokens"`
	CompletionTokens    int32   `json:"completion_tokens"`
	StartTime           string  `json:"startTime"`
	EndTime             string  `json:"endTime"`
	CompletionStartTime *string `json:"completionStartTime"`
	Model               string  `json:"model"`
	ModelID             *string `json:"model_id"`
	ModelGroup          *string `json:"model_group"`
	CustomLLMProvider   *string `json:"custom_llm_provider"`
	APIBase             *string `json:"api_base"`
	User                *string `json:"user"`
	Metadata            *string `json:"metadata"`
	CacheHit            *string `json:"cache_hit"`
	CacheKey            *string `json:"cache_key"`
	RequestTags         *string `json:"request_tags"`
	TeamID              *string `json:"team_id"`
	OrganizationID      *string `json:"organization_id"`
	EndUser             *string `json:"end_user"`
	RequesterIPAddress  *string `json:"requester_ip_address"`
	Messages            *string `json:"messages"`
	Response            *string `json:"response"`
	SessionID           *string `json:"session_id"`
	Status              *string `json:"status"`
	ProxyServerRequest  *string `json:"proxy_server_request"`
}

// litellmSpendTime is how the JSON export writes a TIMESTAMP(3).
const litellmSpendTime = "2006-01-02 15:04:05.000000"

func litellm(dir string) error {
	var asJSON []spendLogJSON
	var asText []spendLogText
	var lines []any
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	for _, r := range spendLogs() {
		var meta, tags *string
		empty := ptr("{}")
		if r.metadata != nil {
			meta = ptr(mustJSON(r.metadata))
		}
		if r.tags != nil {
			tags = ptr(mustJSON(r.tags))
		}
		var cst *int64
		var cstText *string
		if r.completionStart != nil {
			cst = ptr(r.completionStart.UnixMicro())
			cstText = ptr(r.completionStart.Format(litellmSpendTime))
		}
		j := spendLogJSON{
			RequestID: r.requestID, CallType: r.callType, APIKey: "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
			Spend: r.spend, TotalTokens: r.prompt + r.completion, PromptTokens: r.prompt, CompletionTokens: r.completion,
			StartTime: r.start.UnixMicro(), EndTime: r.end.UnixMicro(), CompletionStartTime: cst,
			Model: r.model, ModelID: ptr(""), ModelGroup: opt(r.modelGroup), CustomLLMProvider: opt(r.provider),
			APIBase: ptr(""), User: opt(r.user), CacheHit: opt(r.cacheHit), CacheKey: ptr("Cache OFF"),
			TeamID: opt(r.teamID), OrganizationID: nil, EndUser: opt(r.endUser), RequesterIPAddress: ptr(""),
			SessionID: opt(r.sessionID), Status: opt(r.status),
		}
		raw := func(s *string) json.RawMessage {
			if s == nil {
				return nil
			}
			return json.RawMessage(*s)
		}
		j.Metadata, j.RequestTags, j.Messages, j.Response, j.ProxyServerRequest = raw(meta), raw(tags), raw(empty), raw(empty), raw(empty)
		asJSON = append(asJSON, j)
		asText = append(asText, spendLogText{
			RequestID: j.RequestID, CallType: j.CallType, APIKey: j.APIKey, Spend: j.Spend, TotalTokens: j.TotalTokens,
			PromptTokens: j.PromptTokens, CompletionTokens: j.CompletionTokens, StartTime: j.StartTime, EndTime: j.EndTime,
			CompletionStartTime: cst, Model: j.Model, ModelID: j.ModelID, ModelGroup: j.ModelGroup, CustomLLMProvider: j.CustomLLMProvider,
			APIBase: j.APIBase, User: j.User, Metadata: meta, CacheHit: j.CacheHit, CacheKey: j.CacheKey, RequestTags: tags,
			TeamID: j.TeamID, OrganizationID: j.OrganizationID, EndUser: j.EndUser, RequesterIPAddress: j.RequesterIPAddress,
			Messages: empty, Response: empty, SessionID: j.SessionID, Status: j.Status, ProxyServerRequest: empty,
		})
		lines = append(lines, spendLogExport{
			RequestID: j.RequestID, CallType: j.CallType, APIKey: j.APIKey, Spend: j.Spend, TotalTokens: j.TotalTokens,
			PromptTokens: j.PromptTokens, CompletionTokens: j.CompletionTokens,
			StartTime: r.start.Format(litellmSpendTime), EndTime: r.end.Format(litellmSpendTime), CompletionStartTime: cstText,
			Model: j.Model, ModelID: j.ModelID, ModelGroup: j.ModelGroup, CustomLLMProvider: j.CustomLLMProvider, APIBase: j.APIBase,
			User: j.User, Metadata: meta, CacheHit: j.CacheHit, CacheKey: j.CacheKey, RequestTags: tags,
			TeamID: j.TeamID, OrganizationID: j.OrganizationID, EndUser: j.EndUser, RequesterIPAddress: j.RequesterIPAddress,
			Messages: empty, Response: empty, SessionID: j.SessionID, Status: j.Status, ProxyServerRequest: empty,
		})
	}
	if err := writeParquet(filepath.Join(dir, "litellm-spendlogs.parquet"), asJSON, 3); err != nil {
		return err
	}
	if err := writeParquet(filepath.Join(dir, "litellm-spendlogs-text.parquet"), asText, 4); err != nil {
		return err
	}
	return writeLines(filepath.Join(dir, "litellm-spendlogs.ndjson"), lines)
}

// ---------------------------------------------------------------------------
// Langfuse observations: the ClickHouse table of Langfuse v3
// (packages/shared/clickhouse/migrations, 0002_observations plus the
// environment column), as `SELECT … FORMAT Parquet` writes it: Map
// columns as MAP, Decimal64(12) as DECIMAL(18,12), DateTime64(3) as
// TIMESTAMP(MILLIS), Nullable as optional, UInt64 as unsigned INT64.

type observation struct {
	ID                   string            `parquet:"id" json:"id"`
	TraceID              string            `parquet:"trace_id" json:"trace_id"`
	ProjectID            string            `parquet:"project_id" json:"project_id"`
	Type                 string            `parquet:"type" json:"type"`
	ParentObservationID  *string           `parquet:"parent_observation_id,optional" json:"parent_observation_id"`
	StartTime            time.Time         `parquet:"start_time,timestamp(millisecond)" json:"start_time"`
	EndTime              *time.Time        `parquet:"end_time,optional,timestamp(millisecond)" json:"end_time"`
	Name                 string            `parquet:"name" json:"name"`
	Metadata             map[string]string `parquet:"metadata" json:"metadata"`
	Level                string            `parquet:"level" json:"level"`
	StatusMessage        *string           `parquet:"status_message,optional" json:"status_message"`
	Version              *string           `parquet:"version,optional" json:"version"`
	Input                *string           `parquet:"input,optional" json:"input"`
	Output               *string           `parquet:"output,optional" json:"output"`
	ProvidedModelName    *string           `parquet:"provided_model_name,optional" json:"provided_model_name"`
	InternalModelID      *string           `parquet:"internal_model_id,optional" json:"internal_model_id"`
	ModelParameters      *string           `parquet:"model_parameters,optional" json:"model_parameters"`
	ProvidedUsageDetails map[string]uint64 `parquet:"provided_usage_details" json:"provided_usage_details"`
	UsageDetails         map[string]uint64 `parquet:"usage_details" json:"usage_details"`
	ProvidedCostDetails  map[string]int64  `parquet:"provided_cost_details" parquet-value:",decimal(12:18)" json:"-"`
	CostDetails          map[string]int64  `parquet:"cost_details" parquet-value:",decimal(12:18)" json:"-"`
	TotalCost            *int64            `parquet:"total_cost,optional,decimal(12:18)" json:"-"`
	CompletionStartTime  *time.Time        `parquet:"completion_start_time,optional,timestamp(millisecond)" json:"completion_start_time"`
	PromptID             *string           `parquet:"prompt_id,optional" json:"prompt_id"`
	PromptName           *string           `parquet:"prompt_name,optional" json:"prompt_name"`
	PromptVersion        *uint16           `parquet:"prompt_version,optional" json:"prompt_version"`
	CreatedAt            time.Time         `parquet:"created_at,timestamp(millisecond)" json:"created_at"`
	UpdatedAt            time.Time         `parquet:"updated_at,timestamp(millisecond)" json:"updated_at"`
	EventTS              time.Time         `parquet:"event_ts,timestamp(millisecond)" json:"event_ts"`
	IsDeleted            uint8             `parquet:"is_deleted" json:"is_deleted"`
	Environment          string            `parquet:"environment" json:"environment"`
}

// observationLine is an observation as JSON: decimals as exact numbers.
type observationLine struct {
	observation
	ProvidedCostDetails map[string]json.Number `json:"provided_cost_details"`
	CostDetails         map[string]json.Number `json:"cost_details"`
	TotalCost           *json.Number           `json:"total_cost"`
}

// decimal12 writes a Decimal64(12) as an exact JSON number.
func decimal12(n int64) json.Number {
	s := fmt.Sprintf("%d.%012d", n/1e12, n%1e12)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return json.Number(s)
}

func langfuse(dir string) error {
	gen := func(id, typ, name, model string, start time.Time, usage map[string]uint64, cost map[string]int64, meta map[string]string) observation {
		o := observation{
			ID: id, TraceID: "7c1e4b2a9f3d4e6a8b0c2d4e6f8a0b1c", ProjectID: "cm1xproject0001", Type: typ,
			ParentObservationID: ptr("a1b2c3d4e5f60718"), StartTime: start, EndTime: ptr(start.Add(900 * time.Millisecond)),
			Name: name, Metadata: meta, Level: "DEFAULT", Input: ptr(`[{"role":"user","content":"…"}]`),
			Output: ptr(`{"role":"assistant","content":"…"}`), UsageDetails: usage, ProvidedUsageDetails: usage,
			CostDetails: cost, ProvidedCostDetails: map[string]int64{},
			CreatedAt: start.Add(2 * time.Second), UpdatedAt: start.Add(2 * time.Second), EventTS: start.Add(2 * time.Second),
			Environment: "production",
		}
		if model != "" {
			o.ProvidedModelName = ptr(model)
			o.InternalModelID = ptr("cm1xexamplemodel01")
			o.ModelParameters = ptr(`{"temperature":"0.2","max_tokens":1024}`)
			var total int64
			for _, c := range cost {
				total += c
			}
			o.TotalCost = &total
			o.CompletionStartTime = ptr(start.Add(300 * time.Millisecond))
		}
		if o.Metadata == nil {
			o.Metadata = map[string]string{}
		}
		if o.UsageDetails == nil {
			o.UsageDetails, o.ProvidedUsageDetails = map[string]uint64{}, map[string]uint64{}
		}
		if o.CostDetails == nil {
			o.CostDetails = map[string]int64{}
		}
		return o
	}
	rows := []observation{
		gen("obs-span-0001", "SPAN", "retrieve", "", at(2, 10, 14, 59, 0), nil, nil, map[string]string{"feature": "search"}),
		gen("obs-gen-0002", "GENERATION", "answer", "gpt-4o-2024-08-06", at(2, 10, 15, 0, 123000),
			map[string]uint64{"input": 176, "input_cached_tokens": 1024, "output": 80, "total": 1280},
			map[string]int64{"input": 440000000, "input_cached_tokens": 1280000000, "output": 800000000},
			map[string]string{"feature": "search", "ls_provider": "openai"}),
		gen("obs-gen-0003", "GENERATION", "plan", "claude-sonnet-4-5-20250929", at(2, 10, 16, 0, 0),
			map[string]uint64{"input": 20, "input_cache_read": 3000, "input_cache_creation": 1500, "output": 400},
			map[string]int64{"input": 60000000, "input_cache_read": 900000000, "input_cache_creation": 5625000000, "output": 6000000000},
			map[string]string{"feature": "agent"}),
		gen("obs-event-0004", "EVENT", "feedback", "", at(2, 10, 16, 30, 0), nil, nil, nil),
		gen("obs-gen-0005", "GENERATION", "summarise", "gemini-2.5-flash", at(3, 9, 0, 0, 0),
			map[string]uint64{"input": 5000, "output": 700, "output_reasoning_tokens": 300},
			map[string]int64{"input": 1500000000, "output": 2500000000}, nil),
	}
	rows[2].PromptName, rows[2].PromptVersion = ptr("planner"), ptr(uint16(3))
	rows[4].Environment = "staging"
	var lines []any
	for _, o := range rows {
		l := observationLine{observation: o, ProvidedCostDetails: map[string]json.Number{}, CostDetails: map[string]json.Number{}}
		for k, v := range o.ProvidedCostDetails {
			l.ProvidedCostDetails[k] = decimal12(v)
		}
		for k, v := range o.CostDetails {
			l.CostDetails[k] = decimal12(v)
		}
		if o.TotalCost != nil {
			l.TotalCost = ptr(decimal12(*o.TotalCost))
		}
		lines = append(lines, l)
	}
	if err := writeParquet(filepath.Join(dir, "langfuse-observations.parquet"), rows, 2); err != nil {
		return err
	}
	return writeLines(filepath.Join(dir, "langfuse-observations.ndjson"), lines)
}

// ---------------------------------------------------------------------------
// Helicone: the request records of `@helicone/export` (HeliconeRequest)
// loaded into a warehouse and exported again as Parquet: times as
// TIMESTAMP(MILLIS) in UTC, properties and scores as MAP, asset_ids as a
// LIST, the cache reference as a UUID.

type heliconeRequest struct {
	ResponseID            *string           `parquet:"response_id,optional" json:"response_id"`
	ResponseCreatedAt     *time.Time        `parquet:"response_created_at,optional,timestamp(millisecond)" json:"response_created_at"`
	ResponseStatus        int32             `parquet:"response_status" json:"response_status"`
	ResponseModel         *string           `parquet:"response_model,optional" json:"response_model"`
	RequestID             string            `parquet:"request_id" json:"request_id"`
	RequestCreatedAt      time.Time         `parquet:"request_created_at,timestamp(millisecond)" json:"request_created_at"`
	RequestPath           string            `parquet:"request_path" json:"request_path"`
	RequestUserID         *string           `parquet:"request_user_id,optional" json:"request_user_id"`
	RequestProperties     map[string]string `parquet:"request_properties" json:"request_properties"`
	RequestModel          *string           `parquet:"request_model,optional" json:"request_model"`
	ModelOverride         *string           `parquet:"model_override,optional" json:"model_override"`
	Provider              string            `parquet:"provider" json:"provider"`
	DelayMS               *int64            `parquet:"delay_ms,optional" json:"delay_ms"`
	TimeToFirstToken      *int64            `parquet:"time_to_first_token,optional" json:"time_to_first_token"`
	TotalTokens           *int64            `parquet:"total_tokens,optional" json:"total_tokens"`
	PromptTokens          *int64            `parquet:"prompt_tokens,optional" json:"prompt_tokens"`
	PromptCacheWrite      *int64            `parquet:"prompt_cache_write_tokens,optional" json:"prompt_cache_write_tokens"`
	PromptCacheRead       *int64            `parquet:"prompt_cache_read_tokens,optional" json:"prompt_cache_read_tokens"`
	CompletionTokens      *int64            `parquet:"completion_tokens,optional" json:"completion_tokens"`
	PromptAudioTokens     *int64            `parquet:"prompt_audio_tokens,optional" json:"prompt_audio_tokens"`
	CompletionAudioTokens *int64            `parquet:"completion_audio_tokens,optional" json:"completion_audio_tokens"`
	Cost                  *float64          `parquet:"cost,optional" json:"cost"`
	CountryCode           *string           `parquet:"country_code,optional" json:"country_code"`
	AssetIDs              []string          `parquet:"asset_ids,optional,list" json:"asset_ids"`
	Scores                map[string]int64  `parquet:"scores" json:"scores"`
	TargetURL             string            `parquet:"target_url" json:"target_url"`
	Model                 string            `parquet:"model" json:"model"`
	CacheReferenceID      [16]byte          `parquet:"cache_reference_id,uuid" json:"-"`
	CacheEnabled          bool              `parquet:"cache_enabled" json:"cache_enabled"`
}

// heliconeLine is a request as the export writes it: the UUID as text.
type heliconeLine struct {
	heliconeRequest
	CacheReferenceID string `json:"cache_reference_id"`
}

func uuidText(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func helicone(dir string) error {
	gen := func(id string, created time.Time, status int32, provider, model string, prompt, write, read, completion *int64, props map[string]string) heliconeRequest {
		h := heliconeRequest{
			ResponseID: ptr("resp-" + id[:8]), ResponseCreatedAt: ptr(created.Add(900 * time.Millisecond)), ResponseStatus: status,
			ResponseModel: ptr(model), RequestID: id, RequestCreatedAt: created, RequestPath: "/v1/chat/completions",
			RequestProperties: props, RequestModel: ptr(model), Provider: provider, DelayMS: ptr(int64(850)),
			TimeToFirstToken: ptr(int64(210)), PromptTokens: prompt, PromptCacheWrite: write, PromptCacheRead: read,
			CompletionTokens: completion, CountryCode: ptr("DE"), Scores: map[string]int64{}, Model: model,
			TargetURL: "https://api.example.com/v1/chat/completions",
		}
		if prompt != nil && completion != nil {
			t := *prompt + *completion
			if write != nil {
				t += *write
			}
			if read != nil {
				t += *read
			}
			h.TotalTokens = &t
			h.Cost = ptr(0.001)
		}
		if h.RequestProperties == nil {
			h.RequestProperties = map[string]string{}
		}
		return h
	}
	n := func(v int64) *int64 { return &v }
	rows := []heliconeRequest{
		gen("6c8b0c3e-1f2a-4b3c-9d4e-5f6a7b8c9d01", at(2, 10, 15, 0, 123000), 200, "OPENAI", "gpt-4o-2024-08-06",
			n(86), nil, n(1920), n(300), map[string]string{"Helicone-Session-Id": "sess-42", "environment": "prod", "feature": "search"}),
		gen("7d9c1d4f-2a3b-4c4d-8e5f-6a7b8c9d0e02", at(2, 11, 0, 0, 0), 200, "ANTHROPIC", "claude-sonnet-4-5-20250929",
			n(12), n(2000), n(6000), n(250), map[string]string{"project": "agents"}),
		gen("8e0d2e5a-3b4c-4d5e-9f6a-7b8c9d0e1f03", at(2, 11, 5, 0, 0), 500, "OPENAI", "gpt-4o-2024-08-06",
			n(900), nil, nil, n(0), nil),
		gen("9f1e3f6b-4c5d-4e6f-8a7b-8c9d0e1f2a04", at(2, 11, 6, 0, 0), 200, "OPENAI", "gpt-4o-2024-08-06",
			n(86), nil, n(1920), n(300), map[string]string{"feature": "search"}),
		gen("0a2f4a7c-5d6e-4f7a-9b8c-9d0e1f2a3b05", at(3, 14, 30, 0, 0), 200, "OPENAI", "gpt-4o-mini",
			n(4000), nil, nil, n(150), map[string]string{"Helicone-Session-Id": "sess-9", "project": "billing"}),
	}
	rows[0].RequestUserID = ptr("u_123")
	rows[3].CacheReferenceID = [16]byte{0x6c, 0x8b, 0x0c, 0x3e, 0x1f, 0x2a, 0x4b, 0x3c, 0x9d, 0x4e, 0x5f, 0x6a, 0x7b, 0x8c, 0x9d, 0x01}
	rows[3].CacheEnabled = true
	rows[4].AssetIDs = []string{"asset-1", "asset-2"}
	rows[1].AssetIDs = []string{}
	rows[1].Scores = map[string]int64{"helpfulness": 4}
	var lines []any
	for _, h := range rows {
		lines = append(lines, heliconeLine{heliconeRequest: h, CacheReferenceID: uuidText(h.CacheReferenceID)})
	}
	if err := writeParquet(filepath.Join(dir, "helicone-requests.parquet"), rows, 5); err != nil {
		return err
	}
	return writeLines(filepath.Join(dir, "helicone-requests.ndjson"), lines)
}

// ---------------------------------------------------------------------------
// A home-grown table: an in-house gateway's request log kept in a
// warehouse, with struct columns (llm, usage), a decimal cost, a date
// partition column and a list of labels; app-requests-mapping.yaml maps it.

type appLLM struct {
	Provider string `parquet:"provider" json:"provider"`
	Model    string `parquet:"model" json:"model"`
}

type appUsage struct {
	Prompt     int64  `parquet:"prompt" json:"prompt"`
	Completion int64  `parquet:"completion" json:"completion"`
	Cached     *int64 `parquet:"cached,optional" json:"cached"`
}

type appRequest struct {
	RequestTS int64    `parquet:"request_ts,timestamp(microsecond)" json:"-"`
	Service   string   `parquet:"service" json:"service"`
	LLM       appLLM   `parquet:"llm" json:"llm"`
	Usage     appUsage `parquet:"usage" json:"usage"`
	Feature   *string  `parquet:"feature,optional" json:"feature"`
	UserID    *string  `parquet:"user_id,optional" json:"user_id"`
	CostUSD   int64    `parquet:"cost_usd,decimal(6:12)" json:"-"`
	Day       int32    `parquet:"day,date" json:"-"` // days since 1970-01-01
	Labels    []string `parquet:"labels,list" json:"labels"`
	LatencyMS int32    `parquet:"latency_ms" json:"latency_ms"`
}

type appLine struct {
	RequestTS string `json:"request_ts"`
	appRequest
	CostUSD json.Number `json:"cost_usd"`
	Day     string      `json:"day"`
}

func appRequests(dir string) error {
	n := func(v int64) *int64 { return &v }
	gen := func(ts time.Time, service, provider, model string, prompt, completion int64, cached *int64, feature, user string, costMicros int64) appRequest {
		r := appRequest{
			RequestTS: ts.UnixMicro(), Service: service, LLM: appLLM{provider, model},
			Usage: appUsage{prompt, completion, cached}, CostUSD: costMicros,
			Day: int32(ts.Unix() / 86400), Labels: []string{}, LatencyMS: 640,
		}
		if feature != "" {
			r.Feature = &feature
		}
		if user != "" {
			r.UserID = &user
		}
		return r
	}
	rows := []appRequest{
		gen(at(2, 9, 0, 0, 0), "search-api", "openai", "gpt-4o-mini", 1200, 80, n(1024), "search", "u_1", 120),
		gen(at(2, 10, 30, 0, 0), "search-api", "openai", "gpt-4o", 3000, 400, nil, "summaries", "u_2", 11500),
		gen(at(2, 11, 0, 0, 250000), "agent", "anthropic", "claude-haiku-4-5", 8000, 600, n(6000), "", "", 5200),
		gen(at(3, 8, 15, 0, 0), "agent", "anthropic", "claude-sonnet-4-5", 20000, 1500, n(16000), "agent", "u_1", 44000),
		gen(at(3, 17, 45, 0, 0), "search-api", "openai", "gpt-4o-mini", 900, 60, n(0), "search", "u_3", 200),
	}
	rows[1].Labels = []string{"beta"}
	rows[3].Labels = []string{"beta", "eu"}
	var lines []any
	for _, r := range rows {
		lines = append(lines, appLine{
			RequestTS: time.UnixMicro(r.RequestTS).UTC().Format(time.RFC3339Nano), appRequest: r,
			CostUSD: json.Number(fmt.Sprintf("%d.%06d", r.CostUSD/1e6, r.CostUSD%1e6)),
			Day:     time.Unix(int64(r.Day)*86400, 0).UTC().Format("2006-01-02"),
		})
	}
	if err := writeParquet(filepath.Join(dir, "app-requests.parquet"), rows, 2); err != nil {
		return err
	}
	return writeLines(filepath.Join(dir, "app-requests.ndjson"), lines)
}
