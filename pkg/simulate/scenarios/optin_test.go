package scenarios

import (
	"slices"
	"testing"
)

// Self-hosting runs only when named: never by default, nor under "all".
func TestOptIn(t *testing.T) {
	c := &Config{}
	for _, tt := range []struct {
		names []string
		want  []string
	}{
		{nil, Default()},
		{[]string{"all"}, Default()},
		{[]string{"selfhost"}, []string{"selfhost"}},
		{[]string{"all", "self-hosting"}, append(Default(), "selfhost")},
		{[]string{"batch", "gpu", "batch"}, []string{"batch", "selfhost"}},
	} {
		got, err := c.Names(tt.names)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Names(%v) = %v, %v; want %v", tt.names, got, err, tt.want)
		}
	}
	if slices.Contains(Default(), "selfhost") || !slices.Contains(Available, "selfhost") {
		t.Errorf("Default %v, Available %v", Default(), Available)
	}
	yc := &Config{Scenarios: []string{"routing", "selfhost"}}
	if got, err := yc.Names(nil); err != nil || !slices.Equal(got, []string{"routing", "selfhost"}) {
		t.Errorf("configuration's list: %v %v", got, err)
	}
}

// The example configuration's selfhost section and the self-hosting preset
// build.
func TestSelfhostConfigsBuild(t *testing.T) {
	for _, f := range []string{"../../../testdata/simulate/scenarios.yaml", "../../../testdata/simulate/presets/selfhost-llama.yaml"} {
		cfg, err := Load(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := cfg.Build([]string{"selfhost"}, catalog(t)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
