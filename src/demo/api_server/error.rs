//! The ZorgAPIs error shape (`ApiError`: `{status, type, message, details[]}`) and the statuses the demo uses.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::demo::REALM;

/// `ApiErrorDetails`: which input was wrong and how.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Detail {
    pub(crate) location: String,
    pub(crate) message: String,
}

impl Detail {
    pub(crate) fn new(location: &str, message: impl Into<String>) -> Detail {
        Detail { location: location.to_owned(), message: message.into() }
    }
}

#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    details: Vec<Detail>,
    /// `WWW-Authenticate` (RFC 6750 §3) for 401 and 403.
    challenge: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    status: u16,
    #[serde(rename = "type")]
    kind: &'a str,
    message: &'a str,
    details: &'a [Detail],
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind, message: message.into(), details: Vec::new(), challenge: None }
    }

    /// No token at all: the challenge carries no error code (RFC 6750 §3.1).
    pub(crate) fn missing_token() -> ApiError {
        ApiError {
            challenge: Some(format!("Bearer realm=\"{REALM}\"")),
            ..ApiError::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "The request did not include valid authentication credentials",
            )
        }
    }

    /// A token that is unknown, revoked or expired.
    pub(crate) fn invalid_token() -> ApiError {
        ApiError {
            challenge: Some(format!(
                "Bearer realm=\"{REALM}\", error=\"invalid_token\", error_description=\"The access token is invalid or has expired\""
            )),
            ..ApiError::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "The request did not include valid authentication credentials",
            )
        }
    }

    /// A valid token without the scope the operation needs; the challenge names it, for a step-up sign-in.
    pub(crate) fn missing_scope(scope: &str) -> ApiError {
        ApiError {
            challenge: Some(format!("Bearer realm=\"{REALM}\", error=\"insufficient_scope\", scope=\"{scope}\"")),
            ..ApiError::new(
                StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                format!("The user is not authorized to make this request: the access token lacks the scope {scope}"),
            )
        }
    }

    /// The path exists but the demo does not serve this method on it (axum's own answer has no body).
    pub(crate) fn demo_read_only() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UNIMPLEMENTED",
            "The demo API serves reads (GET) and adding an organization (POST /organizations); the real API does more",
        )
    }

    pub(crate) fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "The resource you requested does not exist")
    }

    pub(crate) fn bad_body() -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", "Failed to parse body")
    }

    pub(crate) fn invalid_argument(details: Vec<Detail>) -> ApiError {
        ApiError {
            details,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_ARGUMENT",
                "A request parameter includes an invalid value",
            )
        }
    }

    pub(crate) fn already_exists(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "ALREADY_EXISTS", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            Body { status: self.status.as_u16(), kind: self.kind, message: &self.message, details: &self.details };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(challenge) = self.challenge.and_then(|text| HeaderValue::from_str(&text).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}
