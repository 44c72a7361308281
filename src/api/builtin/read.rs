//! Catalogue text read back into a [`Catalogue`].
//!
//! One fact per line, so the file can be checked by eye and diffs stay small:
//!
//! ```text
//! # comment
//! title : ZorgAPIs API 0.7.0
//! server https://api.example/v1 : Sandbox environment
//! oauth oauth2 authorize=https://... token=https://... [device=...] [oidc=...]
//! scopes openid users:read ...
//! notice : something worth telling
//! tag users : Users API                      (the operations below belong to this tag)
//! op GET /users/{id} id=getUser scope=users:read : Get a user
//!   path id required type=string example=abc : The ID of the user
//!   query limit type=integer default=100 enum=a enum=b : Page size
//!   body application/json required : {"compact":"JSON, shown pretty"}
//!   body text/plain example="raw text"
//! ```

use thiserror::Error;

use super::json_layout;
use super::line_format::{Line, split};
use crate::api::{Catalogue, Method, OAuthScheme, Operation, Param, ParamLocation, RequestBody, Server, Tag};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("catalogue text, line {line}: {problem}")]
pub struct CatalogueTextError {
    pub line: usize,
    pub problem: String,
}

/// Reads catalogue text; `source` becomes [`Catalogue::source`].
pub fn read_catalogue_text(text: &str, source: &str) -> Result<Catalogue, CatalogueTextError> {
    let mut catalogue = Catalogue { source: source.to_string(), ..Catalogue::default() };
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fail = |problem: String| CatalogueTextError { line: index + 1, problem };
        let line = split(trimmed).map_err(fail)?;
        apply(&mut catalogue, &line).map_err(fail)?;
    }
    Ok(catalogue)
}

fn apply(catalogue: &mut Catalogue, line: &Line<'_>) -> Result<(), String> {
    let text = line.text.unwrap_or_default().to_string();
    match line.keyword {
        "title" => catalogue.title = text,
        "server" => catalogue.servers.push(Server::plain(&word(line, 0, "a server URL")?, &text)),
        "oauth" => {
            catalogue.oauth = Some(OAuthScheme {
                scheme_name: word(line, 0, "a scheme name")?,
                authorization_url: line.get("authorize").map(str::to_string),
                token_url: line.get("token").map(str::to_string),
                device_authorization_url: line.get("device").map(str::to_string),
                openid_connect_url: line.get("oidc").map(str::to_string),
                scopes: Vec::new(),
            });
        }
        "scopes" => {
            let oauth = catalogue.oauth.as_mut().ok_or("`scopes` before `oauth`")?;
            oauth.scopes = line.words.iter().map(ToString::to_string).collect();
        }
        "notice" => catalogue.notices.push(text),
        "tag" => catalogue.tags.push(Tag { name: word(line, 0, "a tag name")?, description: text }),
        "op" => {
            let tag = catalogue.tags.last().ok_or("`op` before any `tag`")?.name.clone();
            let method_word = word(line, 0, "a method")?;
            let method = Method::parse(&method_word).ok_or_else(|| format!("unknown method `{method_word}`"))?;
            catalogue.operations.push(Operation {
                method,
                path: word(line, 1, "a path")?,
                tag,
                summary: text,
                operation_id: line.get("id").map(str::to_string),
                params: Vec::new(),
                body: None,
                scopes: line.all("scope"),
                accept: None,
            });
        }
        "body" => {
            let operation = current_operation(catalogue, "body")?;
            let example = match (line.text, line.get("example")) {
                (Some(json), _) => Some(json_layout::pretty(json).ok_or("the body example is not JSON")?),
                (None, raw) => raw.map(str::to_string),
            };
            let content_type = word(line, 0, "a content type")?;
            operation.body = Some(RequestBody { content_type, required: flag(line, "required"), example });
        }
        keyword => {
            let location = ParamLocation::parse(keyword).ok_or_else(|| format!("unknown line kind `{keyword}`"))?;
            let param = Param {
                name: word(line, 0, "a parameter name")?,
                location,
                required: flag(line, "required"),
                kind: line.get("type").map(str::to_string),
                default: line.get("default").map(str::to_string),
                example: line.get("example").map(str::to_string),
                allowed: line.all("enum"),
                description: text,
            };
            current_operation(catalogue, keyword)?.params.push(param);
        }
    }
    Ok(())
}

fn word(line: &Line<'_>, index: usize, what: &str) -> Result<String, String> {
    line.words.get(index).map(ToString::to_string).ok_or_else(|| format!("`{}` needs {what}", line.keyword))
}

/// A bare word after the first (the first is the name or content type).
fn flag(line: &Line<'_>, name: &str) -> bool {
    line.words.iter().skip(1).any(|w| w == name)
}

fn current_operation<'c>(catalogue: &'c mut Catalogue, keyword: &str) -> Result<&'c mut Operation, String> {
    catalogue.operations.last_mut().ok_or_else(|| format!("`{keyword}` before any `op`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_line() {
        let text = "# c\ntitle : Demo 1\nserver https://a/v1 : Sandbox\noauth o authorize=https://a/auth token=https://a/t\n\
                    scopes openid a:read\ntag users : Users API\n\
                    op GET /users/{id} id=getUser scope=a:read : Get a user\n  path id required type=string : The ID\n  \
                    query q default=\"\" enum=x enum=y\nop POST /users\n  body application/json required : {\"b\":1,\"a\":2}\n";
        let catalogue = read_catalogue_text(text, "built-in").unwrap();
        assert_eq!((catalogue.title.as_str(), catalogue.source.as_str()), ("Demo 1", "built-in"));
        assert_eq!(catalogue.oauth.as_ref().unwrap().scopes, ["openid", "a:read"]);
        let [get, post] = catalogue.operations.as_slice() else { panic!() };
        assert_eq!(
            (get.tag.as_str(), get.summary.as_str(), get.scopes.as_slice()),
            ("users", "Get a user", ["a:read".to_string()].as_slice())
        );
        assert!(get.params[0].required && get.params[0].location == ParamLocation::Path);
        assert_eq!(
            (get.params[1].default.as_deref(), get.params[1].allowed.as_slice()),
            (Some(""), ["x".to_string(), "y".to_string()].as_slice())
        );
        let body = post.body.as_ref().unwrap();
        assert!(body.required);
        assert_eq!(body.example.as_deref(), Some("{\n  \"b\": 1,\n  \"a\": 2\n}"));
    }

    #[test]
    fn mistakes_name_their_line() {
        let err = read_catalogue_text("tag t\nop FETCH /x\n", "t").unwrap_err();
        assert_eq!(err.to_string(), "catalogue text, line 2: unknown method `FETCH`");
        assert_eq!(read_catalogue_text("query q\n", "t").unwrap_err().problem, "`query` before any `op`");
        assert_eq!(read_catalogue_text("op GET /x\n", "t").unwrap_err().problem, "`op` before any `tag`");
        assert_eq!(read_catalogue_text("weird x\n", "t").unwrap_err().problem, "unknown line kind `weird`");
    }
}
