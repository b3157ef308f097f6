//! Markdown to HTML with pulldown-cmark: the body, the summary and the word count.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use std::fmt::Write as _;

use crate::content::slug::slugify;
use crate::images::ImageSize;
use crate::links::{LinkKind, classify};

/// Words read per minute, for the reading time.
const WORDS_PER_MINUTE: usize = 230;

/// Characters read per minute in scripts written without spaces.
const UNSPACED_PER_MINUTE: usize = 500;

/// The Markdown extensions broadsheet turns on.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Where the HTML made from a body will be shown, for its links.
#[derive(Debug, Clone, Copy)]
pub struct LinkBase<'a> {
    /// The site's base path (`/` or `/archive/`): root-relative links such as
    /// `/2024/01/02/foo/` are moved under it.
    pub base_path: &'a str,
    /// The article's own link, when the HTML is shown on other pages
    /// (summaries in listings): relative links such as `map.svg` are made to
    /// point into the article's folder.
    pub article_link: Option<&'a str>,
}

impl LinkBase<'_> {
    /// The link to write for a link or image destination, if it must change.
    fn rewrite(&self, dest: &str) -> Option<String> {
        match classify(dest) {
            LinkKind::Empty | LinkKind::External => None,
            LinkKind::RootRelative => {
                (self.base_path != "/").then(|| format!("{}{}", self.base_path, &dest[1..]))
            }
            LinkKind::Fragment if self.article_link.is_none() => None,
            LinkKind::Fragment => self.article_link.map(|page| format!("{page}{dest}")),
            LinkKind::Relative => self
                .article_link
                .map(|page| format!("{}{dest}", crate::links::check::folder_of(page))),
        }
    }

    fn apply<'e>(&self, mut event: Event<'e>) -> Event<'e> {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event
            && let Some(rewritten) = self.rewrite(dest_url)
        {
            *dest_url = CowStr::from(rewritten);
        }
        event
    }
}

/// Renders an article body to HTML; every heading gets an `id` for anchors.
pub fn render_html(markdown: &str, links: LinkBase) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    let events = Parser::new_ext(markdown, options()).map(|e| links.apply(e));
    pulldown_cmark::html::push_html(&mut html, Furnished::new(events));
    html
}

/// A link or image of a body, as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// The destination as written (`/2019/01/01/x/`, `map.svg#a`, `#notes`).
    pub dest: String,
    /// 1-based line in the body.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// True for an image.
    pub image: bool,
}

/// Renders an article body to HTML, as [`render_html`], and lists its links
/// and images, Markdown's and raw HTML's `href` and `src`, for the link
/// checker. Markdown images get a `width` and `height` where `image_size`
/// knows the size of the image at their destination (as written).
///
/// With `text`, the body's plain text is gathered there from the same
/// events, for search (see [`PlainText`]).
pub fn render_with_links(
    markdown: &str,
    base: LinkBase,
    image_size: &dyn Fn(&str) -> Option<ImageSize>,
    source_link: SourceLinks,
    mut text: Option<&mut PlainText>,
) -> (String, Vec<BodyLink>) {
    let lines = LineStarts::new(markdown);
    let mut found = Vec::new();
    let events =
        Parser::new_ext(markdown, options())
            .into_offset_iter()
            .map(|(mut event, range)| {
                link_sources(&mut event, source_link);
                if let Some(text) = text.as_deref_mut() {
                    text.see(&event);
                }
                match &event {
                    Event::Start(Tag::Link { dest_url, .. }) => {
                        found.push(lines.link(dest_url, range.start, false));
                    }
                    Event::Start(Tag::Image { dest_url, .. }) => {
                        found.push(lines.link(dest_url, range.start, true));
                    }
                    Event::Html(html) | Event::InlineHtml(html) => {
                        for (attribute, image) in [("href=\"", false), ("src=\"", true)] {
                            for (at, _) in html.match_indices(attribute) {
                                let value = &html[at + attribute.len()..];
                                if let Some(end) = value.find('"') {
                                    found.push(lines.link(&value[..end], range.start + at, image));
                                }
                            }
                        }
                    }
                    _ => {}
                }
                event
            });
    let sized = SizedImages {
        inner: events,
        base,
        image_size,
    };
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    pulldown_cmark::html::push_html(
        &mut html,
        Furnished::new(sized.map(|event| base.apply(event))),
    );
    (html, found)
}

/// The plain text of a body, gathered from its Markdown events: the words
/// readers see (text, code, image descriptions), blocks on lines of their
/// own, and no markup or raw HTML.
#[derive(Debug, Default)]
pub struct PlainText {
    /// The text so far.
    pub text: String,
}

impl PlainText {
    /// Takes in one event of a body.
    pub fn see(&mut self, event: &Event) {
        match event {
            Event::Text(text) | Event::Code(text) => self.text.push_str(text),
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.text.push('\n'),
            _ => {}
        }
    }

    /// The plain text of a whole body, for when its page is not being made.
    pub fn of(markdown: &str) -> String {
        let mut text = PlainText::default();
        for event in Parser::new_ext(markdown, options()) {
            text.see(&event);
        }
        text.text
    }
}

/// Finds the article a link to a Markdown source names (`budget.md#vote`,
/// relative to the linking file or from `content/`): its site path with the
/// anchor kept, or `None`.
pub type SourceLinks<'a> = &'a dyn Fn(&str) -> Option<String>;

