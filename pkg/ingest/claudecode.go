package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/llmcost/llmcost/pkg/ingest/internal/jsonx"
	"github.com/llmcost/llmcost/pkg/record"
)

// Claude Code session transcripts (shared/formats/claude-code.md): one JSON
// object a line, under <config dir>/projects/<encoded cwd>/<sessionId>.jsonl
// and, in newer versions, <sessionId>/subagents/agent-<id>.jsonl. Only
// assistant lines carry usage: the Anthropic Messages usage object of the
// API response, in message.usage. Every other line (user turns, tool
// results, summaries, snapshots, …) is well-formed but not a call.
//
// How a line becomes a record:
//
//   - Claude Code writes one assistant line per content block of a response,
//     each repeating the usage, so the dedup key is the response's
//     message.id: a message id names one API response, billed once. Keying
//     on the message id alone (rather than message.id + requestId) also drops
//     the /btw sidechain replays, which copy a parent message with a new
//     requestId (ccusage issue #913), wherever they are read. A line without
//     message.id is keyed on its requestId; a line with neither cannot be
//     deduplicated and counts as is.
//   - Run counts the first line read of a call. Claude Code 2.1 writes
//     streaming snapshots whose output_tokens grow until the last line of
//     the response, so counting the first one under-counts output (ccusage
//     keeps the largest copy). Fixing that needs Run to keep the largest of
//     the copies it sees (testdata/ingest/claude-code/valid.jsonl lines
//     11-12 show the case).
//   - <synthetic> messages (generated locally) and isApiErrorMessage lines
//     are not billed. An assistant line without usage is a record without
//     usage (counted, not priced).
//   - Time is the line's timestamp; Provider "anthropic"; the tier is
//     usage.service_tier. usage.speed "fast" (fast mode, billed at a
//     multiple of the list price) makes the model "<model>-fast", which the
//     catalog does not price: such calls are reported as unpriced rather than
//     priced at the standard rate (add them with --pricing-file).
//   - ConversationID is sessionId; Project is the line's cwd, the real
//     working directory (the directory name under projects/ is a lossy
//     encoding of it, and a parser sees lines, not paths); gitBranch becomes
//     the tag git_branch. There is no user: a transcript is one person's.
//   - type "progress" lines of older 2.x versions embed a subagent's
//     assistant line in data.message (agent_progress); it is parsed like a
//     line of its own, deduplicated against the subagent's transcript.
//   - A line is read once, and no further than needed: the walk stops at a
//     type that is never billed (user, system, summary, …) or a message
//     whose role is user, without reading the rest (the tool results, most
//     of a transcript's bytes). Such a line is not validated past that
//     point: a truncated user line counts as not billed, not as malformed.

// errStopWalk ends a walk early once the line is known not to be a call.
var errStopWalk = errors.New("stop")

// ccLine is what one walk over a Claude Code line keeps: raw values,
// pointing into the line. The message object is walked in the same pass,
// so its content (the bulk of an assistant line) is skipped only once.
type ccLine struct {
	typ, req, ts, session, cwd, branch, data []byte
	// message members (speed is usage.speed); msg is the raw message when
	// it is not an object.
	model, id, usage, speed, msg []byte
	hasMsg                       bool
	apiError                     bool
	// marker is set by a member only Claude Code lines have.
	marker bool
	// user is set when the walk stopped at a line that is not a call.
	user bool
}

// ccNotBilled are line types that never carry usage.
func ccNotBilled(t []byte) bool {
	switch string(t) {
	case `"user"`, `"system"`, `"summary"`, `"file-history-snapshot"`, `"queue-operation"`,
		`"last-prompt"`, `"custom-title"`, `"tag"`, `"attachment"`, `"permission-mode"`:
		return true
	}
	return false
}

