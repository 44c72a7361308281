//! `/organizations`: list, get by id, and add one (kept in memory for the rest of the run).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::error::{ApiError, Detail};
use super::listing::{ListQuery, Sorting};
use super::{Ctx, Reply};
use crate::demo::ids::random_uuid;
use crate::demo::model::{Address, Authorship, Organization};

const SORTING: Sorting = Sorting {
    fields: &["id", "name", "address.city", "createTime", "updateTime"],
    default_field: "name",
    default_descending: false,
};

pub(super) async fn list(State(ctx): Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> Reply {
    ctx.authorize(&headers, "organizations:read")?;
    let query = ListQuery::parse(query.as_deref(), &SORTING)?;
    Ok(query.respond(&ctx.organizations()))
}

pub(super) async fn get(State(ctx): Ctx, headers: HeaderMap, Path(id): Path<String>) -> Reply {
    ctx.authorize(&headers, "organizations:read")?;
    let organizations = ctx.organizations();
    let organization = organizations.iter().find(|o| o.id == id).ok_or_else(ApiError::not_found)?;
    Ok(Json(organization).into_response())
}

pub(super) async fn add(State(ctx): Ctx, headers: HeaderMap, body: Bytes) -> Reply {
    ctx.authorize(&headers, "organizations:write")?;
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&body) else {
        return Err(ApiError::bad_body());
    };
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let organization = validate(&fields, random_uuid(), Authorship::created(&now, &ctx.user.basic()))?;
    let mut organizations = ctx.organizations();
    if organizations.iter().any(|o| o.name.eq_ignore_ascii_case(&organization.name)) {
        return Err(ApiError::already_exists(format!("An organization named {} already exists", organization.name)));
    }
    organizations.push(organization.clone());
    drop(organizations);
    tracing::info!(id = %organization.id, "demo: organization added");
    let mut response = (StatusCode::CREATED, Json(&organization)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("{}/organizations/{}", ctx.api_base, organization.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Checks a posted `Organization` against the schema's rules, reporting every problem at once.
fn validate(fields: &Map<String, Value>, id: String, authorship: Authorship) -> Result<Organization, ApiError> {
    let mut details = Vec::new();
    let mut text = |name: &str, max: usize, required: bool| -> Option<String> {
        match fields.get(name) {
            None | Some(Value::Null) if required => details.push(Detail::new(name, format!("'{name}' is required"))),
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                details.push(Detail::new(name, format!("'{name}' must not be empty")));
            }
            Some(Value::String(s)) if s.chars().count() > max => {
                details.push(Detail::new(name, format!("'{name}' must be at most {max} characters")));
            }
            Some(Value::String(s)) => return Some(s.clone()),
            Some(_) => details.push(Detail::new(name, format!("'{name}' must be a string"))),
        }
        None
    };
    let name = text("name", 255, true);
    let email_address = text("emailAddress", 254, true);
    let description = text("description", 1000, false);
    let website = text("website", 1000, false);
    let github_url = text("githubUrl", 1000, false);
    let gitlab_url = text("gitlabUrl", 1000, false);
    let phone_number = text("phoneNumber", 50, false);
    if email_address.as_deref().is_some_and(|email| !email.contains('@')) {
        details.push(Detail::new("emailAddress", "'emailAddress' must be an email address"));
    }
    let address = fields.get("address").filter(|value| !value.is_null()).and_then(|value| {
        let address = serde_json::from_value::<Address>(value.clone()).ok();
        if address.is_none() {
            details.push(Detail::new("address", "'address' must be an Address object"));
        }
        address
    });
    match (name, email_address) {
        (Some(name), Some(email_address)) if details.is_empty() => Ok(Organization {
            id,
            name,
            description,
            website,
            github_url,
            gitlab_url,
            email_address,
            phone_number,
            address,
            authorship,
        }),
        _ => Err(ApiError::invalid_argument(details)),
    }
}
