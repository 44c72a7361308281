//! The endpoint catalogue: what the explorer lists and what a request is built from.
//!
//! One model for every source (the built-in ZorgAPIs asset, any OpenAPI 3.0/3.1 document), so the rest of the
//! program never knows where an operation came from.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// HTTP methods an OpenAPI path item can hold, in the order a person expects to read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
        Method::Trace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    /// Parses a method name in any case (`get`, `GET`).
    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(text))
    }

    /// Whether requests with this method usually carry a body.
    pub fn takes_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn parse(text: &str) -> Option<ParamLocation> {
        match text {
            "path" => Some(ParamLocation::Path),
            "query" => Some(ParamLocation::Query),
            "header" => Some(ParamLocation::Header),
            "cookie" => Some(ParamLocation::Cookie),
            _ => None,
        }
    }
}

/// One parameter of an operation, reduced to what the request editor needs. What is empty is left out when kept
/// (the spec cache): most of a big catalogue's parameters have no example, enum or description, and a second start
/// reads the catalogue back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    /// The schema's type (`integer`, `string`, `boolean`, ...), when the spec gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The schema's default, as the text that would go on the wire (`100`, `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// An example value, shown as a hint and never sent on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Allowed values when the schema is an enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// First line of the description, for the editor's hint line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// The request body an operation takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestBody {
    pub content_type: String,
    pub required: bool,
    /// A ready-to-edit example (pretty JSON for JSON bodies), from the spec's examples or built from the schema.
    pub example: Option<String>,
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub method: Method,
    /// The path template as written in the spec, e.g. `/organizations/{organizationId}`.
    pub path: String,
    /// The group this operation is listed under (its first tag; `default` when it has none).
    pub tag: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<RequestBody>,
    /// OAuth2 scopes the operation needs (from its own `security`, else the document's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// What to ask for in `Accept` when the operation answers in something other than JSON (an image, text);
    /// `None` asks for `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
    /// The links its responses declare (OpenAPI `links`): operations that may follow, and how to fill them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ResponseLink>,
    /// A longer description than the summary, where the source gives one (a Postman request's `description`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A link a response declares: another operation (by `operationId` or `operationRef`) and its parameters, each a
/// runtime expression (`$response.body#/id`) or a constant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseLink {
    /// The response it is declared for: `200`, `2XX`, `default`.
    pub status: String,
    pub name: String,
    pub operation_id: Option<String>,
    pub operation_ref: Option<String>,
    /// Parameter name (perhaps qualified: `path.id`) and expression, in the document's order. A constant that is
    /// not a string is its JSON text.
    pub parameters: Vec<(String, String)>,
    pub description: String,
}

impl Operation {
    /// An operation known only by its method and path (a request typed on the command line, a test).
    pub fn bare(method: Method, path: &str) -> Operation {
        Operation {
            method,
            path: path.to_string(),
            tag: String::new(),
            summary: String::new(),
            operation_id: None,
            params: Vec::new(),
            body: None,
            scopes: Vec::new(),
            accept: None,
            links: Vec::new(),
            description: String::new(),
        }
    }

    /// A key that names this operation uniquely within a catalogue: `GET /users/me`.
    pub fn key(&self) -> OperationKey {
        OperationKey(format!("{} {}", self.method, self.path))
    }

    pub fn path_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location == ParamLocation::Path)
    }

    pub fn query_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location == ParamLocation::Query)
    }

    pub fn header_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location == ParamLocation::Header)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OperationKey(pub String);

impl fmt::Display for OperationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A server the spec offers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Server {
    /// The URL with every variable at its default, made absolute against the spec's URL when written relative (a
    /// relative URL stays relative for a spec read from a file).
    pub url: String,
    pub description: String,
    /// The URL as written, `{name}` placeholders kept, made absolute like `url`; [`Server::url_with`] fills it.
    pub template: String,
    /// The `{name}` placeholders of `template`, in spec order.
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// A server without variables.
    pub fn plain(url: &str, description: &str) -> Server {
        Server {
            url: url.to_string(),
            description: description.to_string(),
            template: url.to_string(),
            variables: Vec::new(),
        }
    }