// walk reads the members of the object line. It stops as soon as the line
// is known not to be a call (a user, system, summary … type, or a message
// whose role is user) without reading, or validating, the rest: for user
// lines that rest is the tool results, most of a transcript's bytes.
func (c *ccLine) walk(line []byte) error {
	end, err := objectAt(line, 0, func(k []byte, vs int) (int, error) {
		switch string(k) {
		case "type":
			ve, err := jsonx.SkipValue(line, vs)
			if err != nil {
				return 0, err
			}
			c.typ = line[vs:ve]
			if ccNotBilled(c.typ) {
				c.marker, c.user = true, true
				return 0, errStopWalk
			}
			return ve, nil
		case "message":
			c.hasMsg = true
			if line[vs] != '{' {
				ve, err := jsonx.SkipValue(line, vs)
				if err != nil {
					return 0, err
				}
				c.msg = line[vs:ve]
				return ve, nil
			}
			return objectAt(line, vs, func(k []byte, vs int) (int, error) {
				if string(k) == "usage" && line[vs] == '{' {
					// Walked here rather than skipped, to find speed in
					// the same pass.
					ve, err := objectAt(line, vs, func(k []byte, vs int) (int, error) {
						ve, err := jsonx.SkipValue(line, vs)
						if err == nil && string(k) == "speed" {
							c.speed = line[vs:ve]
						}
						return ve, err
					})
					if err != nil {
						return 0, err
					}
					c.usage = line[vs:ve]
					return ve, nil
				}
				ve, err := jsonx.SkipValue(line, vs)
				if err != nil {
					return 0, err
				}
				switch v := line[vs:ve]; string(k) {
				case "model":
					c.model = v
				case "id":
					c.id = v
				case "usage":
					c.usage = v
				case "role":
					if string(v) == `"user"` {
						c.marker, c.user = true, true
						return 0, errStopWalk
					}
				}
				return ve, nil
			})
		}
		ve, err := jsonx.SkipValue(line, vs)
		if err != nil {
			return 0, err
		}
		switch v := line[vs:ve]; string(k) {
		case "data":
			c.data = v
		case "requestId":
			c.req, c.marker = v, true
		case "sessionId":
			c.session = v
		case "timestamp":
			c.ts = v
		case "cwd":
			c.cwd, c.marker = v, true
		case "gitBranch":
			c.branch, c.marker = v, true
		case "isApiErrorMessage":
			c.apiError, c.marker = string(v) == "true", true
		case "uuid", "parentUuid", "leafUuid", "isSidechain", "userType", "agentId", "version", "messageId":
			c.marker = true
		}
		return ve, nil
	})
	if err == errStopWalk {
		return nil
	}
	if err != nil {
		return err
	}
	if i := jsonx.SkipSpace(line, end); i != len(line) {
		return &jsonx.SyntaxError{Offset: i, Msg: "unexpected data after value"}
	}
	return nil
}

func parseClaudeCode(p *parser, line []byte, rec *record.Record) error {
	var c ccLine
	if err := c.walk(line); err != nil {
		return err
	}
	if c.user {
		return errNoRecord
	}
	if c.typ != nil && !jsonx.IsString(c.typ) {
		return fmt.Errorf("type: not a string")
	}
	// Raw values are compared quoted: Claude Code's line types hold no
	// escapes, and comparing needs no allocation.
	assistant := string(c.typ) == `"assistant"`
	if !c.marker && !(c.session != nil && c.hasMsg) && !assistant {
		return wrongShape("not a Claude Code transcript line")
	}
	switch {
	case assistant:
		if !c.hasMsg {
			return fmt.Errorf("message: missing on an assistant line")
		}
	case c.typ == nil && c.hasMsg: // early versions and ccusage fixtures have no type
	case string(c.typ) == `"progress"`:
		return p.ccProgress(&c, rec)
	default:
		return errNoRecord
	}
	return p.ccAssistant(&c, nil, rec)
}

// ccProgress handles a "progress" line: only agent_progress ones embed a
// billed (subagent) assistant line, in data.message.
func (p *parser) ccProgress(outer *ccLine, rec *record.Record) error {
	if jsonx.Kind(outer.data) != '{' {
		return errNoRecord
	}
	var typ, msg []byte
	err := jsonx.ObjectEach(outer.data, func(k, v []byte) error {
		switch string(k) {
		case "type":
			typ = v
		case "message":
			msg = v
		}
		return nil
	})
	if err != nil {
		return fieldErr("data", err)
	}
	if string(typ) != `"agent_progress"` || jsonx.Kind(msg) != '{' {
		return errNoRecord
	}
	var c ccLine
	if err := c.walk(msg); err != nil {
		return fieldErr("data.message", err)
	}
	if c.user || (c.typ != nil && string(c.typ) != `"assistant"`) || !c.hasMsg {
		return errNoRecord
	}
	return p.ccAssistant(&c, outer, rec)
}

