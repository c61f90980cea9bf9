package templates

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestTextBlocks(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []TextBlock
	}{
		{"empty", " \n\n ", nil},
		{"one paragraph with a line break", "Rad ett\r\nrad två", []TextBlock{{Lines: []string{"Rad ett", "rad två"}}}},
		{"paragraphs at blank lines", "Ett.\n\n\nTvå.", []TextBlock{{Lines: []string{"Ett."}}, {Lines: []string{"Två."}}}},
		{"a list after a paragraph without a blank line", "Insatser:\n- språk\n• praktik\n* studiebesök",
			[]TextBlock{{Lines: []string{"Insatser:"}}, {List: true, Lines: []string{"språk", "praktik", "studiebesök"}}}},
		{"an indented line continues the item", "- första punkten\n  fortsätter här\n- andra",
			[]TextBlock{{List: true, Lines: []string{"första punkten fortsätter här", "andra"}}}},
		{"a paragraph after a list", "- a\nSlut.", []TextBlock{{List: true, Lines: []string{"a"}}, {Lines: []string{"Slut."}}}},
		{"a hyphen inside a word is no list", "-2 % och 2-3 träffar", []TextBlock{{Lines: []string{"-2 % och 2-3 träffar"}}}},
		{"an empty item is dropped", "-\n- b", []TextBlock{{List: true, Lines: []string{"b"}}}},
	}
	for _, tt := range tests {
		if got := TextBlocks(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func render(t testing.TB, text string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := LongText(text, "Ej ifyllt.").Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestLongTextEscapes(t *testing.T) {
	got := render(t, "Hej <b>du</b> & \"ni\"\n\n- <script>x</script>")
	want := `<p>Hej &lt;b&gt;du&lt;/b&gt; &amp; &#34;ni&#34;</p><ul><li>&lt;script&gt;x&lt;/script&gt;</li></ul>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := render(t, ""); got != `<p class="muted">Ej ifyllt.</p>` {
		t.Errorf("empty: %s", got)
	}
}

// FuzzLongText checks that no text an officer enters comes out as markup:
// the only tags in the output are those LongText itself writes.
func FuzzLongText(f *testing.F) {
	for _, seed := range []string{"", "a\n\nb", "- a\n  b\n- c", "<script>alert(1)</script>", "• <img src=x onerror=y>", "\r\n-\r\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := render(t, text)
		for _, tag := range []string{"<p>", "</p>", "<ul>", "</ul>", "<li>", "</li>", "<br>", `<p class="muted">`} {
			out = strings.ReplaceAll(out, tag, "")
		}
		if strings.ContainsAny(out, "<>") {
			t.Errorf("markup from %q: %s", text, out)
		}
	})
}
