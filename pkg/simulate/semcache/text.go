package semcache

import (
	"unicode"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// Normalize appends the canonical form of src to dst: lower case, every run
// of characters that are neither letters nor digits (spaces, punctuation,
// symbols, invalid UTF-8) turned into one space, no space at either end.
// Two prompts that differ only in case, spacing or punctuation normalise to
// the same text. Normalize(Normalize(x)) == Normalize(x).
func Normalize(dst, src []byte) []byte {
	space := false // a separator is pending
	start := len(dst)
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				space = true
				continue
			}
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		i += n
		if r == utf8.RuneError && n == 1 || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = true
			continue
		}
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			// a few letters lower to a non-letter (none today, but the
			// output must be a fixed point of Normalize whatever the tables)
			space = true
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// Guard is what two prompts must share, whatever their similarity, for one
// to be answered with the other's answer: the numbers they contain, in
// order, their count of negations, and the order of their words when
// they have the same words. "Refund order 1234" is not "refund
// order 1235", and "is it safe" is not "is it not safe", however close the
// texts are.
type Guard struct {
	// Numbers hashes the sequence of numbers (digit runs, leading zeros
	// dropped, number words from two to trillion, Roman numerals from II),
	// 0 when there are none.
	Numbers uint64
	// Words hashes the multiset of words, Order their sequence (the
	// normalised text): the same words in another order ("from New York
	// to Florida", "from Florida to New York") are refused, since
	// character n-grams barely see word order.
	Words, Order uint64
	// Negations counts negation words (not, no, never, without, n't …).
	Negations uint16
}

// Reason says why a pair of prompts is not a cache hit.
type Reason uint8

const (
	// Accepted: similar enough, guards equal.
	Accepted Reason = iota
	// BelowThreshold: not similar enough.
	BelowThreshold
	// NumbersDiffer: a number differs (or is missing, or moved).
	NumbersDiffer
	// NegationDiffers: one prompt has more negations than the other.
	NegationDiffers
	// OrderDiffers: the same words in another order.
	OrderDiffers
	numReasons
)

// String names the reason for reports.
func (r Reason) String() string {
	switch r {
	case Accepted:
		return "accepted"
	case BelowThreshold:
		return "below the threshold"
	case NumbersDiffer:
		return "numbers differ"
	case NegationDiffers:
		return "negation differs"
	case OrderDiffers:
		return "same words, other order"
	}
	return "unknown"
}

// Check compares two guards: Accepted when they match, else the reason.
func (g Guard) Check(o Guard) Reason {
	if g.Numbers != o.Numbers {
		return NumbersDiffer
	}
	if g.Negations != o.Negations {
		return NegationDiffers
	}
	if g.Words == o.Words && g.Order != o.Order {
		return OrderDiffers
	}
	return Accepted
}

// numberWords map number words to the digits they stand for. "one" is
// left out: "which one" and "this one" are not counts.
var numberWords = map[string]string{
	"zero": "0", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
	"fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
	"nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
	"seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000",
	"million": "1000000", "billion": "1000000000", "trillion": "1000000000000", "dozen": "12",
	"half": "0.5", "twice": "x2", "double": "x2", "triple": "x3",
	// Roman numerals from II ("World War I" is not "World War II"); I, V
	// and X are left out (a pronoun, "v" for versus, a variable).
	"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11",
	"xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16", "xvii": "17", "xviii": "18",
	"xix": "19", "xx": "20",
}

// negations are words that flip a statement, in English and a few other
// languages; "n't" is found as a "t" after a word ending in n ("don t",
// once normalised).
var negations = map[string]bool{
	"not": true, "no": true, "never": true, "none": true, "nobody": true, "nothing": true,
	"neither": true, "nor": true, "nowhere": true, "without": true, "cannot": true, "cant": true,
	"dont": true, "doesnt": true, "didnt": true, "isnt": true, "arent": true, "wasnt": true,
	"werent": true, "wont": true, "wouldnt": true, "shouldnt": true, "couldnt": true,
	"hasnt": true, "havent": true, "hadnt": true, "mustnt": true, "neednt": true, "aint": true,
	"except": true, "excluding": true, "unless": true,
	// German, French, Spanish, Italian, Portuguese
	"nicht": true, "kein": true, "keine": true, "keinen": true, "keiner": true, "nie": true,
	"niemals": true, "ohne": true, "ne": true, "pas": true, "jamais": true, "sans": true,
	"aucun": true, "aucune": true, "nunca": true, "nada": true, "nadie": true, "sin": true,
	"ningun": true, "ninguno": true, "ninguna": true, "non": true, "mai": true, "senza": true,
	"nao": true, "não": true, "sem": true,
}

// GuardOf computes the guard of a normalised text (see Normalize).
func GuardOf(norm []byte) Guard {
	var g Guard
	h := xxhash.New()
	var digits []byte
	prevN := false // the previous word ends in n (for "n't")
	nums := 0
	for i := 0; i < len(norm); {
		j := i
		for j < len(norm) && norm[j] != ' ' {
			j++
		}
		w := norm[i:j]
		i = j + 1
		g.Words += mix(xxhash.Sum64(w))
		if d, ok := numberWords[string(w)]; ok {
			h.WriteString(d)
			h.WriteString(" ")
			nums++
		} else {
			// every digit run in the word: "gpt4o" holds 4, "3x2" 3 and 2
			for k := 0; k < len(w); {
				if w[k] < '0' || w[k] > '9' {
					k++
					continue
				}
				e := k
				for e < len(w) && w[e] >= '0' && w[e] <= '9' {
					e++
				}
				digits = append(digits[:0], w[k:e]...)
				for len(digits) > 1 && digits[0] == '0' {
					digits = digits[1:]
				}
				h.Write(digits)
				h.WriteString(" ")
				nums++
				k = e
			}
		}
		if negations[string(w)] || string(w) == "t" && prevN {
			if g.Negations < 1<<16-1 {
				g.Negations++
			}
		}
		prevN = len(w) > 1 && w[len(w)-1] == 'n'
	}
	if nums > 0 {
		g.Numbers = h.Sum64() | 1 // never 0, which means "no numbers"
	}
	g.Order = xxhash.Sum64(norm)
	return g
}

// grams appends the hash of every character n-gram of norm (a normalised
// text) to dst: windows of n runes over the text with a space added at
// both ends, so words' first and last letters make grams of their own. A
// text shorter than n runes (with its spaces) is one gram. scratch is
// reused for the padded text and returned.
func grams(dst []uint64, scratch, norm []byte, n int) ([]uint64, []byte) {
	if len(norm) == 0 {
		return dst, scratch
	}
	p := append(append(append(scratch[:0], ' '), norm...), ' ')
	// starts is a ring of the byte offsets of the last n rune starts
	var buf [16]int
	starts := buf[:]
	if n > len(buf) {
		starts = make([]int, n)
	}
	count := 0
	for i := 0; i < len(p); {
		if count >= n {
			dst = append(dst, xxhash.Sum64(p[starts[count%n]:i]))
		}
		starts[count%n] = i
		count++
		if c := p[i]; c < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(p[i:])
			i += size
		}
	}
	if count >= n {
		dst = append(dst, xxhash.Sum64(p[starts[count%n]:]))
	} else {
		dst = append(dst, xxhash.Sum64(p))
	}
	return dst, p
}
