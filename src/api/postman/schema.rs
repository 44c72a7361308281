//! The shape of a Postman collection (v2.1, and v2.0 where it is the same) and of an environment, as serde reads
//! them. Leaves whose type varies between exporters (a variable's value may be a number, an auth parameter a
//! boolean) are kept as JSON values; anything a collection may leave out has a default, so an odd corner skips
//! that piece instead of refusing the whole file.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CollectionFile {
    pub info: Option<Info>,
    pub item: Vec<Item>,
    pub auth: Option<Auth>,
    pub event: Vec<Event>,
    pub variable: Vec<Variable>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Info {
    pub name: String,
    pub schema: String,
    pub description: Option<Description>,
    pub version: Option<Value>,
}

/// A folder (it has `item`) or a request (it has `request`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Item {
    pub name: String,
    pub description: Option<Description>,
    /// `item`: present on a folder, even when it is empty.
    #[serde(rename = "item")]
    pub children: Option<Vec<Item>>,
    pub request: Option<Request>,
    pub auth: Option<Auth>,
    pub event: Vec<Event>,
}

/// A request: a URL alone (`"request": "https://…"`), or the whole object.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Request {
    Url(String),
    Full(Box<FullRequest>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct FullRequest {
    pub method: Option<String>,
    pub url: Option<Url>,
    pub header: Option<Headers>,
    pub body: Option<Body>,
    pub auth: Option<Auth>,
    pub description: Option<Description>,
}

/// A URL as its text, or taken apart.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Url {
    Raw(String),
    Parts(Box<UrlParts>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct UrlParts {
    pub raw: Option<String>,
    pub protocol: Option<String>,
    pub host: Option<TextOrList>,
    pub port: Option<Value>,
    pub path: Option<PathParts>,
    pub query: Vec<KeyValue>,
    pub variable: Vec<Variable>,
}

/// `host` as `"a.b"` or `["a", "b"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum TextOrList {
    Text(String),
    List(Vec<String>),
}

/// `path` as `"a/b"`, or a list of segments (strings, or `{ "type": …, "value": … }` in older exports).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum PathParts {
    Text(String),
    List(Vec<Value>),
}

/// Headers as a list, or (as some exporters write them) one text of `Name: value` lines.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Headers {
    List(Vec<KeyValue>),
    Text(String),
}

/// A query parameter, header, urlencoded or form field.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct KeyValue {
    pub key: Option<String>,
    pub value: Option<Value>,
    pub disabled: bool,
    pub description: Option<Description>,
    /// For form fields: `text` or `file`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// For a form field of type `file`.
    pub src: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Body {
    pub mode: Option<String>,
    pub raw: Option<String>,
    pub urlencoded: Vec<KeyValue>,
    pub formdata: Vec<KeyValue>,
    pub graphql: Option<Value>,
    pub options: Option<Value>,
    pub disabled: bool,
}

/// `auth`: its type and the parameters of that type, as v2.1's list of `{key, value}` or v2.0's object.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Auth {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(flatten)]
    pub params: serde_json::Map<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Event {
    pub listen: String,
    pub script: Option<Script>,
    pub disabled: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Script {
    /// Lines of source, or (in some exports) one text.
    pub exec: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Variable {
    pub key: Option<String>,
    /// v2.0 exports sometimes name it `id`.
    pub id: Option<String>,
    pub value: Option<Value>,
    pub disabled: bool,
    pub enabled: Option<bool>,
    pub description: Option<Description>,
}

/// A description as text, or `{ "content": …, "type": "text/markdown" }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Description {
    Text(String),
    Object {
        #[serde(default)]
        content: Option<String>,
    },
    Other(serde::de::IgnoredAny),
}

impl Description {
    pub fn text(&self) -> &str {
        match self {
            Description::Text(text) => text,
            Description::Object { content } => content.as_deref().unwrap_or(""),
            Description::Other(_) => "",
        }
    }
}

/// An environment file (Postman's export: `name`, `values`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EnvironmentFile {
    pub name: Option<String>,
    pub values: Option<Vec<Variable>>,
    #[serde(rename = "_postman_variable_scope")]
    pub scope: Option<String>,
}

impl Variable {
    /// Its name, whichever way it is written.
    pub fn name(&self) -> Option<&str> {
        self.key.as_deref().or(self.id.as_deref()).filter(|k| !k.is_empty())
    }

    /// Whether it is in force: not `disabled`, and not `enabled: false` (environments).
    pub fn in_force(&self) -> bool {
        !self.disabled && self.enabled != Some(false)
    }
}

/// A JSON leaf as the text Postman would put in a request: strings as they are, numbers and booleans as written,
/// null as nothing.
pub(super) fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}