/// True for a link to a Markdown source file (`budget.md`, `x/index.md#a`).
pub fn is_source_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    classify(dest) != LinkKind::External && (path.ends_with(".md") || path.ends_with(".markdown"))
}

/// Points a link to a Markdown source at its article.
fn link_sources(event: &mut Event, source_link: SourceLinks) {
    if let Event::Start(Tag::Link { dest_url, .. }) = event
        && is_source_link(dest_url)
        && let Some(url) = source_link(dest_url)
    {
        *dest_url = CowStr::from(url);
    }
}

/// Renders a body as [`render_html`] does, with links to Markdown sources
/// pointed at their articles (for feeds).
pub fn render_html_with_sources(
    markdown: &str,
    links: LinkBase,
    source_link: SourceLinks,
) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    let events = Parser::new_ext(markdown, options()).map(|mut e| {
        link_sources(&mut e, source_link);
        links.apply(e)
    });
    pulldown_cmark::html::push_html(&mut html, Furnished::new(events));
    html
}

/// Writes each Markdown image whose size is known as an `<img>` with its
/// `width` and `height` (and its link moved under the base path); leaves the
/// others to pulldown-cmark.
struct SizedImages<'a, 'f, I: Iterator<Item = Event<'a>>> {
    inner: I,
    base: LinkBase<'f>,
    image_size: &'f dyn Fn(&str) -> Option<ImageSize>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for SizedImages<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.inner.next()?;
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &event
        else {
            return Some(event);
        };
        let Some(size) = (self.image_size)(dest_url) else {
            return Some(event);
        };
        // The alt text is the image's text, as pulldown-cmark writes it.
        let mut alt = String::new();
        let mut depth = 0;
        for inner in self.inner.by_ref() {
            match inner {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(text)
                | Event::Code(text)
                | Event::InlineMath(text)
                | Event::Html(text)
                | Event::InlineHtml(text) => alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let src = self.base.rewrite(dest_url);
        let src = src.as_deref().unwrap_or(dest_url);
        let mut html = String::from("<img src=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut html, src);
        html.push_str("\" alt=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, &alt);
        if !title.is_empty() {
            html.push_str("\" title=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut html, title);
        }
        let _ = write!(
            html,
            "\" width=\"{}\" height=\"{}\">",
            size.width, size.height
        );
        Some(Event::InlineHtml(CowStr::from(html)))
    }
}

/// Where each line of a text starts, to turn byte offsets into positions.
struct LineStarts<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineStarts { text, starts }
    }

    fn link(&self, dest: &str, offset: usize, image: bool) -> BodyLink {
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |before| before.chars().count() + 1);
        BodyLink {
            dest: dest.to_string(),
            line,
            column,
            image,
        }
    }
}

