package templates

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// TextBlock is a paragraph or a bulleted list of a long text.
type TextBlock struct {
	List  bool
	Lines []string // the lines of a paragraph, or the items of a list
}

// listMarkers start the lines that are list items.
var listMarkers = []string{"- ", "• ", "* "}

// TextBlocks splits a long text as officers write it (or paste it from a
// Word document) into blocks: a blank line separates paragraphs, a line
// starting with "- ", "• " or "* " is a list item, and an indented line
// right after an item continues it. Nothing is interpreted as markup: the
// blocks are rendered as escaped text by LongText.
func TextBlocks(text string) []TextBlock {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var blocks []TextBlock
	var cur *TextBlock
	flush := func() {
		if cur != nil && len(cur.Lines) > 0 {
			blocks = append(blocks, *cur)
		}
		cur = nil
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			flush()
			continue
		}
		if item, ok := listItem(trimmed); ok {
			if cur == nil || !cur.List {
				flush()
				cur = &TextBlock{List: true}
			}
			if item != "" {
				cur.Lines = append(cur.Lines, item)
			}
			continue
		}
		indented := line != strings.TrimLeft(line, " \t")
		if cur != nil && cur.List && indented && len(cur.Lines) > 0 {
			cur.Lines[len(cur.Lines)-1] += " " + trimmed
			continue
		}
		if cur != nil && cur.List {
			flush()
		}
		if cur == nil {
			cur = &TextBlock{}
		}
		cur.Lines = append(cur.Lines, trimmed)
	}
	flush()
	return blocks
}

// listItem reports whether a trimmed line is a list item and returns its text.
func listItem(line string) (string, bool) {
	if line == "-" || line == "•" {
		return "", true
	}
	for _, m := range listMarkers {
		if strings.HasPrefix(line, m) {
			return strings.TrimSpace(strings.TrimPrefix(line, m)), true
		}
	}
	return "", false
}

// textLines writes the lines of a paragraph, each escaped, separated by line
// breaks and without the whitespace a template would add around them.
func textLines(lines []string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		for i, line := range lines {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(templ.EscapeString(line))
		}
		_, err := io.WriteString(w, b.String())
		return err
	})
}
