package pricing

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestRegionOf(t *testing.T) {
	for _, tt := range []struct{ model, want string }{
		{"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "eu-west-1"},
		{"arn:aws:bedrock:us-gov-west-1::foundation-model/meta.llama3-70b-instruct-v1:0", "us-gov-west-1"},
		{"ARN:AWS:BEDROCK:AP-SOUTH-1::foundation-model/x", "ap-south-1"},
		{"arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123", "us-west-2"},
		{"arn:aws:sagemaker:us-east-1:1:endpoint/x", ""},
		{"arn:aws:bedrock::123:x", ""},
		{"bedrock/eu-west-1/meta.llama3-70b-instruct-v1:0", "eu-west-1"},
		{"bedrock/converse/ap-southeast-12/x", "ap-southeast-12"},
		{"meta.llama3-70b-instruct-v1:0", ""},
		{"openai/gpt-4o", ""},
		{"", ""},
	} {
		if got := RegionOf(tt.model); got != tt.want {
			t.Errorf("RegionOf(%q) = %q, want %q", tt.model, got, tt.want)
		}
	}
	for _, s := range []string{"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5"} {
		if !IsRegion(s) || NormalizeRegion(" "+strings.ToUpper(s)+" ") != s {
			t.Errorf("%s: not a Region", s)
		}
	}
	for _, s := range []string{"", "global", "us", "USE1", "us-east", "us-east-1a", "eu_west_1"} {
		if IsRegion(s) || NormalizeRegion(s) != "" {
			t.Errorf("%q taken for a Region", s)
		}
	}
}

// A hand-written file with per-Region prices, as pricing-data/README.md
// documents them: the Region's rates, the default Region's, and the
// default standing in for a Region the window does not list.
const regionFile = `{"schema_version":1,"provider":"bedrock","models":[
 {"id":"meta.llama3-70b-instruct-v1:0","prices":[{"input_per_1m":"2.65","output_per_1m":"3.5",
  "batch":{"input_per_1m":"1.325","output_per_1m":"1.75"},
  "default_region":"us-east-1",
  "regions":{"eu-west-1":{"input_per_1m":"2.86","output_per_1m":"3.78","batch":{"input_per_1m":"1.43","output_per_1m":"1.89"},"source":"test"},
             "EU-WEST-2":{"input_per_1m":"3.45","output_per_1m":"4.55"}}}]},
 {"id":"m-long","prices":[{"input_per_1m":"3","output_per_1m":"15",
  "long_context":{"above_input_tokens":200000,"input_per_1m":"6","output_per_1m":"22.5"},
  "regions":{"us-gov-west-1":{"input_per_1m":"3.6","output_per_1m":"18","long_context":{"input_per_1m":"7.2","output_per_1m":"27"}}}}]}]}`

func TestRegionPrices(t *testing.T) {
	c, err := Load(fstest.MapFS{"b.json": {Data: []byte(regionFile)}})
	if err != nil {
		t.Fatal(err)
	}
	p := &c.Lookup("meta.llama3-70b-instruct-v1:0").Prices[0]
	for _, tt := range []struct {
		region string
		want   string
		batch  string
		known  bool
	}{
		{"eu-west-1", "2.86/3.78/2.86/2.86/2.86", "1.43/1.89/1.43/1.43/1.43", true},
		{"eu-west-2", "3.45/4.55/3.45/3.45/3.45", "", true}, // keys are lower-cased; no batch listed there
		{"us-east-1", "2.65/3.5/2.65/2.65/2.65", "1.325/1.75/1.325/1.325/1.325", true},
		{"sa-east-1", "2.65/3.5/2.65/2.65/2.65", "1.325/1.75/1.325/1.325/1.325", false},
		{"", "2.65/3.5/2.65/2.65/2.65", "1.325/1.75/1.325/1.325/1.325", false},
	} {
		b, known := p.BandFor(tt.region, false)
		assertRates(t, tt.region, b.Standard, tt.want)
		if tt.batch == "" {
			if b.Batch != nil {
				t.Errorf("%s: batch %v, want none", tt.region, *b.Batch)
			}
		} else if b.Batch == nil {
			t.Errorf("%s: no batch", tt.region)
		} else {
			assertRates(t, tt.region+" batch", *b.Batch, tt.batch)
		}
		if known != tt.known {
			t.Errorf("%s: known %v, want %v", tt.region, known, tt.known)
		}
	}
	lp := &c.Lookup("m-long").Prices[0]
	b, known := lp.BandFor("us-gov-west-1", true)
	assertRates(t, "gov long", b.Standard, "7.2/27/7.2/7.2/7.2")
	if !known {
		t.Error("gov long: unknown")
	}
	// No default_region: every Region not listed is unknown.
	if _, known := lp.BandFor("us-east-1", true); known {
		t.Error("us-east-1 known without a default_region")
	}
	// A window without Regions has one price everywhere.
	one, err := Load(fstest.MapFS{"a.json": {Data: []byte(`{"schema_version":1,"provider":"p","models":[{"id":"m","prices":[{"input_per_1m":"1","output_per_1m":"2"}]}]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, known := one.Lookup("m").Prices[0].BandFor("eu-west-1", false); !known {
		t.Error("a single price is known in every Region")
	}

	// Round trip through the file format.
	f := ToFile(ProviderBedrock, c.Models())
	dc := make(decCache)
	for i := range f.Models {
		m2, err := dc.model(ProviderBedrock, &f.Models[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := m2.Validate(); err != nil {
			t.Fatal(err)
		}
		m := c.Models()[i]
		for r, rb := range m.Prices[0].Regions {
			rb2 := m2.Prices[0].Regions[r]
			if rb2 == nil || !rb2.Base.Standard.Equal(rb.Base.Standard) || (rb.LongContext == nil) != (rb2.LongContext == nil) || rb2.Source != rb.Source {
				t.Errorf("%s %s: round trip changed the Region", m.ID, r)
			}
		}
		if m2.Prices[0].DefaultRegion != m.Prices[0].DefaultRegion {
			t.Errorf("%s: default Region %q, want %q", m.ID, m2.Prices[0].DefaultRegion, m.Prices[0].DefaultRegion)
		}
	}
}

func TestRegionErrors(t *testing.T) {
	for _, tt := range []struct{ name, price, want string }{
		{"bad name", `"regions":{"Ireland":{"input_per_1m":"1","output_per_1m":"2"}}`, `regions: "ireland" is not an AWS Region name`},
		{"bad default", `"default_region":"USE1"`, `default_region "use1" is not an AWS Region name`},
		{"negative", `"regions":{"eu-west-1":{"input_per_1m":"-1","output_per_1m":"2"}}`, "regions eu-west-1: input is negative"},
		{"cache read", `"regions":{"eu-west-1":{"input_per_1m":"1","output_per_1m":"2","cache_read_per_1m":"3"}}`, "regions eu-west-1: cache_read 3 exceeds input 1"},
		{"batch", `"regions":{"eu-west-1":{"input_per_1m":"1","output_per_1m":"2","batch":{"input_per_1m":"2","output_per_1m":"1"}}}`, "regions eu-west-1: batch input 2 exceeds standard 1"},
		{"missing long", `"long_context":{"above_input_tokens":10,"input_per_1m":"2","output_per_1m":"3"},"regions":{"eu-west-1":{"input_per_1m":"1","output_per_1m":"2"}}`, "regions eu-west-1: long_context missing"},
		{"stray long", `"regions":{"eu-west-1":{"input_per_1m":"1","output_per_1m":"2","long_context":{"input_per_1m":"2","output_per_1m":"3"}}}`, "the window has no long-context band"},
		{"no rates", `"regions":{"eu-west-1":null}`, "regions eu-west-1: no rates"},
		{"twice", `"regions":{"eu-west-1":{"input_per_1m":"1","output_per_1m":"2"},"EU-WEST-1":{"input_per_1m":"1","output_per_1m":"2"}}`, "eu-west-1 listed twice"},
		{"no output", `"regions":{"eu-west-1":{"input_per_1m":"1"}}`, "regions eu-west-1: output_per_1m missing"},
	} {
		file := `{"schema_version":1,"provider":"bedrock","models":[{"id":"m1","prices":[{"input_per_1m":"1","output_per_1m":"2",` + tt.price + `}]}]}`
		_, err := Load(fstest.MapFS{"bad.json": {Data: []byte(file)}})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "model m1") {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

// The embedded catalog's Region prices (pricing-data/bedrock.json, from
// LiteLLM's bedrock/<region>/… keys): known answers.
func TestEmbeddedRegionPrices(t *testing.T) {
	c := mustDefault(t)
	for _, tt := range []struct{ model, region, want string }{
		{"meta.llama3-70b-instruct-v1:0", "eu-west-1", "2.86/3.78/2.86/2.86/2.86"},
		{"meta.llama3-70b-instruct-v1:0", "us-east-1", "2.65/3.5/2.65/2.65/2.65"},
		{"deepseek.v3.2", "ap-south-1", "0.74/2.22/0.74/0.74/0.74"},
		{"us.deepseek.v3.2", "us-west-2", "0.62/1.85/0.62/0.62/0.62"},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-west-1", "3.6/18/0.36/4.5/7.2"},
		{"mistral.mistral-large-2402-v1:0", "eu-west-3", "10.4/31.2/10.4/10.4/10.4"},
	} {
		m, ok := c.Resolve("bedrock", tt.model)
		if !ok {
			t.Fatalf("%s not found", tt.model)
		}
		b, known := m.PriceAt(date("2026-03-01")).BandFor(tt.region, false)
		if !known {
			t.Errorf("%s in %s: no Region price", tt.model, tt.region)
		}
		assertRates(t, tt.model+" in "+tt.region, b.Standard, tt.want)
	}
}
