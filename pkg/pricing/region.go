package pricing

import "strings"

// AWS Regions. Bedrock prices some models per Region (pricing-rules.md
// B1, B5): a call is priced at the rates of the Region it was made from —
// for cross-Region inference, the source Region, not the one that ran it.
// Catalog windows list such rates under Price.Regions.

// IsRegion reports whether s is spelled like an AWS Region name in lower
// case: "us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5".
func IsRegion(s string) bool {
	return reAWSRegion.MatchString(s)
}

// NormalizeRegion returns s as a catalog Region key (trimmed, lower case),
// or "" when s is not spelled like an AWS Region.
func NormalizeRegion(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !IsRegion(s) {
		return ""
	}
	return s
}

// RegionOf returns the AWS Region a model string names, "" when it names
// none: the Region field of a Bedrock ARN
// ("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.…") or a
// LiteLLM-style route ("bedrock/eu-west-1/meta.llama3-…"). For an
// inference-profile ARN this is the Region the profile was called in, the
// source Region that prices the call.
func RegionOf(model string) string {
	s := strings.TrimSpace(model)
	if len(s) > 512 {
		return ""
	}
	if len(s) > 4 && strings.EqualFold(s[:4], "arn:") {
		parts := strings.SplitN(s, ":", 5)
		if len(parts) == 5 && strings.EqualFold(parts[2], "bedrock") {
			return NormalizeRegion(parts[3])
		}
		return ""
	}
	// A route: the Region is one of the words before the model id.
	for {
		i := strings.IndexByte(s, '/')
		if i <= 0 {
			return ""
		}
		if r := NormalizeRegion(s[:i]); r != "" {
			return r
		}
		s = s[i+1:]
	}
}
