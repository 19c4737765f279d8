//! Query strings: parsing them strictly (a bad value is a 400, not a guess)
//! and writing the links that change one filter of a search.

use super::Failure;
use crate::dataset::sqlite::{parse_kind, parse_period, Query};

/// Hits per page of the search page and `/api/search`.
pub const PER_PAGE: usize = 20;

/// Highest page number accepted (the hits end long before: a search ranks
/// at most its rank window).
const MAX_PAGE: usize = 10_000;

/// Longest query text accepted, in characters.
const MAX_QUERY_CHARS: usize = 500;

/// The decoded pairs of a query string (`+` is a space, `%C3%B8` is `ø`).
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(query: &str) -> Result<Params, Failure> {
        // form_urlencoded replaces invalid UTF-8 with U+FFFD rather than failing:
        // such a value is refused here instead of being searched for.
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        if pairs.iter().any(|(k, v)| k.contains('\u{FFFD}') || v.contains('\u{FFFD}')) {
            return Err(Failure::bad_request("the query string is not UTF-8"));
        }
        Ok(Params(pairs))
    }

    /// The first non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim())
    }
}

/// What the search page and `/api/search` were asked: `q`, `org`, `period`,
/// `kind`, `responsible`, `page` (from 1).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchParams {
    pub q: String,
    pub org: Option<String>,
    pub period: Option<String>,
    pub kind: Option<String>,
    pub responsible: Option<String>,
    pub page: usize,
}

/// The filters of a search, by their parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Organization,
    Period,
    Kind,
    Responsible,
}

impl Filter {
    pub const ALL: [Filter; 4] = [Filter::Organization, Filter::Period, Filter::Kind, Filter::Responsible];

    pub fn param(self) -> &'static str {
        match self {
            Filter::Organization => "org",
            Filter::Period => "period",
            Filter::Kind => "kind",
            Filter::Responsible => "responsible",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Filter::Organization => "Organization",
            Filter::Period => "Period",
            Filter::Kind => "Kind",
            Filter::Responsible => "Responsible",
        }
    }
}

impl SearchParams {
    /// Reads and checks the parameters: `page` a whole number from 1,
    /// `period` years as `planparse search --period` takes them, `kind` one of
    /// the document kinds, `q` at most 500 characters.
    pub fn parse(params: &Params) -> Result<SearchParams, Failure> {
        let q = params.get("q").unwrap_or_default().to_string();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(Failure::bad_request(format!("q: longer than {MAX_QUERY_CHARS} characters")));
        }
        let page = match params.get("page") {
            None => 1,
            Some(p) => match p.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                _ => return Err(Failure::bad_request(format!("page: {p:?} is not a page number (1, 2, ...)"))),
            },
        };
        let search = SearchParams {
            q,
            org: params.get("org").map(str::to_string),
            period: params.get("period").map(str::to_string),
            kind: params.get("kind").map(str::to_string),
            responsible: params.get("responsible").map(str::to_string),
            page,
        };
        search.query()?;
        Ok(search)
    }

    /// The dataset query for this page (`limit` one page; the offset is
    /// [`SearchParams::offset`]).
    pub fn query(&self) -> Result<Query, Failure> {
        let period = self.period.as_deref().map(parse_period).transpose().map_err(|e| Failure::bad_request(format!("period: {e}")))?;
        let kind = self.kind.as_deref().map(parse_kind).transpose().map_err(|e| Failure::bad_request(format!("kind: {e}")))?;
        Ok(Query { responsible: self.responsible.clone(), organization: self.org.clone(), period, kind, limit: PER_PAGE, ..Query::new(&self.q) })
    }

    pub fn offset(&self) -> usize {
        (self.page - 1) * PER_PAGE
    }

    pub fn filter(&self, filter: Filter) -> Option<&str> {
        match filter {
            Filter::Organization => self.org.as_deref(),
            Filter::Period => self.period.as_deref(),
            Filter::Kind => self.kind.as_deref(),
            Filter::Responsible => self.responsible.as_deref(),
        }
    }

    /// The same search with one filter set (or removed), from page 1.
    pub fn with_filter(&self, filter: Filter, value: Option<&str>) -> SearchParams {
        let mut next = SearchParams { page: 1, ..self.clone() };
        let slot = match filter {
            Filter::Organization => &mut next.org,
            Filter::Period => &mut next.period,
            Filter::Kind => &mut next.kind,
            Filter::Responsible => &mut next.responsible,
        };
        *slot = value.map(str::to_string);
        next
    }

    /// The same search on another page.
    pub fn with_page(&self, page: usize) -> SearchParams {
        SearchParams { page, ..self.clone() }
    }

    /// The link to this search under `base` (`/` or `/api/search`), with only
    /// the parameters that are set.
    pub fn url(&self, base: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        for filter in Filter::ALL {
            if let Some(value) = self.filter(filter) {
                query.append_pair(filter.param(), value);
            }
        }
        if self.page > 1 {
            query.append_pair("page", &self.page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{query}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<SearchParams, Failure> {
        SearchParams::parse(&Params::parse(query)?)
    }

    #[test]
    fn search_links_round_trip_through_the_query_string() {
        let search = parse("q=st%C3%B8tte+og&responsible=avd.+ledere&period=2021..2025&page=2").expect("parses");
        assert_eq!(search.q, "støtte og");
        assert_eq!(search.responsible.as_deref(), Some("avd. ledere"));
        assert_eq!(search.offset(), PER_PAGE);
        assert_eq!(parse(search.url("/").trim_start_matches("/?")).expect("parses"), search);
        let narrowed = search.with_filter(Filter::Kind, Some("action_plan"));
        assert_eq!(narrowed.page, 1);
        assert_eq!(narrowed.url("/"), "/?q=st%C3%B8tte+og&period=2021..2025&kind=action_plan&responsible=avd.+ledere");
    }

    #[test]
    fn bad_values_are_refused_with_the_parameter_named() {
        for (query, name) in [("page=0", "page"), ("page=x", "page"), ("period=2025..2021", "period"), ("kind=plan", "kind")] {
            let failure = parse(query).expect_err(query);
            assert_eq!(failure.status, 400);
            assert!(failure.message.starts_with(name), "{query}: {}", failure.message);
        }
        assert!(parse(&format!("q={}", "a".repeat(501))).is_err());
        assert!(Params::parse("q=%FF").is_err());
        assert_eq!(parse("q=&page=").expect("empty values are unset"), SearchParams { page: 1, ..SearchParams::default() });
    }
}