    /// The URL with `values` (name, value) in place of its variables; a variable not given keeps its default.
    pub fn url_with(&self, values: &[(&str, &str)]) -> String {
        let mut url = self.template.clone();
        for variable in &self.variables {
            let value =
                values.iter().find(|(name, _)| *name == variable.name).map_or(variable.default.as_str(), |v| v.1);
            url = url.replace(&format!("{{{}}}", variable.name), value);
        }
        url
    }
}

/// A `{name}` in a server URL: its default, and the values the spec allows when it lists them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub allowed: Vec<String>,
    pub description: String,
}

/// A tag, in the order the catalogue lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
    pub description: String,
    /// The group this one is nested in (a Postman folder inside a folder), by name; `None` at the top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl Tag {
    /// A group at the top level.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Tag {
        Tag { name: name.into(), description: description.into(), parent: None }
    }

    /// How deep it is nested: 0 at the top.
    pub fn depth(&self, catalogue: &Catalogue) -> usize {
        let mut depth = 0;
        let mut parent = self.parent.as_deref();
        // Bounded by the number of tags, so a cycle in a hand-made catalogue cannot loop forever.
        while let Some(name) = parent
            && depth < catalogue.tags.len()
        {
            depth += 1;
            parent = catalogue.tags.iter().find(|t| t.name == name).and_then(|t| t.parent.as_deref());
        }
        depth
    }
}

/// The OAuth2 endpoints a spec's security scheme names (informational: the profile's issuer stays in charge).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OAuthScheme {
    pub scheme_name: String,
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub device_authorization_url: Option<String>,
    /// For an `openIdConnect` scheme: its discovery document (`.../.well-known/openid-configuration`).
    pub openid_connect_url: Option<String>,
    /// All scopes the scheme declares, in spec order.
    pub scopes: Vec<String>,
}

/// One security scheme of the document (`components.securitySchemes`, or Swagger 2.0's `securityDefinitions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityScheme {
    /// The name operations use in their `security` requirements.
    pub name: String,
    pub description: String,
    pub kind: SchemeKind,
}

/// What a security scheme asks the client to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SchemeKind {
    /// OAuth2 with its flows, interactive ones first as written (Swagger 2.0's `accessCode` and `application` are
    /// read as `authorizationCode` and `clientCredentials`).
    OAuth2 { flows: Vec<OAuthFlow> },
    /// OpenID Connect: the discovery document's URL.
    OpenIdConnect { url: String },
    /// A key sent as the header, query parameter or cookie `name`.
    ApiKey { name: String, location: ParamLocation },
    /// `Authorization: <scheme> ...`: `bearer` (with its format hint) or `basic` (scheme names are lowercase).
    Http { scheme: String, bearer_format: Option<String> },
    /// TLS client certificates.
    MutualTls,
    /// A type zorgtui does not know, as written.
    Other { kind: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FlowKind {
    AuthorizationCode,
    DeviceAuthorization,
    Implicit,
    Password,
    ClientCredentials,
}

impl FlowKind {
    /// The flow's name in an OpenAPI 3 `flows` object (or Swagger 2.0's `flow`), in any case.
    pub fn parse(name: &str) -> Option<FlowKind> {
        Some(match name {
            "authorizationCode" | "accessCode" => FlowKind::AuthorizationCode,
            "deviceAuthorization" => FlowKind::DeviceAuthorization,
            "implicit" => FlowKind::Implicit,
            "password" => FlowKind::Password,
            "clientCredentials" | "application" => FlowKind::ClientCredentials,
            _ => return None,
        })
    }
}

/// One OAuth2 flow with its endpoints and the scopes it declares (name, description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthFlow {
    pub kind: FlowKind,
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    pub device_authorization_url: Option<String>,
    pub scopes: Vec<(String, String)>,
}

/// One way to satisfy an operation's security: every scheme it names, each with the scopes it needs. An empty
/// requirement (`{}` in the document) lets anonymous requests in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SecurityRequirement {
    pub schemes: Vec<(String, Vec<String>)>,
}