// ccAssistant fills rec from an assistant line c; outer is the progress
// line it was embedded in, whose envelope fills what c lacks.
func (p *parser) ccAssistant(c *ccLine, outer *ccLine, rec *record.Record) error {
	if c.msg != nil {
		return fmt.Errorf("message: not an object")
	}
	if c.apiError {
		return errNoRecord // a locally generated error message
	}
	if outer != nil {
		if c.ts == nil {
			c.ts = outer.ts
		}
		if c.session == nil {
			c.session = outer.session
		}
		if c.cwd == nil {
			c.cwd = outer.cwd
		}
		if c.branch == nil {
			c.branch = outer.branch
		}
	}
	rec.Provider = "anthropic"
	var err error
	if rec.Model, err = p.ccStr("message.model", c.model); err != nil {
		return err
	}
	if rec.Model == "<synthetic>" {
		return errNoRecord
	}
	if usage := c.usage; usage != nil && !jsonx.IsNull(usage) {
		if jsonx.Kind(usage) != '{' {
			return fmt.Errorf("message.usage: not an object")
		}
		if err := p.anthropicUsage(usage, rec); err != nil {
			return err
		}
		if c.speed != nil && !jsonx.IsString(c.speed) && !jsonx.IsNull(c.speed) {
			return fmt.Errorf("usage.speed: not a string")
		}
		if string(c.speed) == `"fast"` && rec.Model != "" {
			rec.Model = p.ccFastModel(rec.Model)
		}
	}
	if rec.Time, err = ccTime(c.ts); err != nil {
		return err
	}
	if rec.ConversationID, err = p.ccStr("sessionId", c.session); err != nil {
		return err
	}
	if rec.Project, err = p.ccStr("cwd", c.cwd); err != nil {
		return err
	}
	b, err := p.ccStr("gitBranch", c.branch)
	if err != nil {
		return err
	}
	if b != "" {
		rec.Tags = append(rec.Tags, record.Tag{Key: "git_branch", Value: b})
	}
	rec.DedupKey, err = p.ccDedupKey(c.id, c.req, rec)
	return err
}

// ccStr decodes a string value (absent or null gives "") and interns it.
// It decodes into a stack buffer rather than p.scratch, which p.str may have
// left aliasing an earlier line's read buffer.
func (p *parser) ccStr(field string, v []byte) (string, error) {
	if v == nil || jsonx.IsNull(v) {
		return "", nil
	}
	var buf [256]byte
	b, err := jsonx.StringBytes(v, buf[:0])
	if err != nil {
		return "", fieldErr(field, err)
	}
	return p.intern(b), nil
}

// ccDedupKey hashes message.id, or requestId when there is none; 0 (no
// deduplication) when the line has neither.
func (p *parser) ccDedupKey(id, req []byte, rec *record.Record) (uint64, error) {
	var seed uint64
	raw, field := id, "message.id"
	if raw == nil || jsonx.IsNull(raw) || string(raw) == `""` {
		raw, field, seed = req, "requestId", 0x9e3779b97f4a7c15
	}
	if raw == nil || jsonx.IsNull(raw) || string(raw) == `""` {
		return 0, nil
	}
	var buf [128]byte
	b, err := jsonx.StringBytes(raw, buf[:0])
	if err != nil {
		return 0, fieldErr(field, err)
	}
	if p.keepIDs {
		rec.RequestID = string(b)
		if field == "message.id" && req != nil {
			if r, err := jsonx.String(req); err == nil && r != "" {
				rec.RequestID = r
			}
		}
	}
	k := xxhash.Sum64(b) ^ seed
	if k == 0 {
		k = 1
	}
	return k, nil
}

// ccFastModel returns model+"-fast", interned.
func (p *parser) ccFastModel(model string) string {
	var buf [128]byte
	return p.intern(append(append(buf[:0], model...), "-fast"...))
}

