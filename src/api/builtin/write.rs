//! A catalogue written in the line format (see `read.rs` for the grammar).

use std::fmt::Write as _;

use super::line_format::{push_pair, push_text, push_word};
use crate::api::openapi::reformat_json;
use crate::api::{Catalogue, Operation, Param, ParamLocation};

/// `catalogue` as catalogue text, after `header` (comment lines, `# ` added to each).
pub fn write_catalogue_text(catalogue: &Catalogue, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    line(&mut out, "title", |l| push_text(l, &catalogue.title));
    for server in &catalogue.servers {
        line(&mut out, "server", |l| {
            push_word(l, &server.url);
            push_text(l, &server.description);
        });
    }
    if let Some(oauth) = &catalogue.oauth {
        line(&mut out, "oauth", |l| {
            push_word(l, &oauth.scheme_name);
            let urls = [
                ("authorize", &oauth.authorization_url),
                ("token", &oauth.token_url),
                ("device", &oauth.device_authorization_url),
                ("oidc", &oauth.openid_connect_url),
            ];
            for (key, url) in urls {
                if let Some(url) = url {
                    push_pair(l, key, url);
                }
            }
        });
        line(&mut out, "scopes", |l| oauth.scopes.iter().for_each(|scope| push_word(l, scope)));
    }
    for notice in &catalogue.notices {
        line(&mut out, "notice", |l| push_text(l, notice));
    }
    for tag in &catalogue.tags {
        out.push('\n');
        line(&mut out, "tag", |l| {
            push_word(l, &tag.name);
            push_text(l, &tag.description);
        });
        for operation in catalogue.operations.iter().filter(|op| op.tag == tag.name) {
            write_operation(&mut out, operation);
        }
    }
    out
}

fn write_operation(out: &mut String, operation: &Operation) {
    line(out, "op", |l| {
        push_word(l, operation.method.as_str());
        push_word(l, &operation.path);
        if let Some(id) = &operation.operation_id {
            push_pair(l, "id", id);
        }
        operation.scopes.iter().for_each(|scope| push_pair(l, "scope", scope));
        push_text(l, &operation.summary);
    });
    for param in &operation.params {
        write_param(out, param);
    }
    if let Some(body) = &operation.body {
        line(out, "  body", |l| {
            push_word(l, &body.content_type);
            if body.required {
                push_word(l, "required");
            }
            let Some(example) = body.example.as_deref() else { return };
            // Pretty JSON (as the loader lays it out) is stored compact, one line; any other text as it is.
            let is_our_pretty_json = reformat_json(example, true).as_deref() == Some(example);
            match reformat_json(example, false) {
                Some(compact) if is_our_pretty_json => push_text(l, &compact),
                _ => push_pair(l, "example", example),
            }
        });
    }
}

fn write_param(out: &mut String, param: &Param) {
    let keyword = match param.location {
        ParamLocation::Path => "  path",
        ParamLocation::Query => "  query",
        ParamLocation::Header => "  header",
        ParamLocation::Cookie => "  cookie",
    };
    line(out, keyword, |l| {
        push_word(l, &param.name);
        if param.required {
            push_word(l, "required");
        }
        let optional = [("type", &param.kind), ("default", &param.default), ("example", &param.example)];
        for (key, value) in optional {
            if let Some(value) = value {
                push_pair(l, key, value);
            }
        }
        param.allowed.iter().for_each(|value| push_pair(l, "enum", value));
        push_text(l, &param.description);
    });
}

fn line(out: &mut String, keyword: &str, fill: impl FnOnce(&mut String)) {
    out.push_str(keyword);
    fill(out);
    out.push('\n');
}