/// A body with the Jekyll tags that have a Markdown form turned into it:
/// `{% highlight ruby %}…{% endhighlight %}` becomes a fenced code block
/// of that language; `{% raw %}`/`{% endraw %}` go, keeping the text
/// between them; `{% link path.md %}` becomes `path.md` and
/// `{% post_url 2019-06-01-budget %}` becomes `2019-06-01-budget.md`, links
/// by source file. Lines stay where they were. Other Liquid is left as text.
pub fn jekyll_blocks(body: &str) -> Cow<'_, str> {
    if !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut changed = false;
    while let Some(open) = rest.find("{%") {
        let Some(close) = rest[open..].find("%}").map(|c| open + c + 2) else {
            break;
        };
        let inside =
            rest[open + 2..close - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut words = inside.split_whitespace();
        let replacement = match (words.next(), words.next()) {
            (Some("highlight"), language) => {
                let language = language.unwrap_or("");
                // A fence longer than any run of backticks in the code.
                let code_end = rest[close..].find("endhighlight").map(|e| close + e);
                let longest = code_end.map_or(0, |end| longest_run(&rest[close..end], '`'));
                Some(format!("{}{language}", "`".repeat(longest.max(2) + 1)))
            }
            (Some("endhighlight"), None) => {
                let start = out.rfind("\n```").map_or(0, |at| at + 1);
                let fence_len = out[start..].chars().take_while(|&c| c == '`').count();
                Some("`".repeat(fence_len.max(3)))
            }
            (Some("raw" | "endraw"), None) => Some(String::new()),
            // Links to other posts become links by source file, which the
            // page pass points at their articles.
            (Some("link"), Some(path)) if words.next().is_none() => Some(path.to_string()),
            (Some("post_url"), Some(name)) if words.next().is_none() => {
                Some(format!("{}.md", name.trim_start_matches('/')))
            }
            _ => None,
        };
        match replacement {
            Some(text) => {
                out.push_str(&rest[..open]);
                out.push_str(&text);
                changed = true;
            }
            None => out.push_str(&rest[..close]),
        }
        rest = &rest[close..];
    }
    if !changed {
        return Cow::Borrowed(body);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for found in text.chars() {
        run = if found == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Plain text (a headline, a standfirst, a summary written in front matter)
/// with the punctuation bodies get from Markdown: curly quotes and
/// apostrophes, en and em dashes from `--` and `---`, and `…` from `...`.
pub fn smart_punctuation(text: &str) -> String {
    if !text.contains(['"', '\'', '-', '.']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '-' => {
                let run = chars[i..].iter().take_while(|&&c| c == '-').count();
                out.push_str(&dashes(run));
                i += run;
                continue;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 3;
                continue;
            }
            '"' | '\'' => {
                let opens = previous
                    .is_none_or(|p| p.is_whitespace() || "([{‘“—–-/\"'".contains(p))
                    && next.is_some_and(|n| !n.is_whitespace());
                let apostrophe = c == '\''
                    && (previous.is_some_and(char::is_alphanumeric)
                        || (opens && elided_year(&chars[i + 1..])));
                out.push(match (c, apostrophe, opens) {
                    ('\'', true, _) => '’',
                    ('\'', false, true) => '‘',
                    ('\'', false, false) => '’',
                    (_, _, true) => '“',
                    _ => '”',
                });
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// A run of hyphens as dashes, as CommonMark's smart punctuation makes
/// them: em dashes where it can, en dashes for the rest.
fn dashes(run: usize) -> String {
    match run {
        1 => "-".to_string(),
        n if n % 3 == 0 => "—".repeat(n / 3),
        n if n % 2 == 0 => "–".repeat(n / 2),
        n if n % 3 == 2 => format!("{}–", "—".repeat(n / 3)),
        n => format!("{}––", "—".repeat((n - 4) / 3)),
    }
}

/// True after an apostrophe that stands for a century (`'90s`, `'68`).
fn elided_year(after: &[char]) -> bool {
    after.len() >= 2
        && after[0].is_ascii_digit()
        && after[1].is_ascii_digit()
        && after.get(2).is_none_or(|c| !c.is_ascii_digit())
}

/// A summary, as HTML for pages and as plain text for meta descriptions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The summary as HTML. Only the HTML is kept: the plain text is made
    /// from it when a page needs it, which halves what a large archive's
    /// site model holds for summaries.
    pub html: String,
}

impl Summary {
    /// A summary written by the author in front matter, taken as plain text.
    pub fn from_plain(text: &str) -> Summary {
        let mut html = String::from("<p>");
        pulldown_cmark_escape::escape_html(&mut html, text)
            .expect("writing to a String cannot fail");
        html.push_str("</p>");
        // Kept for the whole build: copied to its size (see `summary`).
        Summary {
            html: html.as_str().into(),
        }
    }

    /// The summary without markup, for meta descriptions and feeds: tags
    /// dropped, entities decoded, spaces collapsed.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.html.len());
        let mut rest = self.html.as_str();
        const BLOCKS: [&str; 14] = [
            "p",
            "br",
            "li",
            "ul",
            "ol",
            "div",
            "blockquote",
            "tr",
            "td",
            "th",
            "h1",
            "h2",
            "h3",
            "h4",
        ];
        while let Some(open) = rest.find('<') {
            text.push_str(&rest[..open]);
            let tag = rest[open + 1..].trim_start_matches('/');
            let name_len = tag
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(tag.len());
            // Block boundaries become spaces, so paragraphs do not run together.
            if BLOCKS.contains(&tag[..name_len].to_ascii_lowercase().as_str()) {
                text.push(' ');
            }
            rest = rest[open..]
                .find('>')
                .map_or("", |close| &rest[open + close + 1..]);
        }
        text.push_str(rest);
        let decoded = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        decoded.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The summary of a body: the text before `<!-- more -->` when present,
/// else the first paragraph. `None` when the body has no paragraph.
pub fn summary(markdown: &str, more: Option<usize>, links: LinkBase) -> Option<Summary> {
    let events: Vec<Event> = match more {
        Some(end) => Parser::new_ext(&markdown[..end], options()).collect(),
        None => first_paragraph(Parser::new_ext(leading_blocks(markdown), options())),
    };
    if events.is_empty() {
        return None;
    }
    if !has_text(&events) {
        return None;
    }
    // Links by source file lead to their article only on the page, where
    // the site is known; in a summary they keep their text alone, so that
    // no listing shows a link to a Markdown file.
    let mut in_source_link = false;
    let events = events.into_iter().filter(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) if is_source_link(dest_url) => {
            in_source_link = true;
            false
        }
        Event::End(TagEnd::Link) if in_source_link => {
            in_source_link = false;
            false
        }
        _ => true,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.map(|e| links.apply(e)));
    html.truncate(html.trim_end().len());
    // Kept for every article for the whole build: copied to its size, as
    // an allocator keeps a block shrunk by less than half at its old size.
    Some(Summary {
        html: html.as_str().into(),
    })
}

/// The start of a body up to the end of its first plain paragraph, so that
/// the summary does not parse the whole article. Bodies whose first
/// paragraph may depend on text further down (reference links, footnotes)
/// are given whole.
fn leading_blocks(markdown: &str) -> &str {
    let mut offset = 0;
    for block in markdown.split_inclusive("\n\n") {
        offset += block.len();
        let start = block.trim_start();
        // A setext heading: a line of text underlined with `===` or `---`.
        let setext = block.lines().skip(1).any(|line| {
            let line = line.trim();
            !line.is_empty() && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
        });
        let structural = start.is_empty()
            || setext
            || start.starts_with(['#', '-', '*', '+', '>', '|', '<', '`', '~', '[', '!'])
            || start.starts_with(|c: char| c.is_ascii_digit())
            || block.starts_with("    ")
            || block.starts_with('\t');
        if !structural {
            // Any bracket may be a reference (`[text]`, `[text][]`, `[^1]`)
            // defined further down.
            if block.contains('[') || block.contains("```") {
                return markdown;
            }
            return &markdown[..offset];
        }
        if start.starts_with("```") || start.starts_with("~~~") || start.starts_with('[') {
            return markdown;
        }
    }
    markdown
}

fn first_paragraph<'a>(parser: Parser<'a>) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut inside = false;
    for event in parser {
        match &event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => {
                events.push(event);
                break;
            }
            _ => {}
        }
        if inside {
            // Footnote references would point at notes the summary does not carry.
            if !matches!(event, Event::FootnoteReference(_)) {
                events.push(event);
            }
        }
    }
    events
}

fn has_text(events: &[Event]) -> bool {
    events.iter().any(|event| match event {
        Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
        _ => false,
    })
}

/// What one pass over a body finds, without parsing it as Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BodyScan {
    /// Words: runs of non-space characters holding a letter or digit, so
    /// Markdown punctuation (`#`, `-`, `|`, `>`) and HTML comments such as
    /// `<!-- more -->` do not count.
    pub words: usize,
    /// Characters of scripts written without spaces between words (Han,
    /// kana, Thai, Lao, Khmer, Myanmar), which `words` sees as few long
    /// words: reading time counts them one by one.
    pub unspaced: usize,
    /// Byte offset of the `<!-- more -->` marker.
    pub more: Option<usize>,
    /// Byte offset of the first Liquid tag (`{%`).
    pub liquid: Option<usize>,
    /// Byte offset of the first Hugo shortcode (`{{<` or `{{%`).
    pub shortcode: Option<usize>,
}

/// Scans a body once: large archives read every body in the first pass,
/// so this replaces several string searches. HTML comments are found with
/// `memchr`, and words are counted between them without branches.
pub fn scan(markdown: &str) -> BodyScan {
    let bytes = markdown.as_bytes();
    let mut found = BodyScan::default();
    let mut words = WordCounter::default();
    let mut start = 0;
    loop {
        let open = memchr::memmem::find(&bytes[start..], b"<!--").map(|at| start + at);
        let segment = &bytes[start..open.unwrap_or(bytes.len())];
        words.feed(segment);
        found.unspaced += count_unspaced(segment);
        find_templating(bytes, start..start + segment.len(), &mut found);
        let Some(open) = open else { break };
        // A comment ends a word, and its text is no words.
        words.end_word();
        let end = markdown[open + 4..]
            .find("-->")
            .map_or(bytes.len(), |e| open + 4 + e + 3);
        let inside = markdown.get(open + 4..end.saturating_sub(3)).unwrap_or("");
        if found.more.is_none() && inside.trim() == "more" {
            found.more = Some(open);
        }
        start = end;
    }
    words.end_word();
    found.words = words.words;
    found
}

/// Counts the characters of scripts written without spaces in a segment of
/// a body (valid UTF-8: segments are cut at ASCII comment marks). Bodies
/// without three-byte characters, most of an English archive, skip the
/// decoding.
fn count_unspaced(segment: &[u8]) -> usize {
    // The largest byte, without an early exit, so that the loop vectorises:
    // every character of those scripts takes three or four bytes (lead byte
    // 0xE0 or more).
    if segment.iter().fold(0, |max: u8, &b| max.max(b)) < 0xE0 {
        return 0;
    }
    std::str::from_utf8(segment)
        .unwrap_or_default()
        .chars()
        .filter(|&c| is_unspaced(c))
        .count()
}

/// Whether a character belongs to a script written without spaces between
/// words: Thai, Lao, Myanmar, Khmer, kana and Han (with its extensions and
/// compatibility ideographs).
fn is_unspaced(c: char) -> bool {
    matches!(u32::from(c),
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x3040..=0x30FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The first Liquid tag (`{%`) and Hugo shortcode (`{{<`, `{{%`) that
/// start in the `segment` of a body.
fn find_templating(body: &[u8], segment: std::ops::Range<usize>, found: &mut BodyScan) {
    for at in memchr::memchr_iter(b'{', &body[segment.clone()]) {
        let at = segment.start + at;
        match body.get(at + 1..at + 3) {
            Some([b'%', _]) => {
                found.liquid.get_or_insert(at);
            }
            Some([b'{', b'<' | b'%']) => {
                found.shortcode.get_or_insert(at);
            }
            _ => {}
        }
        if found.liquid.is_some() && found.shortcode.is_some() {
            return;
        }
    }
}

/// Counts words: runs of non-space bytes holding a letter or a digit (the
/// bytes of non-ASCII characters count as letters, for other scripts).
#[derive(Debug, Default)]
struct WordCounter {
    words: usize,
    in_word: bool,
    counts: bool,
}

impl WordCounter {
    /// Counts the words of `bytes`, going on from where the last call
    /// stopped. Blocks of 64 bytes are counted with bit masks: the runs of
    /// non-space bytes as the ones of a mask, and each run that holds a
    /// letter found by adding its letters to the mask, which carries a bit
    /// just past the end of that run, and of no other.
    fn feed(&mut self, bytes: &[u8]) {
        let mut blocks = bytes.chunks_exact(64);
        for block in &mut blocks {
            let (spaces, letters) = block_masks(block.try_into().expect("64 bytes"));
            let runs = !spaces;
            let mut seeds = letters;
            if self.counts {
                // The run the last block ended in has a letter: it goes
                // on, or it ended right at the block's edge.
                if runs & 1 == 1 {
                    seeds |= 1;
                } else {
                    self.words += 1;
                }
            }
            let (sum, carried) = runs.overflowing_add(seeds);
            self.words += (sum & !runs).count_ones() as usize;
            self.counts = carried;
            self.in_word = runs >> 63 == 1;
        }
        self.feed_bytes(blocks.remainder());
    }

    /// [`WordCounter::feed`] byte by byte, for the bytes after the last
    /// whole block.
    fn feed_bytes(&mut self, bytes: &[u8]) {
        let (mut words, mut in_word, mut counts) = (self.words, self.in_word, self.counts);
        for &b in bytes {
            let space = b.is_ascii_whitespace();
            words += usize::from(space & in_word & counts);
            in_word = !space;
            counts = (counts | b.is_ascii_alphanumeric() | (b >= 0x80)) & !space;
        }
        (self.words, self.in_word, self.counts) = (words, in_word, counts);
    }

    fn end_word(&mut self) {
        self.words += usize::from(self.in_word & self.counts);
        self.in_word = false;
        self.counts = false;
    }
}

/// The whitespace bytes and the letter bytes (ASCII letters and digits,
/// and every byte of a non-ASCII character) of a block, as bit masks. Eight
/// bytes at a time in a `u64` (SWAR): each test leaves its answer in the
/// high bit of every byte, and a multiplication gathers those eight bits.
fn block_masks(block: &[u8; 64]) -> (u64, u64) {
    let (mut spaces, mut letters) = (0u64, 0u64);
    for (k, word) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        let space =
            equal(x, b' ') | equal(x, b'\n') | equal(x, b'\t') | equal(x, b'\r') | equal(x, 0x0c);
        let letter = (x & HIGH) | between(x, b'0', b'9') | between(x | LOW_CASE, b'a', b'z');
        spaces |= gather(space) << (8 * k);
        letters |= gather(letter) << (8 * k);
    }
    (spaces, letters)
}

/// Every byte's high bit.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// Every byte's bit 0x20, which makes ASCII letters lower case.
const LOW_CASE: u64 = 0x2020_2020_2020_2020;
/// 0x01 in every byte: `ONES * b` repeats a byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `x` that equals `b`.
fn equal(x: u64, b: u8) -> u64 {
    let diff = x ^ (ONES * u64::from(b));
    // The high bit of each byte that is not zero, with no carry between bytes.
    let nonzero = ((diff & !HIGH) + !HIGH) | diff;
    !nonzero & HIGH
}

/// The high bit of each ASCII byte of `x` from `low` to `high` (both under 0x80).
fn between(x: u64, low: u8, high: u8) -> u64 {
    let ascii = x & !HIGH;
    let at_least_low = ascii + ONES * u64::from(0x80 - low);
    let above_high = ascii + ONES * u64::from(0x7f - high);
    at_least_low & !above_high & !x & HIGH
}

/// The high bits of the eight bytes of `x` as the eight bits of a number,
/// byte 0 lowest.
fn gather(x: u64) -> u64 {
    (x & HIGH).wrapping_mul(0x0002_0408_1020_4081) >> 56
}

/// Counts the words of a body (see [`BodyScan::words`]).
pub fn word_count(markdown: &str) -> usize {
    scan(markdown).words
}

/// Minutes needed to read a body of `words` words, of which `unspaced` are
/// characters of scripts without spaces (see [`BodyScan::unspaced`]), at
/// least one: 230 words a minute, and 500 characters a minute for those
/// scripts (the rate Hugo uses for Chinese, Japanese and Korean).
pub fn reading_time(words: usize, unspaced: usize) -> usize {
    let spaced = words.saturating_sub(unspaced);
    (spaced * UNSPACED_PER_MINUTE + unspaced * WORDS_PER_MINUTE)
        .div_ceil(WORDS_PER_MINUTE * UNSPACED_PER_MINUTE)
        .max(1)
}

/// What a body's HTML gets besides Markdown's: every heading without an
/// explicit `{#id}` an id made from its text, unique within the document
/// (`background`, `background-1`, …), for anchors; and every table a box
/// that scrolls sideways, so a wide table never widens the page.
struct Furnished<'a, I: Iterator<Item = Event<'a>>> {
    inner: I,
    pending: VecDeque<Event<'a>>,
    used: HashMap<String, usize>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Furnished<'a, I> {
    fn new(inner: I) -> Self {
        Furnished {
            inner,
            pending: VecDeque::new(),
            used: HashMap::new(),
        }
    }

    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        match self.used.get_mut(&base) {
            None => {
                self.used.insert(base.clone(), 0);
                base
            }
            Some(n) => {
                *n += 1;
                let candidate = format!("{base}-{n}");
                self.unique(candidate)
            }
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Furnished<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        match self.inner.next()? {
            Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            }) => {
                let mut text = String::new();
                for event in self.inner.by_ref() {
                    let end = matches!(event, Event::End(TagEnd::Heading(_)));
                    if let Event::Text(t) | Event::Code(t) = &event {
                        text.push_str(t);
                    }
                    self.pending.push_back(event);
                    if end {
                        break;
                    }
                }
                let id = self.unique(slugify(&text));
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }))
            }
            Event::Start(Tag::Heading {
                level,
                id: Some(id),
                classes,
                attrs,
            }) => {
                self.used.insert(id.to_string(), 0);
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(id),
                    classes,
                    attrs,
                }))
            }
            Event::Start(Tag::Table(alignments)) => {
                self.pending.push_back(Event::Start(Tag::Table(alignments)));
                Some(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-scroll\" tabindex=\"0\">",
                )))
            }
            Event::End(TagEnd::Table) => {
                self.pending
                    .push_back(Event::Html(CowStr::Borrowed("</div>\n")));
                Some(Event::End(TagEnd::Table))
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: LinkBase = LinkBase {
        base_path: "/",
        article_link: None,
    };

    fn render_html(markdown: &str) -> String {
        super::render_html(markdown, ROOT)
    }

    fn summary(markdown: &str) -> Option<Summary> {
        super::summary(markdown, scan(markdown).more, ROOT)
    }

    #[test]
    fn links_follow_the_base_path_and_the_article() {
        let body =
            "[a](/2024/01/02/foo/) [b](map.svg) [c](https://x.org/) [d](#notes) ![e](img/e.png)";
        let sub = LinkBase {
            base_path: "/archive/",
            article_link: None,
        };
        let html = super::render_html(body, sub);
        assert!(html.contains("href=\"/archive/2024/01/02/foo/\""), "{html}");
        assert!(html.contains("href=\"map.svg\""), "{html}");
        assert!(html.contains("href=\"https://x.org/\""), "{html}");
        assert!(html.contains("href=\"#notes\""), "{html}");
        let listed = LinkBase {
            base_path: "/archive/",
            article_link: Some("/archive/2025/01/01/a/"),
        };
        let s = super::summary(body, None, listed).unwrap();
        assert!(
            s.html.contains("href=\"/archive/2025/01/01/a/map.svg\""),
            "{}",
            s.html
        );
        assert!(
            s.html.contains("src=\"/archive/2025/01/01/a/img/e.png\""),
            "{}",
            s.html
        );
        assert!(
            s.html.contains("href=\"/archive/2025/01/01/a/#notes\""),
            "{}",
            s.html
        );
    }

    #[test]
    fn sized_images_say_what_pulldown_cmark_would_and_their_size() {
        let size = |dest: &str| {
            (!dest.starts_with("http")).then_some(ImageSize {
                width: 4,
                height: 3,
            })
        };
        for body in [
            "![plain](a.png)",
            "![A <b>bold</b> & \"quoted\" `code`](<a b.png> \"T & <t>\")",
            "![line\nbreak *em* [link](/x/)](../a.png)",
            "![](empty.png) ![outer ![inner](i.png)](o.png)",
            "![external](https://example.org/a.png)",
        ] {
            let (sized, _) = render_with_links(body, ROOT, &size, &|_| None, None);
            let (plain, _) = render_with_links(body, ROOT, &|_| None, &|_| None, None);
            let unsized_again = sized.replace(" width=\"4\" height=\"3\">", " />");
            assert_eq!(unsized_again, plain, "{body}");
            if !body.contains("http") {
                assert!(sized.contains(" width=\"4\" height=\"3\">"), "{sized}");
            }
        }
    }

    #[test]
    fn summaries_keep_the_text_of_links_by_source_file() {
        let s = summary("See [the vote](2019-06-01-budget.md#vote) and [this](/x/).").unwrap();
        assert_eq!(s.html, "<p>See the vote and <a href=\"/x/\">this</a>.</p>");
    }

    #[test]
    fn jekyll_highlight_and_raw_blocks_become_markdown() {
        let body = "Before.\n\n{% highlight ruby linenos %}\nputs \"{{ x }}\"\n{% endhighlight %}\n\n{% raw %}{{ kept }}{% endraw %} and {% include x.html %}\n";
        let converted = jekyll_blocks(body);
        assert_eq!(
            converted,
            "Before.\n\n```ruby\nputs \"{{ x }}\"\n```\n\n{{ kept }} and {% include x.html %}\n"
        );
        assert_eq!(converted.lines().count(), body.lines().count());
        let html = render_html(&converted);
        assert!(
            html.contains("<pre><code class=\"language-ruby\">puts \"{{ x }}\"\n</code></pre>"),
            "{html}"
        );
        let fenced = jekyll_blocks("{%- highlight md -%}\n```\ncode\n```\n{%- endhighlight -%}\n");
        assert_eq!(fenced, "````md\n```\ncode\n```\n````\n");
        assert!(matches!(
            jekyll_blocks("no liquid {{ here }}"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            jekyll_blocks("{% include a.html %}"),
            Cow::Borrowed(_)
        ));
        assert_eq!(jekyll_blocks("{% highlight"), "{% highlight");
        assert_eq!(
            jekyll_blocks(
                "[a]({% link en/_posts/2019-06-01-x.md %}) [b]({% post_url 2019-06-02-y %})"
            ),
            "[a](en/_posts/2019-06-01-x.md) [b](2019-06-02-y.md)"
        );
    }

    #[test]
    fn links_are_listed_with_their_place() {
        let body = "Intro [a](/x/) and ![b](img.png).\n\n## Part\n\nSee [c][ref], <a href=\"/raw/\">raw</a> and [d](#part).\n\n[ref]: ../y/\n";
        let (html, links) = render_with_links(body, ROOT, &|_| None, &|_| None, None);
        assert!(html.contains("id=\"part\""), "{html}");
        let listed: Vec<(&str, usize, usize, bool)> = links
            .iter()
            .map(|l| (l.dest.as_str(), l.line, l.column, l.image))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("/x/", 1, 7, false),
                ("img.png", 1, 20, true),
                ("../y/", 5, 5, false),
                ("/raw/", 5, 18, false),
                ("#part", 5, 43, false),
            ]
        );
    }

    #[test]
    fn renders_extensions() {
        let html = render_html(
            "Intro \"quoted\" -- text[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n[^1]: A note.\n",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("“quoted”"), "{html}");
        assert!(html.contains("–"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = render_html(
            "## Background\n\ntext\n\n## Background\n\n## São Paulo\n\n## Own {#mine}\n",
        );
        assert!(html.contains("<h2 id=\"background\">"), "{html}");
        assert!(html.contains("<h2 id=\"background-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"sao-paulo\">"), "{html}");
        assert!(html.contains("<h2 id=\"mine\">"), "{html}");
    }

    #[test]
    fn headlines_get_the_punctuation_of_bodies() {
        for (written, expected) in [
            ("\"Not guilty\" verdict", "“Not guilty” verdict"),
            (
                "Putin's 'red lines' -- again",
                "Putin’s ‘red lines’ – again",
            ),
            ("Talks fail---strike on", "Talks fail—strike on"),
            ("Wait...", "Wait…"),
            ("Back to the '90s", "Back to the ’90s"),
            ("Rock 'n' roll", "Rock ‘n’ roll"),
            ("12-hour shift, 3-2 win", "12-hour shift, 3-2 win"),
            ("He said \"'yes'\"", "He said “‘yes’”"),
            ("Plain headline", "Plain headline"),
        ] {
            assert_eq!(smart_punctuation(written), expected, "{written}");
        }
        let body = super::render_html(
            "Putin's 'red lines' -- again",
            LinkBase {
                base_path: "/",
                article_link: None,
            },
        );
        assert!(
            body.contains("Putin’s ‘red lines’ – again"),
            "as in bodies: {body}"
        );
    }

    #[test]
    fn summary_is_text_before_more_marker() {
        let s = summary("First para.\n\nSecond *para*.\n\n<!-- more -->\n\nRest.").unwrap();
        assert!(s.html.contains("Second <em>para</em>."), "{}", s.html);
        assert!(!s.html.contains("Rest"));
        assert_eq!(s.text(), "First para. Second para.");
    }

    #[test]
    fn block_masks_know_every_byte() {
        for b in 0..=255u8 {
            let (spaces, letters) = block_masks(&[b; 64]);
            assert_eq!(spaces == u64::MAX, b.is_ascii_whitespace(), "{b:#x}");
            assert_eq!(spaces == 0, !b.is_ascii_whitespace(), "{b:#x}");
            let letter = b.is_ascii_alphanumeric() || b >= 0x80;
            assert_eq!(letters, if letter { u64::MAX } else { 0 }, "{b:#x}");
        }
    }

    #[test]
    fn summary_defaults_to_first_paragraph() {
        let s =
            summary("# Title\n\nThe *first* paragraph[^n].\n\nThe second.\n\n[^n]: note").unwrap();
        assert_eq!(s.html, "<p>The <em>first</em> paragraph.</p>");
        assert_eq!(s.text(), "The first paragraph.");
        assert!(summary("").is_none());
        assert!(summary("# Only a heading\n").is_none());
    }

    /// The byte-by-byte scan the faster one replaced, as its oracle.
    fn scan_reference(markdown: &str) -> BodyScan {
        let bytes = markdown.as_bytes();
        let mut found = BodyScan::default();
        let mut in_word = false;
        let mut word_counts = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                if in_word && word_counts {
                    found.words += 1;
                }
                in_word = false;
                word_counts = false;
                i += 1;
                continue;
            }
            if b == b'<' && bytes[i..].starts_with(b"<!--") {
                let end = markdown[i + 4..]
                    .find("-->")
                    .map_or(bytes.len(), |e| i + 4 + e + 3);
                let inside = markdown.get(i + 4..end.saturating_sub(3)).unwrap_or("");
                if found.more.is_none() && inside.trim() == "more" {
                    found.more = Some(i);
                }
                if in_word && word_counts {
                    found.words += 1;
                }
                in_word = false;
                word_counts = false;
                i = end;
                continue;
            }
            if b == b'{' {
                match bytes.get(i + 1..i + 3) {
                    Some([b'%', _]) => {
                        found.liquid.get_or_insert(i);
                    }
                    Some([b'{', b'<' | b'%']) => {
                        found.shortcode.get_or_insert(i);
                    }
                    _ => {}
                }
            }
            if markdown.is_char_boundary(i) && markdown[i..].chars().next().is_some_and(is_unspaced)
            {
                found.unspaced += 1;
            }
            in_word = true;
            // Bytes of non-ASCII characters count as letters (other scripts).
            word_counts |= b.is_ascii_alphanumeric() || b >= 0x80;
            i += 1;
        }
        if in_word && word_counts {
            found.words += 1;
        }
        found
    }

    proptest::proptest! {
        #[test]
        fn block_masks_agree_with_the_byte_tests(bytes in proptest::array::uniform32(proptest::num::u8::ANY), more in proptest::array::uniform32(proptest::num::u8::ANY)) {
            let mut block = [0u8; 64];
            block[..32].copy_from_slice(&bytes);
            block[32..].copy_from_slice(&more);
            let (spaces, letters) = block_masks(&block);
            for (i, &b) in block.iter().enumerate() {
                proptest::prop_assert_eq!(spaces >> i & 1 == 1, b.is_ascii_whitespace(), "byte {:#x}", b);
                proptest::prop_assert_eq!(letters >> i & 1 == 1, b.is_ascii_alphanumeric() || b >= 0x80, "byte {:#x}", b);
            }
        }

        #[test]
        fn block_counting_agrees_with_byte_counting(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b' ', b'\n', b'\t', 0x0c, b'\r', b'a', b'Z', b'7', b'-', b'#', b'|', 0xc3, 0xa9, 0xe6]),
                0..700,
            ),
            cuts in proptest::collection::vec(0usize..700, 0..4),
        ) {
            let mut by_bytes = WordCounter::default();
            by_bytes.feed_bytes(&bytes);
            by_bytes.end_word();
            // Fed in pieces, so blocks start anywhere in a word.
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut by_blocks = WordCounter::default();
            let mut start = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                by_blocks.feed(&bytes[start..cut]);
                start = cut;
            }
            by_blocks.end_word();
            proptest::prop_assert_eq!(by_blocks.words, by_bytes.words);
        }

        #[test]
        fn the_scan_agrees_with_the_byte_by_byte_one(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "word", " ", "\n", "<!--", "-->", " more ", "{%", "{{<", "{{%", "{", "#", "-",
                    "é", "東京", "42", "\t", "<", "!", "<!-- more -->", "x-->", "<!---->",
                    "ภาษาไทย", "かな", "—", "。", "𠀋",
                ]),
                0..60,
            )
        ) {
            let body: String = parts.concat();
            proptest::prop_assert_eq!(scan(&body), scan_reference(&body));
        }
    }

    #[test]
    fn one_scan_finds_markers_and_words() {
        let body = "One two.\n\n<!--more-->\n\n{% include x %} {{< figure >}} three";
        let found = scan(body);
        assert_eq!(found.more, Some(10));
        assert_eq!(found.liquid, Some(23));
        assert_eq!(found.shortcode, Some(39));
        assert_eq!(found.words, 6);
        assert_eq!(scan("<!-- not more --> x").more, None);
    }

    #[test]
    fn summaries_read_only_what_they_need_but_keep_references() {
        let s =
            summary("Intro with a [link][ref].\n\nMore.\n\n[ref]: https://example.org/\n").unwrap();
        assert!(
            s.html.contains("href=\"https://example.org/\""),
            "{}",
            s.html
        );
        let s = summary("# Head\n\n- list\n\nFirst *real* paragraph.\n\nSecond.\n").unwrap();
        assert_eq!(s.html, "<p>First <em>real</em> paragraph.</p>");
        assert_eq!(leading_blocks("# H\n\nPara.\n\nRest"), "# H\n\nPara.\n\n");
    }

    #[test]
    fn a_setext_heading_first_is_not_the_summary() {
        let s = summary("Big Title\n=========\n\nThe first paragraph.\n\nMore.\n").unwrap();
        assert_eq!(s.html, "<p>The first paragraph.</p>");
        let s = summary("Smaller\n---\n\nFirst *one*.\n").unwrap();
        assert_eq!(s.html, "<p>First <em>one</em>.</p>");
    }

    #[test]
    fn shortcut_and_collapsed_references_resolve_in_summaries() {
        let s =
            summary("See [the report].\n\nMore.\n\n[the report]: https://example.org/r\n").unwrap();
        assert!(
            s.html
                .contains("<a href=\"https://example.org/r\">the report</a>"),
            "{}",
            s.html
        );
        assert!(!s.html.contains('['), "{}", s.html);
        let s = summary("And [data][].\n\nMore.\n\n[data]: /data/\n").unwrap();
        assert!(s.html.contains("<a href=\"/data/\">data</a>"), "{}", s.html);
    }

    #[test]
    fn plain_summary_is_escaped() {
        let s = Summary::from_plain("Fish & <chips> \"quoted\"");
        assert_eq!(s.html, "<p>Fish &amp; &lt;chips&gt; &quot;quoted&quot;</p>");
        assert_eq!(s.text(), "Fish & <chips> \"quoted\"");
    }

    #[test]
    fn counts_words_not_markup() {
        assert_eq!(
            word_count("# Title here\n\n- one\n- two\n\n> quote | x\n"),
            6
        );
        let scanned = scan("東京の天気。 Hello world <!-- 中文 --> ภาษา");
        assert_eq!((scanned.words, scanned.unspaced), (4, 9));
        assert_eq!(reading_time(0, 0), 1);
        assert_eq!(reading_time(231, 0), 2);
        // 5,000 characters of Chinese are ten minutes, not one.
        assert_eq!(reading_time(5_000, 5_000), 10);
        assert_eq!(reading_time(230 + 500, 500), 2);
    }
}
