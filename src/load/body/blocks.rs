//! The body as a flat list of blocks in document order: headings (markdown,
//! HTML and bold-only paragraphs), list items with their depth, paragraphs
//! outside lists, and table rows (markdown and HTML).

use super::text;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BlockKind {
    /// Level 1-6, or 7 for a paragraph that is only bold text.
    Heading { level: u8, text: String },
    /// A list item's own text (nested lists excluded).
    Item {
        depth: usize,
        text: String,
        link: Option<String>,
        checkbox: Option<bool>,
        has_children: bool,
    },
    /// A paragraph outside any list.
    Paragraph { text: String },
    /// A table row; `table` tells tables apart.
    Row {
        table: usize,
        header: bool,
        cells: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// Byte range in the body.
    pub start: usize,
    pub end: usize,
    pub kind: BlockKind,
}

#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub blocks: Vec<Block>,
    /// Byte ranges of code blocks (not read for `ACTION:` lines or details).
    pub code: Vec<(usize, usize)>,
}

struct ItemB {
    start: usize,
    end: usize,
    depth: usize,
    text: String,
    link: Option<String>,
    checkbox: Option<bool>,
    has_children: bool,
    closed: bool,
}

struct ParaB {
    start: usize,
    end: usize,
    text: String,
    strong_depth: usize,
    capturing: bool,
    lead: Option<String>,
    only_strong: bool,
}

struct RowB {
    start: usize,
    end: usize,
    header: bool,
    cells: Vec<String>,
}

/// The state of one pass over the markdown events of a body.
struct Collector<'b> {
    body: &'b str,
    doc: Doc,
    items: Vec<ItemB>,
    para: Option<ParaB>,
    heading: Option<(u8, usize, usize, String)>,
    row: Option<RowB>,
    cell: Option<String>,
    table: usize,
    in_code: bool,
    in_html: bool,
}

/// Splits `body` into blocks.
pub(crate) fn collect(body: &str) -> Doc {
    let opts: Options = crate::text::MARKDOWN_OPTIONS;
    let mut c = Collector {
        body,
        doc: Doc::default(),
        items: Vec::new(),
        para: None,
        heading: None,
        row: None,
        cell: None,
        table: 0,
        in_code: false,
        in_html: false,
    };
    for (ev, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match ev {
            Event::Start(tag) => c.start(tag, range),
            Event::End(tag) => c.end(tag),
            Event::Text(s) | Event::Code(s) if !c.in_code && !c.in_html => c.push_text(&s),
            Event::SoftBreak | Event::HardBreak => c.push_text("\n"),
            Event::InlineHtml(s) if s.to_ascii_lowercase().starts_with("<br") => {
                c.push_text("\n");
            }
            Event::TaskListMarker(done) => {
                if let Some(top) = c.items.last_mut() {
                    top.checkbox = Some(done);
                }
            }
            _ => {}
        }
    }
    let mut doc = c.doc;
    doc.blocks.sort_by_key(|b| b.start);
    doc
}

impl Collector<'_> {
    /// A block, list, table part or inline span opens.
    fn start(&mut self, tag: Tag, range: std::ops::Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some((level as u8, range.start, range.end, String::new()))
            }
            Tag::Item => self.items.push(ItemB {
                start: range.start,
                end: range.end,
                depth: self.items.len(),
                text: String::new(),
                link: None,
                checkbox: None,
                has_children: false,
                closed: false,
            }),
            Tag::List(_) => {
                if let Some(top) = self.items.last_mut() {
                    top.has_children = true;
                    top.closed = true;
                }
            }
            Tag::Paragraph => self.start_paragraph(range),
            Tag::Strong => {
                if let (Some(p), true) = (self.para.as_mut(), self.items.is_empty()) {
                    p.strong_depth += 1;
                    if p.lead.is_none() && p.text.trim().is_empty() {
                        p.capturing = true;
                    }
                }
            }
            Tag::CodeBlock(_) => {
                self.in_code = true;
                self.doc.code.push((range.start, range.end));
            }
            Tag::HtmlBlock => {
                self.in_html = true;
                let src = self.body.get(range.clone()).unwrap_or("");
                html_blocks(src, range.start, &mut self.table, &mut self.doc.blocks);
            }
            Tag::Table(_) => self.table += 1,
            Tag::TableHead | Tag::TableRow => {
                self.row = Some(RowB {
                    start: range.start,
                    end: range.end,
                    header: matches!(tag, Tag::TableHead),
                    cells: Vec::new(),
                })
            }
            Tag::TableCell => self.cell = Some(String::new()),
            Tag::Link { dest_url, .. } if self.heading.is_none() && self.cell.is_none() => {
                if let Some(top) = self.items.last_mut() {
                    if !top.closed && top.link.is_none() && !dest_url.trim().is_empty() {
                        top.link = Some(dest_url.trim().to_string());
                    }
                }
            }
            _ => {}
        }
    }

    /// A paragraph opens: a new line of the list item it is in, or a paragraph block.
    fn start_paragraph(&mut self, range: std::ops::Range<usize>) {
        if let Some(top) = self.items.last_mut() {
            if !top.closed && !top.text.trim().is_empty() {
                top.text.push('\n');
            }
        } else if self.heading.is_none() && self.row.is_none() {
            self.para = Some(ParaB {
                start: range.start,
                end: range.end,
                text: String::new(),
                strong_depth: 0,
                capturing: false,
                lead: None,
                only_strong: true,
            });
        }
    }

    /// A block, list, table part or inline span closes: the block it made is pushed.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, start, end, t)) = self.heading.take() {
                    self.doc.blocks.push(Block {
                        start,
                        end,
                        kind: BlockKind::Heading {
                            level,
                            text: text::clean(&t),
                        },
                    });
                }
            }
            TagEnd::Item => {
                if let Some(it) = self.items.pop() {
                    self.doc.blocks.push(Block {
                        start: it.start,
                        end: it.end,
                        kind: BlockKind::Item {
                            depth: it.depth,
                            text: it.text.trim().to_string(),
                            link: it.link,
                            checkbox: it.checkbox,
                            has_children: it.has_children,
                        },
                    });
                }
            }
            TagEnd::Paragraph if self.items.is_empty() => {
                if let Some(p) = self.para.take() {
                    push_paragraph(p, &mut self.doc.blocks);
                }
            }
            TagEnd::Strong => {
                if let (Some(p), true) = (self.para.as_mut(), self.items.is_empty()) {
                    p.strong_depth = p.strong_depth.saturating_sub(1);
                    if p.capturing && p.strong_depth == 0 {
                        p.capturing = false;
                        p.lead = Some(p.text.clone());
                    }
                }
            }
            TagEnd::CodeBlock => self.in_code = false,
            TagEnd::HtmlBlock => self.in_html = false,
            TagEnd::TableCell => {
                if let (Some(c), Some(r)) = (self.cell.take(), self.row.as_mut()) {
                    r.cells.push(text::clean(&c));
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(r) = self.row.take() {
                    self.doc.blocks.push(Block {
                        start: r.start,
                        end: r.end,
                        kind: BlockKind::Row {
                            table: self.table,
                            header: r.header,
                            cells: r.cells,
                        },
                    });
                }
            }
            _ => {}
        }
    }

    /// Text goes to the innermost open heading, table cell, list item or paragraph.
    fn push_text(&mut self, s: &str) {
        if let Some((_, _, _, t)) = self.heading.as_mut() {
            t.push_str(s);
        } else if let Some(c) = self.cell.as_mut() {
            c.push_str(s);
        } else if let Some(top) = self.items.last_mut() {
            if !top.closed {
                top.text.push_str(s);
            }
        } else if let Some(p) = self.para.as_mut() {
            if p.strong_depth == 0 && !s.trim().is_empty() {
                p.only_strong = false;
            }
            p.text.push_str(s);
        }
    }
}