/// A loaded catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Catalogue {
    /// `info.title` and `info.version`, e.g. `ZorgAPIs API 0.7.0`.
    pub title: String,
    /// Where it came from, for the pane title and messages: a file path, a URL, or `built-in`.
    pub source: String,
    /// Tags in spec order: the document's `tags` list first, then tags first seen on operations, then `default`.
    pub tags: Vec<Tag>,
    /// Operations grouped by tag in `tags` order, and in document order within a tag.
    pub operations: Vec<Operation>,
    pub servers: Vec<Server>,
    pub oauth: Option<OAuthScheme>,
    /// Every security scheme the document declares, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The `security` of each operation that has any (its own, else the document's), as alternatives: any one of
    /// them lets the request in. An operation missing here needs none. Keyed by [`Operation::key`].
    pub security: BTreeMap<OperationKey, Vec<SecurityRequirement>>,
    /// Things worth telling the person that are not errors (e.g. "webhooks only, no paths").
    pub notices: Vec<String>,
}

impl Catalogue {
    pub fn find(&self, key: &OperationKey) -> Option<&Operation> {
        self.operations.iter().find(|op| &op.key() == key)
    }

    /// Takes the example bodies and notices of `whole`, the same document read with its bodies (see
    /// `openapi::parse_soon`); `false`, and nothing taken, when `whole` lists other operations.
    pub fn take_bodies_from(&mut self, whole: Catalogue) -> bool {
        let same = self.source == whole.source
            && self.operations.len() == whole.operations.len()
            && self.operations.iter().zip(&whole.operations).all(|(a, b)| a.method == b.method && a.path == b.path);
        if !same {
            return false;
        }
        for (op, made) in self.operations.iter_mut().zip(whole.operations) {
            if let (Some(body), Some(made)) = (op.body.as_mut(), made.body) {
                body.example = made.example;
            }
        }
        self.notices = whole.notices;
        true
    }

    /// The operation a request to `path` (under the server, e.g. `/users/42`) with `method` is: its template
    /// matches segment by segment, a `{name}` any one non-empty segment; of several, the one with the most literal
    /// segments (`/users/me` before `/users/{id}`).
    pub fn operation_at(&self, method: Method, path: &str) -> Option<&Operation> {
        let wanted: Vec<&str> = path.split('?').next().unwrap_or_default().trim_matches('/').split('/').collect();
        self.operations
            .iter()
            .filter(|op| op.method == method)
            .filter_map(|op| {
                let template: Vec<&str> = op.path.trim_matches('/').split('/').collect();
                let literal = template.len() == wanted.len()
                    && template
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| t == w || (t.starts_with('{') && t.ends_with('}') && !w.is_empty()));
                literal.then(|| (template.iter().filter(|t| !t.starts_with('{')).count(), op))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, op)| op)
    }

    /// The alternatives that let `operation` in; empty when it needs no credentials.
    pub fn security_of(&self, operation: &Operation) -> &[SecurityRequirement] {
        self.security.get(&operation.key()).map_or(&[], Vec::as_slice)
    }

    /// The scheme called `name`.
    pub fn scheme(&self, name: &str) -> Option<&SecurityScheme> {
        self.security_schemes.iter().find(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_finds_its_operation_by_template_literal_segments_first() {
        let catalogue = Catalogue {
            operations: ["/users/{id}", "/users/me", "/users/{id}/roles", "/"]
                .iter()
                .map(|path| Operation::bare(Method::Get, path))
                .chain([Operation::bare(Method::Post, "/users/{id}")])
                .collect(),
            ..Catalogue::default()
        };
        let at = |method, path| catalogue.operation_at(method, path).map(|op| (op.method, op.path.as_str()));
        assert_eq!(at(Method::Get, "/users/42"), Some((Method::Get, "/users/{id}")));
        assert_eq!(at(Method::Get, "users/me/"), Some((Method::Get, "/users/me")), "slashes at the ends aside");
        assert_eq!(at(Method::Get, "/users/42/roles?x=1"), Some((Method::Get, "/users/{id}/roles")));
        assert_eq!(at(Method::Post, "/users/7"), Some((Method::Post, "/users/{id}")));
        assert_eq!(at(Method::Get, "/"), Some((Method::Get, "/")));
        assert_eq!(at(Method::Get, "/users//roles"), None, "a parameter is never empty");
        assert_eq!(at(Method::Delete, "/users/42"), None);
        assert_eq!(at(Method::Get, "/groups"), None);
    }
}
