package breakeven

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llmcost/llmcost/pkg/gpu"
	"github.com/llmcost/llmcost/pkg/internal/numfmt"
	"github.com/llmcost/llmcost/pkg/report"
)

// Render writes doc in format (table, json, csv, markdown or html).
func Render(w io.Writer, doc *Doc, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(doc)
	case "csv":
		return renderCSV(w, doc)
	case "markdown":
		return renderText(w, doc, true)
	case report.HTMLFormat:
		return report.WritePage(w, HTMLPage(doc))
	}
	return renderText(w, doc, false)
}

// CSVHeader is the header of --format csv: one flat table, section names
// the part (monthly, break_even, cheapest).
var CSVHeader = []string{"section", "kind", "option", "tokens", "cost_usd", "instances", "utilization", "per_1m_usd", "api_provider", "api_model_id", "never", "first_tokens", "always_tokens"}

func renderCSV(w io.Writer, doc *Doc) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVHeader)
	for _, a := range doc.API {
		for _, m := range a.Monthly {
			_ = cw.Write([]string{"monthly", "api", apiName(a), i64(m.Tokens), m.CostUSD.String(), "", "", a.Per1M.String(), a.Provider, a.ModelID, "", "", ""})
		}
	}
	for _, s := range doc.SelfHost {
		for _, m := range s.Monthly {
			_ = cw.Write([]string{"monthly", "self_host", s.Label, i64(m.Tokens), m.CostUSD.String(), strconv.Itoa(m.Instances),
				strconv.FormatFloat(m.Utilization, 'f', -1, 64), s.Per1M.String(), "", "", "", "", ""})
		}
	}
	for _, s := range doc.SelfHost {
		for _, b := range s.BreakEven {
			first, always := "", ""
			if !b.Never {
				first, always = i64(b.FirstTokens), i64(b.AlwaysTokens)
			}
			_ = cw.Write([]string{"break_even", "self_host", s.Label, "", "", "", "", s.Per1M.String(), b.APIProvider, b.APIModel,
				strconv.FormatBool(b.Never), first, always})
		}
	}
	for _, c := range doc.Cheapest {
		_ = cw.Write([]string{"cheapest", c.Kind, c.Option, i64(c.Tokens), c.CostUSD.String(), "", "", "", "", "", "", "", ""})
	}
	cw.Flush()
	return cw.Error()
}

