//! The API side: the endpoint catalogue (built in, or from an OpenAPI document) and the HTTP client.

pub mod builtin;
pub mod catalogue;
pub mod openapi;
pub mod spec_error;

pub use catalogue::{
    Catalogue, Method, OAuthScheme, Operation, OperationKey, Param, ParamLocation, RequestBody, Server, Tag,
};
pub use spec_error::SpecError;
