package tokenize

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
)

// chunkSize is CountReader's initial buffer size. A chunk is counted, the
// bytes after its last safe cut move to the front, and the buffer is
// filled again; it only grows when it holds no safe cut at all.
const chunkSize = 256 << 10

// CountReader returns the number of tokens c counts in everything r yields,
// reading it in chunks: memory stays at one chunk (256 KiB, more only for a
// stretch of text without a safe cut, see safeCut) whatever the input size.
// For this package's counters the result equals c.Count of the whole text
// (an Estimate scales the summed count once, at the end); a Counter from
// elsewhere sees chunks cut only after an ASCII letter, before an ASCII
// non-letter other than an apostrophe. It stops with ctx.Err() when ctx is
// cancelled.
func CountReader(ctx context.Context, r io.Reader, c Counter) (int64, error) {
	n, err := CountReaderAll(ctx, r, c)
	if err != nil {
		return 0, err
	}
	return n[0], nil
}

// CountReaderAll is CountReader for several counters in one pass over r;
// the counts are in the order of cs. Counters that share an encoding (an
// exact one and the estimates derived from it) count each chunk once.
func CountReaderAll(ctx context.Context, r io.Reader, cs ...Counter) ([]int64, error) {
	return countReader(ctx, r, cs, chunkSize)
}

func countReader(ctx context.Context, r io.Reader, cs []Counter, size int) ([]int64, error) {
	// Each counter is a base counter times a factor (1 when exact); jobs
	// count chunks, one per distinct encoding.
	type job struct {
		base  Counter
		total int64
	}
	var jobs []*job
	byEncoding := map[*Encoding]*job{}
	which := make([]*job, len(cs))
	factors := make([]float64, len(cs))
	legacy := false // r50k/p50k or a foreign counter: line-break cuts are not safe
	for i, c := range cs {
		base, factor := c, 1.0
		if est, ok := c.(*Estimate); ok {
			base, factor = est.Base, est.Factor
		}
		e, isEnc := base.(*Encoding)
		j := byEncoding[e]
		if !isEnc || j == nil {
			j = &job{base: base}
			jobs = append(jobs, j)
			if isEnc {
				byEncoding[e] = j
			}
			if !isEnc || e.name == R50kBase || e.name == P50kBase {
				legacy = true
			}
		}
		which[i], factors[i] = j, factor
	}
	count := func(b []byte) {
		for _, j := range jobs {
			j.total += int64(j.base.Count(b))
		}
	}

	buf := make([]byte, size)
	n, searched := 0, 1
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := io.ReadFull(r, buf[n:])
		n += m
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			count(buf[:n])
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		p := safeCut(buf[:n], searched, legacy)
		if p < 0 {
			// No safe cut yet: keep everything and read more. The cuts up
			// to n-1 have been checked; the next search starts at n.
			searched = n
			buf = append(buf, make([]byte, len(buf))...)
			continue
		}
		count(buf[:p])
		n = copy(buf, buf[p:n])
		searched = 1
	}
	out := make([]int64, len(cs))
	for i := range cs {
		out[i] = which[i].total
		if factors[i] != 1 {
			out[i] = int64(math.Round(float64(out[i]) * factors[i]))
		}
	}
	return out, nil
}

// safeCut returns the last offset p in [from, len(s)-1] where s can be cut
// so that counting s[:p] and s[p:] separately gives the count of s, or -1.
// Both encodings' patterns (split.go) look neither behind a match's start
// nor, at the two kinds of cut below, past p, so every piece is the same
// whether or not the text continues after p:
//
//   - after a letter, before an ASCII byte that is neither a letter nor an
//     apostrophe: the letter's piece ends at p (no pattern continues a
//     letter run with such a byte, and the contraction suffixes of o200k
//     need the apostrophe), and nothing matched before p reads past it;
//   - after "\n", before a printable ASCII byte other than '/': the piece
//     holding the newline ends at p (only whitespace, [\r\n] and, in
//     o200k, '/' can follow it in a piece), and the lookahead (?!\S) is
//     never tried there because \s*[\r\n]+ matches first. This one is not
//     safe for r50k/p50k (legacy), whose \s+(?!\S) would match differently.
//
// Both are ASCII, so no UTF-8 sequence is split. TestChunkedCount and the
// fuzz test check the claim against whole-text counts.
func safeCut(s []byte, from int, legacy bool) int {
	for p := len(s) - 1; p >= from && p > 0; p-- {
		a, b := s[p-1], s[p]
		if b >= 0x80 {
			continue
		}
		if isASCIILetter(a) && !isASCIILetter(b) && b != '\'' {
			return p
		}
		if !legacy && a == '\n' && b > ' ' && b < 0x7f && b != '/' {
			return p
		}
	}
	return -1
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }
