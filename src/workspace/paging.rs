//! The pages of a list. ZorgAPIs pages with `limit` and `skip` (`count=true` puts the total before paging in a
//! `Total-Count` header); other APIs say where the next and previous pages are in a `Link` header (RFC 8288,
//! `rel="next"` / `rel="prev"`). Both are read here, from the request as sent and the answer as it came.

/// Where a page of a list sits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// `skip` as sent (0 when not).
    pub skip: u64,
    /// `limit` as sent, when it was.
    pub limit: Option<u64>,
    /// How many items came (the body's top-level array), when it is one.
    pub items: Option<u64>,
    /// `Total-Count`, when the server gave it.
    pub total: Option<u64>,
    /// The `Link` header's next and previous pages, as absolute URLs.
    pub links: Links,
}

/// The pages a `Link` header names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl Page {
    /// Reads a page from what was sent (`query`) and what came (`headers`, `items`), resolving `Link`s against
    /// `url`.
    pub fn read(query: &[(String, String)], headers: &[(String, String)], items: Option<u64>, url: &str) -> Page {
        let number =
            |name: &str| query.iter().rev().find(|(n, _)| n == name).and_then(|(_, v)| v.trim().parse::<u64>().ok());
        let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let total = header("total-count").and_then(|v| v.trim().parse().ok());
        let mut links = Links::default();
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("link") {
                let found = parse_links(value, url);
                links.next = links.next.or(found.next);
                links.prev = links.prev.or(found.prev);
            }
        }
        Page { skip: number("skip").unwrap_or(0), limit: number("limit"), items, total, links }
    }

    /// Whether it is worth saying where the page is: a list that was paged, counted, or links to others.
    pub fn is_paged(&self) -> bool {
        self.total.is_some()
            || self.limit.is_some()
            || self.skip > 0
            || self.links.next.is_some()
            || self.links.prev.is_some()
    }

    /// "items 101–200 of 1234", "items 1–3", "no items past 40 of 40", or nothing when the body is no list.
    pub fn describe(&self) -> Option<String> {
        let items = self.items?;
        let of = self.total.map(|t| format!(" of {t}")).unwrap_or_default();
        if items == 0 {
            return Some(if self.skip == 0 {
                format!("no items{of}")
            } else {
                format!("no items past {}{of}", self.skip)
            });
        }
        Some(format!("items {}–{}{of}", self.skip + 1, self.skip + items))
    }

    /// How far `skip` moves a page: `limit`, else the number of items that came.
    fn step(&self) -> Option<u64> {
        self.limit.or(self.items).filter(|s| *s > 0)
    }

    /// `skip` for the next page; `None` when this is the last one.
    pub fn next_skip(&self) -> Option<u64> {
        let step = self.step()?;
        let items = self.items.unwrap_or(step);
        if items == 0 || self.limit.is_some_and(|limit| items < limit) {
            return None;
        }
        let next = self.skip + step;
        match self.total {
            Some(total) if next >= total => None,
            _ => Some(next),
        }
    }

    /// `skip` for the previous page; `None` on the first.
    pub fn prev_skip(&self) -> Option<u64> {
        (self.skip > 0).then(|| self.skip.saturating_sub(self.step().unwrap_or(self.skip)))
    }
}

/// The `next` and `prev` (or `previous`) targets of a `Link` header value, absolute against `base`. A link may have
/// several relation types (`rel="next last"`); parameters other than `rel` are read past.
pub fn parse_links(value: &str, base: &str) -> Links {
    let mut links = Links::default();
    let base = url::Url::parse(base).ok();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|i| open + i) else { break };
        let target = rest[open + 1..close].trim();
        let after = &rest[close + 1..];
        let end = next_link_start(after);
        // What is between this link and the next, less the comma that separates them.
        let params = after[..end].trim_end().trim_end_matches(',');
        rest = &after[end..];
        let rels = params.split(';').filter_map(|p| {
            let (name, value) = p.split_once('=')?;
            name.trim().eq_ignore_ascii_case("rel").then(|| value.trim().trim_matches('"').to_ascii_lowercase())
        });
        let absolute = || match &base {
            Some(base) => base.join(target).map(|u| u.to_string()).ok(),
            None => Some(target.to_string()),
        };
        for rel in rels.flat_map(|r| r.split_whitespace().map(str::to_string).collect::<Vec<_>>()) {
            match rel.as_str() {
                "next" if links.next.is_none() => links.next = absolute(),
                "prev" | "previous" if links.prev.is_none() => links.prev = absolute(),
                _ => {}
            }
        }
    }
    links
}

/// Where the next `<target>` of a Link value starts, skipping quoted strings (a title may hold `<` or `,`).
fn next_link_start(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => return i,
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
    }

    #[test]
    fn limit_and_skip_pages_with_a_total() {
        let page = Page::read(
            &pairs(&[("limit", "100"), ("skip", "100"), ("count", "true")]),
            &pairs(&[("Total-Count", "1234")]),
            Some(100),
            "https://h/v1/x",
        );
        assert_eq!(page.describe().as_deref(), Some("items 101–200 of 1234"));
        assert_eq!((page.next_skip(), page.prev_skip()), (Some(200), Some(0)));
        let last = Page { skip: 1200, items: Some(34), ..page.clone() };
        assert_eq!(last.describe().as_deref(), Some("items 1201–1234 of 1234"));
        assert_eq!(last.next_skip(), None, "the last page has no next");
        let first = Page { skip: 0, ..page };
        assert_eq!(first.prev_skip(), None);
    }

    #[test]
    fn without_a_limit_skip_moves_by_the_items_that_came() {
        let page = Page::read(&[], &[], Some(25), "https://h/x");
        assert_eq!(page.describe().as_deref(), Some("items 1–25"));
        assert_eq!(page.next_skip(), Some(25));
        let second = Page { skip: 25, ..page.clone() };
        assert_eq!(second.prev_skip(), Some(0));
        let short = Page { limit: Some(10), items: Some(3), ..page };
        assert_eq!(short.next_skip(), None, "fewer than asked for: the last page");
        let empty = Page { skip: 40, items: Some(0), total: Some(40), ..Page::default() };
        assert_eq!(empty.describe().as_deref(), Some("no items past 40 of 40"));
        assert_eq!(empty.next_skip(), None);
        assert_eq!(empty.prev_skip(), Some(0));
    }

    #[test]
    fn link_headers_name_the_next_and_previous_pages() {
        let links = parse_links(
            r#"<https://api.example/items?page=3>; rel="next", </items?page=1>; rel="prev first"; title="a, <b>", <https://api.example/items?page=9>; rel=last"#,
            "https://api.example/items?page=2",
        );
        assert_eq!(links.next.as_deref(), Some("https://api.example/items?page=3"));
        assert_eq!(links.prev.as_deref(), Some("https://api.example/items?page=1"));
        let page = Page::read(&[], &pairs(&[("link", "<?page=2>; rel=\"next\"")]), Some(10), "https://h/x?page=1");
        assert_eq!(page.links.next.as_deref(), Some("https://h/x?page=2"));
        assert!(page.is_paged());
        assert_eq!(parse_links("garbage", "https://h/"), Links::default());
    }
}
