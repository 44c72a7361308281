//! A request as a curl command line for a POSIX shell. The token is not in it: `$(zorgtui --profile NAME token)`
//! gets it when the line runs, from the session zorgtui keeps for that profile (refreshed if due), so the line can
//! be pasted into a chat or a ticket. Only when asked does the line carry the live token itself. Everything else is
//! quoted so that a shell takes it as one word, whatever it holds (quotes, `$`, newlines).

use thiserror::Error;

use crate::config::Profile;
use crate::secret::Secret;

/// How `zorgtui token` is run from the line: the flags that select the profile, and the environment that moved
/// zorgtui's files (`ZORGTUI_CONFIG`, `ZORGTUI_DATA_DIR`) when it did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenCommand {
    /// `NAME=value` set for the command.
    pub env: Vec<(String, String)>,
    /// The program: `zorgtui`, found on `PATH`.
    pub program: String,
    /// Flags before `token`.
    pub args: Vec<String>,
}

impl TokenCommand {
    /// `zorgtui --profile NAME token`, with the issuer and client of a one-off profile (they make its store key).
    pub fn for_profile(profile: &Profile, env: &[(String, String)]) -> TokenCommand {
        let mut args = vec!["--profile".to_string(), profile.name.clone()];
        if profile.one_off {
            args.extend(["--issuer".to_string(), profile.issuer.clone()]);
            args.extend(["--client-id".to_string(), profile.client_id.clone()]);
        }
        TokenCommand { env: env.to_vec(), program: "zorgtui".to_string(), args }
    }

    /// `$(ZORGTUI_DATA_DIR='…' zorgtui --profile 'x' token)`, for inside double quotes.
    fn substitution(&self) -> String {
        let mut words: Vec<String> = self.env.iter().map(|(name, value)| format!("{name}={}", quote(value))).collect();
        words.push(quote(&self.program));
        words.extend(self.args.iter().map(|a| quote(a)));
        words.push("token".to_string());
        format!("$({})", words.join(" "))
    }
}

/// Where the line's token comes from.
#[derive(Debug, Clone, Copy)]
pub enum CurlToken<'a> {
    /// The request goes without one.
    None,
    /// `$(zorgtui … token)` when the line runs.
    Command(&'a TokenCommand),
    /// The live token itself, written into the line (asked for explicitly).
    Live(&'a Secret),
}

/// Why a request cannot be a curl line.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CurlError {
    #[error(
        "the body is not text (it holds bytes a shell line cannot carry): save it and use curl --data-binary @FILE"
    )]
    BinaryBody,
}

/// The curl line for a request: `method`, `url`, `headers` (an `Authorization` among them is left out when the
/// token goes by `token`), `body`.
pub fn command_line(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
    token: CurlToken<'_>,
) -> Result<String, CurlError> {
    let mut words = vec!["curl".to_string(), "-sS".to_string()];
    match method.to_ascii_uppercase().as_str() {
        "GET" => {}
        "HEAD" => words.push("--head".to_string()),
        other => words.extend(["-X".to_string(), quote(other)]),
    }
    words.push(quote(url));
    for (name, value) in headers {
        if !matches!(token, CurlToken::None) && name.eq_ignore_ascii_case("authorization") {
            continue;
        }
        words.extend(["-H".to_string(), quote(&format!("{name}: {value}"))]);
    }
    match token {
        CurlToken::None => {}
        // Double quotes, so the shell runs the command; nothing in it needs escaping from them.
        CurlToken::Command(command) => {
            words.extend(["-H".to_string(), format!("\"Authorization: Bearer {}\"", command.substitution())]);
        }
        CurlToken::Live(token) => {
            words.extend(["-H".to_string(), quote(&format!("Authorization: Bearer {}", token.expose()))]);
        }
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        let text = std::str::from_utf8(body).map_err(|_| CurlError::BinaryBody)?;
        if text.contains('\0') {
            return Err(CurlError::BinaryBody);
        }
        words.extend(["--data-binary".to_string(), quote(text)]);
    }
    Ok(words.join(" "))
}

/// One word for a POSIX shell: left as it is when nothing in it is special, else in single quotes (inside which
/// only `'` itself needs care: `'\''`).
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | ',' | '+' | '@' | '%'));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_in_sh(line: &str) -> Vec<String> {
        // `printf '%s\n'` stands in for curl: the shell's words, one a line.
        let script = line.replacen("curl", "printf '%s\\n'", 1);
        let output = std::process::Command::new("sh").arg("-c").arg(script).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().lines().map(str::to_string).collect()
    }

    #[test]
    fn every_word_reaches_curl_as_it_was_whatever_it_holds() {
        let body = "{\n  \"name\": \"O'Brien & $HOME `id` \\\"x\\\"\"\n}";
        let headers = vec![("X-Odd".to_string(), "a'b $(echo no)".to_string())];
        let line =
            command_line("POST", "https://h/v1/x?a=1&b=$2", &headers, Some(body.as_bytes()), CurlToken::None).unwrap();
        let words = run_in_sh(&line);
        let joined = words.join("\n");
        assert!(joined.contains("https://h/v1/x?a=1&b=$2"), "{joined}");
        assert!(joined.contains("X-Odd: a'b $(echo no)"), "{joined}");
        assert!(joined.contains(body), "{joined}");
    }

    #[test]
    fn the_token_comes_from_zorgtui_token_unless_the_live_one_is_asked_for() {
        let mut profile = Profile::new("my profile", "https://idp", "https://api", "cli");
        let command = TokenCommand::for_profile(&profile, &[("ZORGTUI_DATA_DIR".into(), "/tmp/a b".into())]);
        let line = command_line("GET", "https://api/x", &[], None, CurlToken::Command(&command)).unwrap();
        assert_eq!(
            line,
            "curl -sS https://api/x -H \"Authorization: Bearer $(ZORGTUI_DATA_DIR='/tmp/a b' zorgtui --profile 'my profile' token)\""
        );
        profile.one_off = true;
        let args = TokenCommand::for_profile(&profile, &[]).args;
        assert_eq!(args, ["--profile", "my profile", "--issuer", "https://idp", "--client-id", "cli"]);
        let token = Secret::new("live-token");
        let line = command_line("DELETE", "https://api/x", &[], None, CurlToken::Live(&token)).unwrap();
        assert_eq!(line, "curl -sS -X DELETE https://api/x -H 'Authorization: Bearer live-token'");
        assert_eq!(command_line("PUT", "u", &[], Some(b"\xff"), CurlToken::None), Err(CurlError::BinaryBody));
    }

    #[test]
    fn quoting_leaves_plain_words_alone() {
        assert_eq!(quote("application/json"), "application/json");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
