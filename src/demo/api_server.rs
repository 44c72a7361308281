//! The demo API: ZorgAPIs' read operations (and adding an organization) over the demo data, behind bearer tokens
//! from the demo authorization server, with the scopes the spec asks per operation.

mod error;
mod filter;
mod listing;
mod organizations;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use self::error::ApiError;
use self::listing::{ListQuery, Sorting};
use super::data::{DemoData, DemoUser};
use super::model::Organization;
use super::tokens::{TokenStore, bearer};

/// What the API's handlers share.
pub(crate) struct ApiContext {
    tokens: Arc<TokenStore>,
    data: Arc<DemoData>,
    /// Starts as the demo data; `POST /organizations` adds to it for the rest of the run.
    organizations: Mutex<Vec<Organization>>,
    user: DemoUser,
    api_base: String,
}

impl ApiContext {
    pub(crate) fn new(tokens: Arc<TokenStore>, data: Arc<DemoData>, user: DemoUser, api_base: String) -> ApiContext {
        let organizations = Mutex::new(data.organizations.clone());
        ApiContext { tokens, data, organizations, user, api_base }
    }

    /// Admits a request whose bearer token is valid and holds `scope`.
    fn authorize(&self, headers: &HeaderMap, scope: &str) -> Result<(), ApiError> {
        let token = bearer(headers).ok_or_else(ApiError::missing_token)?;
        let grant = self.tokens.access(token).ok_or_else(ApiError::invalid_token)?;
        if grant.scopes.contains(scope) { Ok(()) } else { Err(ApiError::missing_scope(scope)) }
    }

    fn organizations(&self) -> MutexGuard<'_, Vec<Organization>> {
        self.organizations.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn router(context: ApiContext) -> Router {
    let api = Router::new()
        .route("/users/me", get(users_me))
        .route("/organizations", get(organizations::list).post(organizations::add))
        .route("/organizations/{organization_id}", get(organizations::get))
        .route("/api-requirements-versions", get(list_versions))
        .route("/api-requirements-versions/{version_name}", get(get_version))
        .route("/api-requirements-versions/{version_name}/api-requirements", get(list_requirements))
        .route("/api-specifications", get(list_specifications))
        .route("/api-specifications/{specification_id}", get(get_specification))
        .method_not_allowed_fallback(demo_read_only);
    Router::new().nest("/v1beta2", api).fallback(not_found).with_state(Arc::new(context))
}

type Ctx = State<Arc<ApiContext>>;
type Reply = Result<Response, ApiError>;

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn demo_read_only() -> ApiError {
    ApiError::demo_read_only()
}

async fn users_me(State(ctx): Ctx, headers: HeaderMap) -> Reply {
    ctx.authorize(&headers, "users:read")?;
    Ok(axum::Json(ctx.user.read()).into_response())
}

const VERSION_SORTING: Sorting = Sorting {
    fields: &["id", "name", "publishTime", "lifecycleState", "createTime", "updateTime"],
    default_field: "publishTime",
    default_descending: true,
};

async fn list_versions(State(ctx): Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> Reply {
    ctx.authorize(&headers, "api-requirements-versions:read")?;
    Ok(ListQuery::parse(query.as_deref(), &VERSION_SORTING)?.respond(&ctx.data.versions))
}

async fn get_version(State(ctx): Ctx, headers: HeaderMap, Path(name): Path<String>) -> Reply {
    ctx.authorize(&headers, "api-requirements-versions:read")?;
    let version = ctx.data.versions.iter().find(|version| version.name == name).ok_or_else(ApiError::not_found)?;
    Ok(axum::Json(version).into_response())
}

const REQUIREMENT_SORTING: Sorting = Sorting {
    fields: &["id", "code", "requirementLevel", "score", "category", "createTime", "updateTime"],
    default_field: "code",
    default_descending: false,
};

async fn list_requirements(
    State(ctx): Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    ctx.authorize(&headers, "api-requirements-versions:read")?;
    let requirements = ctx.data.requirements.get(&name).ok_or_else(ApiError::not_found)?;
    Ok(ListQuery::parse(query.as_deref(), &REQUIREMENT_SORTING)?.respond(requirements))
}

const SPECIFICATION_SORTING: Sorting = Sorting {
    fields: &["id", "name", "architecturalStyle", "createTime", "updateTime"],
    default_field: "createTime",
    default_descending: true,
};

async fn list_specifications(State(ctx): Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> Reply {
    ctx.authorize(&headers, "api-specifications:read")?;
    Ok(ListQuery::parse(query.as_deref(), &SPECIFICATION_SORTING)?.respond(&ctx.data.specifications))
}

async fn get_specification(State(ctx): Ctx, headers: HeaderMap, Path(id): Path<String>) -> Reply {
    ctx.authorize(&headers, "api-specifications:read")?;
    let specification = ctx.data.specifications.iter().find(|spec| spec.id == id).ok_or_else(ApiError::not_found)?;
    Ok(axum::Json(specification).into_response())
}
