package compress

import (
	"regexp"
	"strings"
	"unicode"
)

// The aggressive rules edit instruction prose only: never example data
// (see line.data), tables, headings or code. They never remove a negation
// word, a number or a protected span; the rules that drop or rewrite a
// whole sentence also leave alone sentences with a negation or a
// restriction (not, never, only, unless, if, but, …; see guardRe).

// filler drops politeness and filler phrases and keeps the instruction:
// "Please answer briefly." becomes "Answer briefly.", "It is important
// that you cite sources." becomes "Cite sources.", "Could you please
// summarize it?" becomes "Summarize it.", and a sentence that only thanks
// ("Thank you in advance!") goes.
type filler struct{}

func (filler) Name() string { return "filler" }
func (filler) Level() Level { return Aggressive }
func (filler) Description() string {
	return `drop politeness and filler ("please", "kindly", "I would like you to", "it is important that you", "make sure to", "thank you")`
}

var (
	leadFillerRe = regexp.MustCompile(`(?i)^(?:please,?|kindly|i would like you to|i['’]d like you to|i want you to|i need you to|` +
		`it is (?:very |extremely |really |especially |absolutely )?(?:important|essential|crucial|critical|vital) (?:that you|to)|` +
		`it['’]s (?:very |extremely |really |especially |absolutely )?(?:important|essential|crucial|critical|vital) (?:that you|to)|` +
		`make sure (?:that you|you|to)|be sure to|ensure (?:that )?you|(?:please )?note that|keep in mind that|` +
		`remember that|remember to|your (?:task|job|goal|role) is to|you are (?:required|expected|asked) to)[ \t]+`)
	alwaysRe    = regexp.MustCompile(`(?i)^you (?:should|must) always[ \t]+`)
	askRe       = regexp.MustCompile(`(?i)^(?:could|can|would|will) you (?:please|kindly)[ \t]+`)
	trailPlsRe  = regexp.MustCompile(`(?i),?[ \t]+please([.!?]+)$`)
	andPleaseRe = regexp.MustCompile(`(?i)\b(and|then|also),?[ \t]+please[ \t]+`)
	thanksRe    = regexp.MustCompile(`(?i)^(?:thank you|thanks|many thanks)(?: (?:so|very) much)?(?: in advance)?(?: for [^.!?]*)?[.!]*$`)
	notNextRe   = regexp.MustCompile(`(?i)^not\b`)
)

func (filler) Apply(d *Doc) int {
	e := newLineEdit(d)
	n := e.eachSentence(func(s sent) (string, bool) {
		t := s.text
		if thanksRe.MatchString(t) {
			if s.removable && !strings.ContainsRune(t, phOpen) && !guarded(d, t) {
				return "", true
			}
			return "", false
		}
		if s.start {
			upper := t != "" && t[0] >= 'A' && t[0] <= 'Z'
			for {
				if m := askRe.FindString(t); m != "" && strings.HasSuffix(t, "?") {
					t = t[len(m):len(t)-1] + "."
				} else if m := alwaysRe.FindString(t); m != "" {
					t = "always " + t[len(m):]
				} else if m := leadFillerRe.FindString(t); m != "" && !emptyRest(t[len(m):]) &&
					!(strings.HasSuffix(strings.TrimSpace(strings.ToLower(m)), "to") && notNextRe.MatchString(t[len(m):])) {
					t = t[len(m):]
				} else {
					break
				}
			}
			if upper && t != s.text {
				t = capitalizeFirst(t)
			}
		}
		t = trailPlsRe.ReplaceAllString(t, "$1")
		t = andPleaseRe.ReplaceAllString(t, "$1 ")
		return t, t != s.text && t != ""
	})
	if n > 0 {
		e.commit()
	}
	return n
}

// emptyRest reports whether nothing that reads as an instruction follows a
// filler phrase.
func emptyRest(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || r == phOpen }) < 0
}

// wordy replaces wordy phrases with short ones of the same meaning: "in
// order to" → "to", "due to the fact that" → "because", "is able to" →
// "can", "in a concise manner" → "concisely", "at all times" → "always".
type wordy struct{}