func apiName(a DocAPI) string { return a.Provider + " " + ShortID(a.ModelID) }

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// renderText writes the table (or, with md, markdown) report.
func renderText(w io.Writer, doc *Doc, md bool) error {
	p := &printer{w: w, md: md}
	p.heading(fmt.Sprintf("%s (%s): self-hosting vs API prices at %s", doc.Model.Name, doc.Model.Alias, doc.At))
	wl := doc.Workload
	lat := "no latency target (maximum throughput)"
	if wl.LatencyTargetMs > 0 {
		lat = fmt.Sprintf("latency target %s ms per output token", trimFloat(wl.LatencyTargetMs))
	}
	p.line(fmt.Sprintf("Workload: %s input + %s output tokens per request; %s; KV cache %s.",
		numfmt.Int(int64(wl.InputTokens)), numfmt.Int(int64(wl.OutputTokens)), lat, wl.KVCache))
	sz := doc.Sizing
	price := "on-demand list prices"
	if sz.Discount > 0 {
		price = fmt.Sprintf("on-demand list prices less %s%%", trimFloat(sz.Discount*100))
	}
	if sz.PricePerHour != nil {
		price = fmt.Sprintf("$%s an hour (--price-per-hour)", sz.PricePerHour.String())
		if sz.Discount > 0 {
			price += fmt.Sprintf(" less %s%%", trimFloat(sz.Discount*100))
		}
	}
	p.line(fmt.Sprintf("Sizing: whole instances for the peak hour (%s× the mean hour) at %s%% of modelled throughput, so at most %s%% mean utilisation; %s h a day (%s h a month); %s.",
		trimFloat(sz.PeakFactor), trimFloat(sz.Utilization*100), trimFloat(round(sz.MeanUtilization*100, 1)), trimFloat(sz.HoursPerDay), trimFloat(sz.HoursPerMonth), price))
	p.blank()

	// Monthly cost table.
	p.line("Monthly cost in USD by monthly volume (input + output tokens); self-hosted: (instances).")
	if err := p.table(monthlyTable(doc)); err != nil {
		return err
	}
	if len(doc.SelfHost) == 0 {
		p.line("No self-hosted option fits: see the reasons below.")
	}

	// Break-even table.
	if len(doc.SelfHost) > 0 && len(doc.API) > 0 {
		p.blank()
		p.line("Break-even monthly volume: self-hosting costs no more than the API from there (\"; always ≥ X\": with whole instances it then wins only part of the time until X).")
		if err := p.table(breakEvenTable(doc)); err != nil {
			return err
		}
	}

	// The working.
	if len(doc.SelfHost) > 0 {
		p.blank()
		p.line("How each self-hosted option was sized:")
		for _, s := range doc.SelfHost {
			gpus := fmt.Sprintf("%d× %s", s.GPUCount, s.GPU)
			rep := fmt.Sprintf("tensor parallel %d", s.TP)
			if s.Replicas > 1 {
				rep += fmt.Sprintf(" × %d replicas", s.Replicas)
			}
			over := ""
			if s.PriceOverridden {
				over = " (--price-per-hour)"
			}
			p.item(fmt.Sprintf("%s: %s, %s, %s weights %.1f GiB per GPU, %.1f GiB per GPU left for the %s KV cache; batch %d per replica at %s ms per output token (limited by %s; GEMMs %s-bound); %s tokens/s (%s output) per instance; one instance serves %s tokens a month at this sizing; $%s an hour%s, $%s a month per instance, $%s per 1M tokens. Price: %s, %s, %s.",
				s.Label, gpus, rep, s.Precision, s.WeightsGiBPerGPU, s.KVFreeGiBPerGPU, s.KVCache, s.BatchPerReplica, trimFloat(s.TPOTMs),
				s.LimitedBy, s.Bound, numfmt.Int(int64(s.TokensPerSecond+0.5)), numfmt.Int(int64(s.OutputTokensPerSecond+0.5)),
				gpu.FormatTokens(float64(s.TokensPerInstanceMonth)), usd(s.HourlyUSD.Decimal, 4), over, usd(s.MonthlyUSD.Decimal, 2), usd(s.Per1M.Decimal, 3),
				s.Region, s.PriceDate, s.PriceSource))
			for _, n := range s.Notes {
				p.item("  note: " + n)
			}
		}
	}
	if len(doc.NotFitting) > 0 {
		p.blank()
		p.line("Does not fit:")
		for _, nf := range doc.NotFitting {
			p.item(fmt.Sprintf("%s %s: %s", nf.Provider, nf.Instance, strings.Join(nf.Reasons, "; ")))
		}
	}
	p.blank()
	p.line("Sources:")
	for _, a := range doc.API {
		p.item(fmt.Sprintf("%s: $%s input, $%s output per 1M (%s)", apiName(a), a.InputPer1M.String(), a.OutputPer1M.String(), a.Source))
	}
	p.item(fmt.Sprintf("model %s: %s B parameters, %s B active per token (%s)", doc.Model.Spec, trimFloat(doc.Model.ParamsB), trimFloat(doc.Model.ActiveParamsB), doc.Model.Source))
	seen := map[string]bool{}
	for _, s := range doc.SelfHost {
		if !seen[s.GPU] && s.GPUSource != "" {
			seen[s.GPU] = true
			p.item(fmt.Sprintf("GPU %s: %s", s.GPU, s.GPUSource))
		}
	}
	p.item(doc.Calibration)
	p.blank()
	p.line(doc.Caveat)
	return p.err
}

