package ingest

import "strings"

// AWS Regions in billing data. Bedrock prices some models per Region
// (pricing-rules.md B1, B5), so records carry the Region a call was made
// from (record.Record.Region): an invocation log's region member, a Cost
// and Usage Report line item's usage-type prefix ("USE1-…"), its
// product_region_code column, or the Region of its resource ARN.

// regionByBillingCode maps the Region short codes that prefix AWS usage
// types to Region names, as AWS lists them in "AWS Region billing codes"
// (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html,
// whose example is the usage type APE1-USE1-AWS-In-Bytes; the same table
// for S3 usage types: https://docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html).
// eu-west-1's code is "EU", not "EUW1"; "EUW1", seen in third-party price
// list fixtures, is read as eu-west-1 too since no Region has that code.
var regionByBillingCode = map[string]string{
	"USE1": "us-east-1", "USE2": "us-east-2", "USW1": "us-west-1", "USW2": "us-west-2",
	"CAN1": "ca-central-1", "CAN2": "ca-west-1", "MXC1": "mx-central-1",
	"AFS1": "af-south-1",
	"APE1": "ap-east-1", "APE2": "ap-east-2",
	"APN1": "ap-northeast-1", "APN2": "ap-northeast-2", "APN3": "ap-northeast-3",
	"APS1": "ap-southeast-1", "APS2": "ap-southeast-2", "APS3": "ap-south-1", "APS4": "ap-southeast-3",
	"APS5": "ap-south-2", "APS6": "ap-southeast-4", "APS7": "ap-southeast-5", "APS8": "ap-southeast-6",
	"APS9": "ap-southeast-7",
	"EU":   "eu-west-1", "EUW1": "eu-west-1", "EUW2": "eu-west-2", "EUW3": "eu-west-3",
	"EUC1": "eu-central-1", "EUC2": "eu-central-2", "EUN1": "eu-north-1", "EUS1": "eu-south-1", "EUS2": "eu-south-2",
	"ILC1": "il-central-1", "MEC1": "me-central-1", "MES1": "me-south-1",
	"SAE1": "sa-east-1",
	"UGW1": "us-gov-west-1", "UGE1": "us-gov-east-1",
	"CNN1": "cn-north-1", "CNW1": "cn-northwest-1",
}

// regionName returns s as a lower-case AWS Region name ("us-east-1",
// "us-gov-west-1"), "" when s is not spelled like one: two letters, an
// optional "-gov", a word, and a number of one or two digits.
func regionName(s []byte) string {
	if !isRegionName(s) {
		return ""
	}
	return strings.ToLower(string(s))
}

// isRegionName is regionName's test, case-insensitive and without
// allocating.
func isRegionName(s []byte) bool {
	if len(s) < 9 || len(s) > 32 {
		return false
	}
	part, n := 0, 0 // part index, length of the current part
	letters := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	var lens [5]int
	gov := false
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '-' {
			if n == 0 || part >= 4 {
				return false
			}
			if part == 1 && n == 3 && s[i-3]|0x20 == 'g' && s[i-2]|0x20 == 'o' && s[i-1]|0x20 == 'v' && !gov {
				gov = true
			}
			lens[part] = n
			part++
			n = 0
			continue
		}
		n++
	}
	if gov && part == 4 {
		lens[1], lens[2] = lens[2], lens[3]
		part = 3
	}
	if part != 3 || lens[0] != 2 || lens[1] < 2 || lens[2] > 2 {
		return false
	}
	// Letters in the first two parts, digits in the last.
	digits := lens[2]
	for i, c := range s {
		switch {
		case i >= len(s)-digits:
			if c < '0' || c > '9' {
				return false
			}
		case c == '-':
		case !letters(c):
			return false
		}
	}
	return true
}

// arnRegion returns the Region field of an ARN ("arn:aws:bedrock:eu-west-1:…"),
// "" when there is none.
func arnRegion(arn []byte) string {
	if len(arn) < 4 || string(arn[:4]) != "arn:" {
		return ""
	}
	f := 0
	start := 0
	for i, c := range arn {
		if c != ':' {
			continue
		}
		f++
		if f == 3 {
			start = i + 1
		}
		if f == 4 {
			return regionName(arn[start:i])
		}
	}
	return ""
}

// region returns the Region a log names (its "region" member), interned
// when already in lower case (as AWS writes it), "" when not a Region.
func (p *parser) region(s []byte) string {
	if !isRegionName(s) {
		return ""
	}
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			return strings.ToLower(string(s))
		}
	}
	return p.intern(s)
}