func (wordy) Name() string { return "wordy-phrases" }
func (wordy) Level() Level { return Aggressive }
func (wordy) Description() string {
	return `shorten wordy phrases ("in order to" → "to", "due to the fact that" → "because", "in a concise manner" → "concisely")`
}

var wordyPhrases = map[string]string{
	"in order to":               "to",
	"so as to":                  "to",
	"due to the fact that":      "because",
	"owing to the fact that":    "because",
	"in spite of the fact that": "although",
	"despite the fact that":     "although",
	"in the event that":         "if",
	"at this point in time":     "now",
	"at the present time":       "now",
	"for the purpose of":        "for",
	"prior to":                  "before",
	"is able to":                "can",
	"are able to":               "can",
	"has the ability to":        "can",
	"have the ability to":       "can",
	"a large number of":         "many",
	"the majority of":           "most",
	"at all times":              "always",
	"each and every":            "every",
	"on a daily basis":          "daily",
	"in a timely manner":        "promptly",
}

var mannerAdverbs = map[string]string{
	"concise": "concisely", "clear": "clearly", "polite": "politely", "professional": "professionally",
	"respectful": "respectfully", "brief": "briefly", "courteous": "courteously", "accurate": "accurately",
	"consistent": "consistently", "neutral": "neutrally", "formal": "formally", "informal": "informally",
	"direct": "directly", "precise": "precisely", "calm": "calmly", "empathetic": "empathetically",
	"concise and clear": "concisely and clearly", "clear and concise": "clearly and concisely",
	"polite and professional": "politely and professionally", "professional and polite": "professionally and politely",
}

var (
	wordyRe  = regexp.MustCompile(`(?i)\b(?:` + alternation(wordyPhrases) + `)\b`)
	mannerRe = regexp.MustCompile(`(?i)\bin an? (` + alternation(mannerAdverbs) + `) (?:manner|way|fashion)\b`)
)

func alternation(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Longest first, then alphabetical: a fixed, greedy order.
	sortByLen(keys)
	for i, k := range keys {
		keys[i] = strings.ReplaceAll(regexp.QuoteMeta(k), " ", `[ \t]+`)
	}
	return strings.Join(keys, "|")
}

