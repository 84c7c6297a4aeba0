// Package numfmt formats numbers for people, the same way in every report.
package numfmt

import "strconv"

// Int writes n with a comma between groups of three digits: 1,234,567.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	b := make([]byte, 0, len(s)+len(s)/3+1)
	b = append(b, sign...)
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