// ccTime parses the timestamp as Claude Code writes it,
// "2025-11-19T22:53:34.908Z", without allocating; other spellings go through
// anyTime. A missing timestamp gives the zero time.
func ccTime(v []byte) (time.Time, error) {
	if v == nil {
		return time.Time{}, nil
	}
	if len(v) == 26 && v[0] == '"' && v[25] == '"' {
		s := v[1:25]
		if s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[23] == 'Z' {
			y, ok1 := digits(s[0:4])
			mo, ok2 := digits(s[5:7])
			d, ok3 := digits(s[8:10])
			h, ok4 := digits(s[11:13])
			mi, ok5 := digits(s[14:16])
			sec, ok6 := digits(s[17:19])
			ms, ok7 := digits(s[20:23])
			if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && y >= 1 && mo >= 1 && mo <= 12 &&
				d >= 1 && d <= daysIn(mo, y) && h < 24 && mi < 60 && sec < 60 {
				days := daysFromCivil(y, mo, d)
				unix := days*86400 + int64(h*3600+mi*60+sec)
				return time.Unix(unix, int64(ms)*1e6).UTC(), nil
			}
		}
	}
	return anyTime("timestamp", v)
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date with y >= 1 (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// ClaudeCodeDirs returns the projects/ directories to read for
// `analyze --claude-code`. dirs are the directories the user named (config
// directories holding projects/, or projects/ directories themselves); when
// there are none, the default location is used: every entry of the
// comma-separated $CLAUDE_CONFIG_DIR, else $XDG_CONFIG_HOME/claude (or
// ~/.config/claude) and ~/.claude, as Claude Code and ccusage use them. A
// named directory that holds no projects/ is an error; default ones are
// skipped when absent, but finding none is an error. getenv is the
// environment.
func ClaudeCodeDirs(dirs []string, getenv func(string) string) ([]string, error) {
	home := getenv("HOME")
	if home == "" {
		home = getenv("USERPROFILE")
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if c := filepath.Clean(p); !seen[c] {
			seen[c] = true
			out = append(out, p)
		}
	}
	if len(dirs) > 0 {
		for _, d := range dirs {
			p, ok := projectsDir(expandHome(d, home))
			if !ok {
				return nil, fmt.Errorf("--claude-code %s: no Claude Code projects/ directory there (give a config directory such as ~/.claude, or its projects/ directory)", d)
			}
			add(p)
		}
		return out, nil
	}
	if env := getenv("CLAUDE_CONFIG_DIR"); strings.TrimSpace(env) != "" {
		for _, d := range strings.Split(env, ",") {
			if d = strings.TrimSpace(d); d == "" {
				continue
			}
			if p, ok := projectsDir(expandHome(d, home)); ok {
				add(p)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("no Claude Code projects/ directory in CLAUDE_CONFIG_DIR=%s (each entry is a config directory holding projects/, or a projects/ directory)", env)
		}
		return out, nil
	}
	var tried []string
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	var candidates []string
	if xdg != "" {
		candidates = append(candidates, filepath.Join(xdg, "claude"))
	}
	if home != "" {
		candidates = append(candidates, filepath.Join(home, ".claude"))
	}
	for _, d := range candidates {
		tried = append(tried, filepath.Join(d, "projects"))
		if p, ok := projectsDir(d); ok {
			add(p)
		}
	}
	if len(out) == 0 {
		if len(tried) == 0 {
			return nil, errors.New("no Claude Code logs: HOME is not set (set CLAUDE_CONFIG_DIR or pass --claude-code=<dir>)")
		}
		return nil, fmt.Errorf("no Claude Code logs in %s (set CLAUDE_CONFIG_DIR or pass --claude-code=<dir>)", strings.Join(tried, " or "))
	}
	return out, nil
}

func expandHome(p, home string) string {
	if home == "" {
		return p
	}
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return filepath.Join(home, p[2:])
	}
	return p
}

// projectsDir returns d/projects, or d itself when it is a directory named
// projects.
func projectsDir(d string) (string, bool) {
	if filepath.Base(filepath.Clean(d)) == "projects" && isDir(d) {
		return d, true
	}
	p := filepath.Join(d, "projects")
	return p, isDir(p)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// ClaudeCodeFiles returns every *.jsonl file under the projects/ directories,
// sorted: session transcripts and, nested under a session's directory, its
// subagents' transcripts. Other files (*.meta.json, images) are left out.
func ClaudeCodeFiles(projects []string) ([]string, error) {
	var files []string
	for _, dir := range projects {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".jsonl") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", dir, err)
		}
	}
	sort.Strings(files)
	return files, nil
}

func init() {
	register(&Format{
		ID:          "claude-code",
		Description: "Claude Code session transcripts (~/.claude/projects/…/*.jsonl); one call per message id",
		Order:       40,
		parse:       parseClaudeCode,
		sniff: func(s *shape) bool {
			switch {
			case s.has("sessionId") && s.hasAny("uuid", "parentUuid", "requestId", "isSidechain", "userType", "cwd", "message"):
				return true
			case s.has("uuid") && s.hasAny("parentUuid", "isSidechain") && s.typ != "":
				return true
			case s.typ == "summary" && s.has("leafUuid"), s.typ == "file-history-snapshot" && s.hasAny("snapshot", "messageId"):
				return true
			case s.has("agentId", "type"): // workflow journals next to subagent transcripts
				return true
			}
			return false
		},
	})
}
