//! The API side: the endpoint catalogue (built in, or from an OpenAPI document), building requests, the HTTP client.

pub mod builtin;
pub mod catalogue;
pub mod client;
pub mod credentials;
pub mod openapi;
pub mod postman;
pub mod request;
pub mod response;
pub mod spec_cache;
pub mod spec_error;
pub mod spec_source;

pub use catalogue::{
    Catalogue, FlowKind, Method, OAuthFlow, OAuthScheme, Operation, OperationKey, Param, ParamLocation, RequestBody,
    ResponseLink, SchemeKind, SecurityRequirement, SecurityScheme, Server, ServerVariable, Tag,
};
pub use spec_error::SpecError;