func sortByLen(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (len(s[j]) > len(s[j-1]) || len(s[j]) == len(s[j-1]) && s[j] < s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// matchCase gives repl the case of the first letter of orig.
func matchCase(orig, repl string) string {
	if orig != "" && orig[0] >= 'A' && orig[0] <= 'Z' {
		return capitalizeFirst(repl)
	}
	return repl
}

func normSpace(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func (wordy) Apply(d *Doc) int {
	e := newLineEdit(d)
	n := e.eachSentence(func(s sent) (string, bool) {
		t := wordyRe.ReplaceAllStringFunc(s.text, func(m string) string {
			return matchCase(m, wordyPhrases[normSpace(m)])
		})
		t = mannerRe.ReplaceAllStringFunc(t, func(m string) string {
			sub := mannerRe.FindStringSubmatch(m)
			return matchCase(m, mannerAdverbs[normSpace(sub[1])])
		})
		return t, t != s.text
	})
	if n > 0 {
		e.commit()
	}
	return n
}

// formatting shortens verbose formatting rules: "Your response should be
// formatted as a bulleted list." becomes "Respond as a bulleted list.",
// "Return the output in JSON format." becomes "Respond in JSON.", "The
// output must follow the following format:" becomes "Output format:", and
// "in JSON format" becomes "in JSON".
type formatting struct{}

func (formatting) Name() string { return "formatting" }
func (formatting) Level() Level { return Aggressive }
func (formatting) Description() string {
	return `shorten verbose formatting rules ("Your response should be formatted as JSON." → "Respond as JSON.")`
}

var (
	fmtBeRe = regexp.MustCompile(`(?i)^(?:your|the) (?:final )?(?:response|answer|output|reply|responses|answers|replies)` +
		`(?: should| must| needs to| need to| has to| have to| will| is to)? be ` +
		`(?:formatted |written |provided |returned |given |presented |structured |delivered )?(as|in|using) (.+)\.$`)
	fmtVerbRe = regexp.MustCompile(`(?i)^(?:format|structure) (?:your|the) (?:response|answer|output|reply)s? (as|in|using|with) (.+)\.$`)
	fmtRetRe  = regexp.MustCompile(`(?i)^(?:return|provide|give|output|write) (?:your|the) (?:response|answer|output|result|reply)s? ` +
		`(?:in|as) (?:an? |the )?(JSON|YAML|XML|CSV|Markdown|HTML|plain text) format\.$`)
	fmtFollowRe = regexp.MustCompile(`(?i)^(?:the |your )?(?:output|response|answer|reply)s? (?:should|must|needs to|has to|will) ` +
		`(?:be in|follow|use|match|have|adhere to|conform to) the following (format|structure|schema|template)[ \t]*:$`)
	fmtUseRe      = regexp.MustCompile(`(?i)^use the following (format|structure|template|schema)(?: for (?:your|the) (?:response|answer|output|reply))?[ \t]*:$`)
	fmtInFormatRe = regexp.MustCompile(`(?i)\bin (?:a |the )?(JSON|YAML|XML|CSV|Markdown|HTML) format\b`)
	fmtFormOfRe   = regexp.MustCompile(`(?i)\bin the form of\b`)
	// A captured format description that has more than one clause stays
	// as it is: shortening it would change its grammar.
	clauseRe = regexp.MustCompile(`(?i)[,;:]|\b(?:must|should|shall|will|would|which|that|who|including|where|so|because|is|are)\b`)
)

func (formatting) Apply(d *Doc) int {
	e := newLineEdit(d)
	n := e.eachSentence(func(s sent) (string, bool) {
		t := s.text
		if s.whole && !guarded(d, t) {
			switch {
			case fmtBeRe.MatchString(t):
				m := fmtBeRe.FindStringSubmatch(t)
				if !clauseRe.MatchString(m[2]) {
					t = "Respond " + strings.ToLower(m[1]) + " " + m[2] + "."
				}
			case fmtVerbRe.MatchString(t):
				m := fmtVerbRe.FindStringSubmatch(t)
				if !clauseRe.MatchString(m[2]) {
					t = "Respond " + strings.ToLower(m[1]) + " " + m[2] + "."
				}
			case fmtRetRe.MatchString(t):
				t = fmtRetRe.ReplaceAllString(t, "Respond in $1.")
			case fmtFollowRe.MatchString(t):
				t = fmtFollowRe.ReplaceAllString(t, "Output $1:")
			case fmtUseRe.MatchString(t):
				t = fmtUseRe.ReplaceAllString(t, "Output $1:")
			}
		}
		t = fmtInFormatRe.ReplaceAllString(t, "in $1")
		t = fmtFormOfRe.ReplaceAllStringFunc(t, func(m string) string { return matchCase(m, "as") })
		return t, t != s.text
	})
	if n > 0 {
		e.commit()
	}
	return n
}

// defaults removes instructions that ask for what a model does anyway:
// "You are a helpful assistant.", "Be helpful.", "Do your best.", "Use
// correct grammar.", and "Respond in English." when nothing else in the
// prompt mentions a language and the prompt is written in English.
type defaults struct{}

func (defaults) Name() string { return "defaults" }
func (defaults) Level() Level { return Aggressive }
func (defaults) Description() string {
	return `remove instructions that ask for the default ("You are a helpful assistant.", "Be helpful.", "Respond in English." when no other language is mentioned)`
}

var (
	englishRe = regexp.MustCompile(`(?i)^(?:(?:respond|reply|answer|write|communicate|speak)(?: to the user)? in english` +
		`|use (?:the )?english(?: language)?|(?:your )?(?:responses?|answers?|replies) (?:should|must) be (?:written )?in english)[.!]?$`)
	helpfulRe = regexp.MustCompile(`(?i)^(?:(?:always |try to )?be (?:as )?helpful(?: as possible)?` +
		`|you are an? (?:helpful|helpful and friendly|friendly and helpful)(?: ai)? assistant` +
		`|(?:always )?(?:do|try) your best|do the best you can` +
		`|(?:always )?use (?:proper|correct|good) (?:grammar|spelling)(?: and (?:grammar|spelling|punctuation))?)[.!]?$`)
)

// languageWords are the words that mention a language: "Respond in
// English." is a default only when none of them appears elsewhere.
var languageWords = map[string]bool{
	"english": true, "language": true, "languages": true, "multilingual": true, "bilingual": true,
	"locale": true, "dialect": true, "spanish": true, "french": true, "german": true, "italian": true,
	"portuguese": true, "dutch": true, "chinese": true, "mandarin": true, "cantonese": true,
	"japanese": true, "korean": true, "russian": true, "arabic": true, "hindi": true, "bengali": true,
	"urdu": true, "turkish": true, "polish": true, "swedish": true, "norwegian": true, "danish": true,
	"finnish": true, "greek": true, "hebrew": true, "thai": true, "vietnamese": true,
	"indonesian": true, "malay": true, "ukrainian": true, "czech": true, "romanian": true,
	"hungarian": true, "persian": true, "farsi": true, "swahili": true, "tagalog": true,
	"espanol": true, "francais": true, "deutsch": true, "italiano": true, "portugues": true,
}

// languageMentions counts the words of s that mention a language.
func languageMentions(s string) int {
	n := 0
	eachWord(s, func(w string, _ int) {
		l := strings.ToLower(w)
		if languageWords[l] || strings.HasPrefix(l, "translat") || strings.HasPrefix(l, "locali") {
			n++
		}
	})
	return n
}

func (defaults) Apply(d *Doc) int {
	e := newLineEdit(d)
	full := d.String()
	langs := languageMentions(full)
	ascii := mostlyASCII(full)
	allWords, enWords := englishCounts(full)
	n := e.eachSentence(func(s sent) (string, bool) {
		t := s.text
		if !s.removable || strings.ContainsRune(t, phOpen) || guarded(d, t) {
			return "", false
		}
		if helpfulRe.MatchString(t) {
			return "", true
		}
		if englishRe.MatchString(t) && ascii && langs == languageMentions(t) {
			// The rest of the prompt must read as English.
			a, en := englishCounts(t)
			if rest := allWords - a; rest > 0 && float64(enWords-en) >= 0.2*float64(rest) {
				return "", true
			}
		}
		return "", false
	})
	if n > 0 {
		e.commit()
	}
	return n
}

// englishWords are frequent English words that other languages written in
// the Latin alphabet rarely use ("in", "an", "will", "so" are left out).
var englishWords = map[string]bool{
	"the": true, "and": true, "you": true, "your": true, "to": true, "of": true, "is": true,
	"are": true, "be": true, "with": true, "for": true, "that": true, "this": true, "it": true,
	"not": true, "a": true, "on": true, "as": true, "or": true, "if": true, "when": true,
	"should": true, "must": true, "do": true, "use": true, "answer": true, "respond": true,
	"reply": true, "please": true, "always": true, "never": true, "user": true, "from": true,
	"by": true, "at": true, "can": true, "what": true, "how": true, "only": true, "each": true,
}

// englishCounts counts the words of s and those that are frequent English
// words: around 40% of English prose, near none of German or Spanish.
func englishCounts(s string) (all, en int) {
	eachWord(s, func(w string, _ int) {
		if !isLetter(w[0]) {
			return
		}
		all++
		if englishWords[strings.ToLower(w)] {
			en++
		}
	})
	return all, en
}

// mostlyASCII reports whether at most 2% of the letters of s are not
// ASCII: the prompt is not written in another language.
func mostlyASCII(s string) bool {
	all, other := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if r >= 0x80 {
				other++
			}
		}
	}
	return other*50 <= all
}
