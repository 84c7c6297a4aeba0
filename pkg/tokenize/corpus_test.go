package tokenize

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fragments are the building blocks of generated test text: each stresses
// one branch of the pre-tokenizers (see split.go) or of the BPE merges.
var fragments = []string{
	// English words, every case pattern, and contractions in any case.
	"the", "The", "THE", "tHe", "quick", "Brown", "FOX", "jumps", "over", "lazy", "dog",
	"don't", "DON'T", "Don'T", "it's", "IT'S", "we're", "WE'RE", "you've", "YOU'VE", "I'm", "I'M",
	"they'll", "THEY'LL", "she'd", "SHE'D", "'s", "'S", "'t", "'re", "'Re", "'ve", "'m", "'ll", "'lL", "'d",
	"'r", "'v", "'l", "''", "'''s", "o'clock", "rock'n'roll", "'", "ʼs", "’s", "'ſ", "'K",
	"McDonald", "iPhone", "eBay", "XMLHttpRequest", "camelCaseWord", "snake_case_word", "SCREAMING_CASE",
	"antidisestablishmentarianism", "pneumonoultramicroscopicsilicovolcanoconiosis",
	// Numbers of every length and kind.
	"0", "7", "42", "123", "1234", "12345", "1234567890", "3.14159", "1,000,000", "1e-9", "0x7fffffff",
	"½", "¾", "Ⅻ", "ⅷ", "٣٤٥", "१२३", "①②③", "𝟙𝟚𝟛", "²³", "零", "〇",
	// Punctuation, symbols, paths and URLs ('/' is special in o200k_base).
	".", ",", "!", "?", "...", "…", "—", "–", "-", "--", "---", ";", ":", "(", ")", "[", "]", "{", "}", "{{", "}}",
	"\"", "\"\"\"", "`", "```", "~", "@", "#", "##", "$", "%", "^", "&", "&&", "*", "**", "+", "=", "==", "===", "!=",
	"<", ">", "<=", ">=", "->", "=>", "<-", "|", "||", "\\", "\\n", "/", "//", "///", "/*", "*/", "./", "../", "/\n", "/\r\n/",
	"https://example.com/path/to/page?q=1&r=2#frag", "http://localhost:8080/", "/usr/local/bin/", "C:\\Windows\\System32",
	"user@example.org", "<div class=\"x\">", "</div>", "<br/>", "&amp;", "&#x27;", "{\"key\": \"value\", \"n\": 12}",
	"€", "£", "¥", "©", "®", "™", "°", "±", "×", "÷", "∑", "∫", "√", "∞", "≈", "≠", "→", "⇒", "♥", "★",
	// Whitespace runs: spaces, tabs, CR/LF, and the unusual ones.
	" ", "  ", "   ", "    ", "        ", "\t", "\t\t", "\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n", "\r", " \n", "  \n  ",
	"\t\n", " \t ", "\v", "\f", "\u0085", "\u00a0", "\u00a0\u00a0", "\u1680", "\u2000", "\u2003", "\u2009", "\u200a",
	"\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u3000\u3000", "\u200b", "\ufeff", "\u180e",
	// Control characters (not \s for Go's unicode.IsSpace).
	"\x00", "\x01", "\x1b[31m", "\x1c", "\x1f", "\x7f",
	// Accented Latin, composed and decomposed, and title-case digraphs.
	"café", "CAFÉ", "cafe\u0301", "CAFE\u0301", "naïve", "Ångström", "ÆØÅ", "straße", "STRASSE", "ǅemal", "ǈ", "ǋ", "ǲ",
	"ﬁ", "ﬂ", "ß", "ẞ", "Ǆ", "ǉ", "İstanbul", "ı", "ǰ", "ŉ",
	// Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic.
	"Ελληνικά", "αβγδε", "ΑΒΓΔΕ", "Ἀθῆναι", "Привет", "мир", "ПРИВЕТ", "Ёлка", "Բարեւ", "ქართული", "ᲥᲐᲠᲗᲣᲚᲘ",
	"שָׁלוֹם", "עברית", "مرحبا", "العربية", "كِتَابٌ", "ـــ",
	// Indic scripts with combining vowel signs and viramas.
	"नमस्ते", "हिन्दी", "क्षत्रिय", "বাংলা", "தமிழ்", "తెలుగు", "ಕನ್ನಡ", "മലയാളം", "ไทย", "ภาษาไทย", "ພາສາລາວ", "မြန်မာ",
	// CJK, kana, Hangul, Lm/Lo mixes.
	"中文", "汉字测试", "日本語", "ひらがな", "カタカナ", "ｶﾀｶﾅ", "ー", "々", "한국어", "안녕하세요", "𠀀𠀁", "𪚥",
	"ʰ", "ʷ", "ˈ", "ª", "º", "ᵃ", "ꜰ", "ᴬ", "ǃ", "ǀ", "ƻ",
	// Emoji: single, skin tones, ZWJ sequences, flags, keycaps, tags.
	"😀", "👍", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🇺🇸", "1️⃣", "#️⃣", "❤️", "✔️", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
	"🙂🙃", "\u200d", "\ufe0f", "\ufe0e",
	// Lone combining marks and marks after non-letters.
	"\u0301", "\u0300\u0301", " \u0301", "a\u0301\u0302", "A\u0301", ".\u0301", "1\u0301", "\u20dd", "\u0489", "\U000e0100",
	// Invalid UTF-8 and the replacement character itself.
	"\xff", "\xfe\xff", "\xc3", "\xc3(", "\xe2\x82", "\xe2\x82(", "\xf0\x9f", "\xf0\x9f\x98", "\xed\xa0\x80", "\xc0\xaf",
	"\x80", "\xbf\xbf", "\ufffd", "\xef\xbf\xbd\xff",
	// Lines of code and markup.
	"func main() {\n\tfmt.Println(\"hello\")\n}\n", "def f(x):\n    return x ** 2\n", "if (a && b) { return; }",
	"SELECT * FROM users WHERE id = 42;", "let v: Vec<u8> = vec![1, 2, 3];", "# Heading\n\n- item one\n- item two\n",
	"| a | b |\n|---|---|\n| 1 | 2 |\n", "    indented line\n", "trailing spaces   \n", "x  \r\n  y",
}

// genText returns n fragments drawn from rng, joined with random glue.
func genText(rng *rand.Rand, n int) string {
	glue := []string{"", "", " ", " ", " ", "\n", "  ", "\t", "\r\n", "\u00a0"}
	var b strings.Builder
	for range n {
		b.WriteString(fragments[rng.IntN(len(fragments))])
		b.WriteString(glue[rng.IntN(len(glue))])
	}
	return b.String()
}

// corpusFiles returns the committed corpus under testdata/tokenize.
func corpusFiles(t testing.TB) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "tokenize")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		if e.IsDir() || e.Name() == "README.md" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	if len(out) == 0 {
		t.Fatalf("no corpus files in %s", dir)
	}
	return out
}