/// A paragraph that is only bold text is a heading of level 7; one that starts
/// with a bold section name (`**Attendees:** Ana, Bo`) is that heading and the rest.
fn push_paragraph(p: ParaB, out: &mut Vec<Block>) {
    let whole = p.text.trim();
    if whole.is_empty() {
        return;
    }
    // `Attendees` alone on a line, names in the next paragraph: a heading too.
    let bare_name =
        !whole.contains('\n') && super::section_exact(whole.trim_end_matches(':').trim()).is_some();
    if (p.only_strong || bare_name) && whole.chars().count() <= 80 && !whole.contains('\n') {
        out.push(Block {
            start: p.start,
            end: p.end,
            kind: BlockKind::Heading {
                level: 7,
                text: text::clean(whole),
            },
        });
        return;
    }
    // `Attendees` alone on the first line of a paragraph of names.
    if let Some((first, rest)) = whole.split_once('\n') {
        let first = first.trim().trim_end_matches(':');
        if super::section_exact(first).is_some() && !rest.trim().is_empty() {
            out.push(Block {
                start: p.start,
                end: p.start,
                kind: BlockKind::Heading {
                    level: 7,
                    text: text::clean(first),
                },
            });
            out.push(Block {
                start: p.start,
                end: p.end,
                kind: BlockKind::Paragraph {
                    text: rest.trim().to_string(),
                },
            });
            return;
        }
    }
    if let Some(lead) = p.lead.as_deref() {
        let rest = p.text.get(lead.len()..).unwrap_or("");
        let rest = rest.trim_start().trim_start_matches(':').trim();
        if super::section_of(lead).is_some() && !rest.is_empty() {
            out.push(Block {
                start: p.start,
                end: p.start,
                kind: BlockKind::Heading {
                    level: 7,
                    text: text::clean(lead),
                },
            });
            out.push(Block {
                start: p.start,
                end: p.end,
                kind: BlockKind::Paragraph {
                    text: rest.to_string(),
                },
            });
            return;
        }
    }
    out.push(Block {
        start: p.start,
        end: p.end,
        kind: BlockKind::Paragraph {
            text: p.text.trim().to_string(),
        },
    });
}

/// Headings and table rows of an HTML block `src` that starts at byte `base`.
fn html_blocks(src: &str, base: usize, table: &mut usize, out: &mut Vec<Block>) {
    let lower = src.to_ascii_lowercase();
    let mut i = 0;
    let mut heading: Option<(u8, usize, usize)> = None;
    let mut row: Option<(usize, bool, Vec<String>)> = None;
    let mut cell: Option<usize> = None;
    let mut rows_in_table = 0usize;
    while let Some(rel) = lower.get(i..).and_then(|s| s.find('<')) {
        let at = i + rel;
        let Some(gt) = lower.get(at..).and_then(|s| s.find('>')).map(|r| at + r) else {
            break;
        };
        let inner = lower.get(at + 1..gt).unwrap_or("");
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let close_cell = |cell: &mut Option<usize>,
                          row: &mut Option<(usize, bool, Vec<String>)>| {
            if let (Some(cs), Some(r)) = (cell.take(), row.as_mut()) {
                r.2.push(text::strip_tags(src.get(cs..at).unwrap_or("")));
            }
        };
        match (closing, name.as_str()) {
            (false, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
                let level = name.as_bytes().get(1).map_or(1, |b| b - b'0');
                heading = Some((level, at, gt + 1));
            }
            (true, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
                if let Some((level, start, cs)) = heading.take() {
                    out.push(Block {
                        start: base + start,
                        end: base + gt + 1,
                        kind: BlockKind::Heading {
                            level,
                            text: text::strip_tags(src.get(cs..at).unwrap_or("")),
                        },
                    });
                }
            }
            (false, "table") => {
                *table += 1;
                rows_in_table = 0;
            }
            (false, "tr") | (true, "tr") | (true, "table") => {
                close_cell(&mut cell, &mut row);
                if let Some((start, header, cells)) = row.take() {
                    let header = header
                        || (rows_in_table == 0
                            && cells.iter().any(|c| text::norm_words(c) == ["name"]));
                    rows_in_table += 1;
                    out.push(Block {
                        start: base + start,
                        end: base + at,
                        kind: BlockKind::Row {
                            table: *table,
                            header,
                            cells,
                        },
                    });
                }
                if !closing && name == "tr" {
                    row = Some((at, false, Vec::new()));
                }
            }
            (false, "td" | "th") => {
                close_cell(&mut cell, &mut row);
                if let Some(r) = row.as_mut() {
                    r.1 |= name == "th";
                    cell = Some(gt + 1);
                }
            }
            (true, "td" | "th") => close_cell(&mut cell, &mut row),
            _ => {}
        }
        i = gt + 1;
    }
}