// monthlyTable is the monthly cost of each option at each volume, and the
// cheapest option at each volume.
func monthlyTable(doc *Doc) (header []string, rows [][]string, textCols int) {
	header = []string{"option", "$ per 1M"}
	for _, v := range doc.Volumes {
		header = append(header, gpu.FormatTokens(float64(v)))
	}
	for _, a := range doc.API {
		r := []string{"api " + apiName(a), usd(a.Per1M.Decimal, 3)}
		for _, m := range a.Monthly {
			r = append(r, usd(m.CostUSD.Decimal, 2))
		}
		rows = append(rows, r)
	}
	for _, s := range doc.SelfHost {
		r := []string{"self " + s.Label, usd(s.Per1M.Decimal, 3)}
		for _, m := range s.Monthly {
			r = append(r, fmt.Sprintf("%s (%d)", usd(m.CostUSD.Decimal, 0), m.Instances))
		}
		rows = append(rows, r)
	}
	if len(doc.Cheapest) > 0 {
		r := []string{"cheapest", ""}
		for _, v := range doc.Volumes {
			cell := "-"
			for _, c := range doc.Cheapest {
				if c.Tokens == v {
					cell = shortOption(c)
				}
			}
			r = append(r, cell)
		}
		rows = append(rows, r)
	}
	return header, rows, 1
}

// breakEvenTable is the break-even volume of each self-hosted option
// against each API offer.
func breakEvenTable(doc *Doc) (header []string, rows [][]string, textCols int) {
	header = []string{"self-hosted option"}
	for _, a := range doc.API {
		header = append(header, a.Provider+" $"+usd(a.Per1M.Decimal, 3))
	}
	for _, s := range doc.SelfHost {
		r := []string{s.Label}
		for _, b := range s.BreakEven {
			r = append(r, breakEvenCell(b))
		}
		rows = append(rows, r)
	}
	return header, rows, 1
}

type printer struct {
	w   io.Writer
	md  bool
	err error
}

func (p *printer) write(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s)
	}
}

func (p *printer) heading(s string) {
	if p.md {
		p.write("### " + s + "\n\n")
		return
	}
	p.write(s + "\n")
}

func (p *printer) line(s string) {
	if p.md {
		p.write(s + "\n\n")
		return
	}
	p.write(s + "\n")
}

func (p *printer) item(s string) {
	if p.md {
		p.write("- " + strings.TrimSpace(s) + "\n")
		return
	}
	p.write("  " + s + "\n")
}

func (p *printer) blank() {
	if !p.md {
		p.write("\n")
	}
}

func (p *printer) table(header []string, rows [][]string, textCols int) error {
	if p.err != nil {
		return p.err
	}
	if p.md {
		p.write("| " + strings.Join(header, " | ") + " |\n|")
		for i := range header {
			if i < textCols {
				p.write("---|")
			} else {
				p.write("---:|")
			}
		}
		p.write("\n")
		for _, r := range rows {
			p.write("| " + strings.Join(r, " | ") + " |\n")
		}
		p.write("\n")
		return p.err
	}
	return report.WriteTable(p.w, header, rows, textCols)
}

func breakEvenCell(b DocBreakEven) string {
	if b.Never {
		return "never"
	}
	s := gpu.FormatTokens(float64(b.FirstTokens))
	if b.AlwaysTokens > b.FirstTokens+b.FirstTokens/1000 {
		s += "; always ≥ " + gpu.FormatTokens(float64(b.AlwaysTokens))
	}
	return s
}

func shortOption(c DocCheapest) string {
	f := strings.Fields(c.Option)
	if c.Kind == "api" && len(f) > 0 {
		return "api " + f[0]
	}
	if len(f) >= 3 {
		return f[1] + " " + f[2]
	}
	return c.Option
}

// usd formats an amount with thousands separators and places decimals.
func usd(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(intPart, 10, 64)
	out := numfmt.Int(n)
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func trimFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
