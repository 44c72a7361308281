//! Lists as ZorgAPIs serves them: bare JSON arrays, paged by `limit` (1-100, default 100) and `skip`, ordered by
//! `sort=asc(field)` / `desc(field)`, narrowed by a `filter` expression, with `count=true` giving the total before
//! paging in a `Total-Count` header.

use std::cmp::Ordering;

use axum::Json;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::error::{ApiError, Detail};
use super::filter::Filter;

const MAX_LIMIT: usize = 100;

/// How one list may be sorted: the fields allowed and the default, as the spec's tables give them.
pub(crate) struct Sorting {
    pub(crate) fields: &'static [&'static str],
    pub(crate) default_field: &'static str,
    pub(crate) default_descending: bool,
}

#[derive(Debug)]
pub(crate) struct ListQuery {
    limit: usize,
    skip: usize,
    count: bool,
    sort_field: String,
    descending: bool,
    filter: Option<Filter>,
}

impl ListQuery {
    /// Reads the list parameters; every bad one is reported at once, as a 422 with one detail each.
    pub(crate) fn parse(raw_query: Option<&str>, sorting: &Sorting) -> Result<ListQuery, ApiError> {
        let mut query = ListQuery {
            limit: MAX_LIMIT,
            skip: 0,
            count: false,
            sort_field: sorting.default_field.to_owned(),
            descending: sorting.default_descending,
            filter: None,
        };
        let mut details = Vec::new();
        for (name, value) in url::form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes()) {
            match name.as_ref() {
                "limit" => match value.parse::<usize>() {
                    Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => query.limit = limit,
                    _ => {
                        details.push(Detail::new("limit", format!("'limit' must be an integer from 1 to {MAX_LIMIT}")));
                    }
                },
                "skip" => match value.parse::<usize>() {
                    Ok(skip) => query.skip = skip,
                    Err(_) => details.push(Detail::new("skip", "'skip' must be an integer of 0 or more")),
                },
                "count" => match value.as_ref() {
                    "true" => query.count = true,
                    "false" => query.count = false,
                    _ => details.push(Detail::new("count", "'count' must be true or false")),
                },
                "sort" => match parse_sort(&value, sorting.fields) {
                    Some((field, descending)) => (query.sort_field, query.descending) = (field, descending),
                    None => details.push(Detail::new(
                        "sort",
                        format!(
                            "'sort' must be asc(field) or desc(field), field one of: {}",
                            sorting.fields.join(", ")
                        ),
                    )),
                },
                "filter" => match Filter::parse(&value) {
                    Ok(filter) => query.filter = Some(filter),
                    Err(problem) => details.push(Detail::new("filter", format!("'filter' is not valid: {problem}"))),
                },
                _ => {}
            }
        }
        if details.is_empty() { Ok(query) } else { Err(ApiError::invalid_argument(details)) }
    }

    /// The page of `items` this query asks for, as a `200` with `Total-Count` when asked.
    pub(crate) fn respond<T: Serialize>(&self, items: &[T]) -> Response {
        let mut rows: Vec<(Value, &T)> =
            items.iter().map(|item| (serde_json::to_value(item).unwrap_or(Value::Null), item)).collect();
        if let Some(filter) = &self.filter {
            rows.retain(|(value, _)| filter.matches(value));
        }
        rows.sort_by(|(a, _), (b, _)| {
            let order = compare(field(a, &self.sort_field), field(b, &self.sort_field));
            if self.descending { order.reverse() } else { order }
        });
        let total = rows.len();
        let page: Vec<&T> = rows.into_iter().skip(self.skip).take(self.limit).map(|(_, item)| item).collect();
        let mut response = Json(page).into_response();
        if self.count {
            response.headers_mut().insert("total-count", HeaderValue::from(total));
        }
        response
    }
}

/// `asc(name)` → `("name", false)`, for an allowed field only.
fn parse_sort(text: &str, fields: &[&str]) -> Option<(String, bool)> {
    let (direction, rest) = text.trim().split_once('(')?;
    let field = rest.strip_suffix(')')?.trim();
    let descending = match direction.trim() {
        "asc" => false,
        "desc" => true,
        _ => return None,
    };
    fields.contains(&field).then(|| (field.to_owned(), descending))
}

/// The value at a dotted path (`address.city`); `Null` where there is none.
pub(crate) fn field<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').try_fold(value, |current, key| current.get(key)).unwrap_or(&Value::Null)
}

/// Strings case-insensitively (then exactly, for a stable order), numbers by value, nulls last.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b)),
        (Value::Number(a), Value::Number(b)) => {
            a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b)).unwrap_or(Ordering::Equal)
        }
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SORTING: Sorting =
        Sorting { fields: &["name", "address.city"], default_field: "name", default_descending: false };

    fn page(query: &str, items: &[Value]) -> Vec<Value> {
        let response = ListQuery::parse(Some(query), &SORTING).unwrap().respond(items);
        let bytes = futures_util::FutureExt::now_or_never(axum::body::to_bytes(response.into_body(), usize::MAX));
        serde_json::from_slice(&bytes.unwrap().unwrap()).unwrap()
    }

    #[test]
    fn sorts_pages_and_puts_nulls_last() {
        let items = [json!({"name": "b"}), json!({"name": "A"}), json!({"name": null}), json!({"name": "c"})];
        let names = |v: Vec<Value>| v.iter().map(|i| i["name"].clone()).collect::<Vec<_>>();
        assert_eq!(names(page("", &items)), [json!("A"), json!("b"), json!("c"), json!(null)]);
        assert_eq!(names(page("sort=desc(name)&limit=2", &items)), [json!(null), json!("c")]);
        assert_eq!(names(page("limit=2&skip=1", &items)), [json!("b"), json!("c")]);
        assert!(page("skip=10", &items).is_empty());
    }

    #[test]
    fn sorts_by_nested_fields() {
        let items = [json!({"address": {"city": "Utrecht"}}), json!({"address": {"city": "Groningen"}})];
        let sorted = page("sort=asc(address.city)", &items);
        assert_eq!(sorted[0]["address"]["city"], "Groningen");
    }

    #[test]
    fn bad_parameters_are_all_reported() {
        let error = ListQuery::parse(Some("limit=0&skip=-1&count=yes&sort=up(name)"), &SORTING).unwrap_err();
        let text = format!("{error:?}");
        for location in ["limit", "skip", "count", "sort"] {
            assert!(text.contains(&format!("location: \"{location}\"")), "{text}");
        }
        assert!(ListQuery::parse(Some("limit=101"), &SORTING).is_err());
        assert!(ListQuery::parse(Some("sort=asc(secret)"), &SORTING).is_err());
        assert!(ListQuery::parse(Some("limit=100&sort=desc(name)"), &SORTING).is_ok());
    }
}
