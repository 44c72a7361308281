//! Loopback URLs: the only redirect URIs the demo accepts (RFC 8252 §7.3) and the only URLs [`approve`] fetches.
//!
//! [`approve`]: super::approve

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Why a URL is not a loopback `http` URL, in words for an error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotLoopback {
    Unparsable,
    NotHttp,
    OtherHost,
    HasUserInfo,
    HasFragment,
}

impl NotLoopback {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NotLoopback::Unparsable => "is not an absolute URL",
            NotLoopback::NotHttp => "does not use http (loopback redirects use plain http, RFC 8252 §7.3)",
            NotLoopback::OtherHost => "is not on 127.0.0.1, localhost or [::1]",
            NotLoopback::HasUserInfo => "carries a user name or password",
            NotLoopback::HasFragment => "has a fragment, which a redirect URI must not have",
        }
    }
}

/// Parses `text` as an `http` URL on a loopback host, any port and path (RFC 8252 §7.3).
pub(crate) fn parse(text: &str) -> Result<Url, NotLoopback> {
    let url = Url::parse(text).map_err(|_| NotLoopback::Unparsable)?;
    if url.scheme() != "http" {
        return Err(NotLoopback::NotHttp);
    }
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
        Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if !loopback {
        return Err(NotLoopback::OtherHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(NotLoopback::HasUserInfo);
    }
    if url.fragment().is_some() {
        return Err(NotLoopback::HasFragment);
    }
    Ok(url)
}

/// The scheme, host and port of `text`, to name a refused URL without its path or query (which may hold a code).
pub(crate) fn origin_of(text: &str) -> String {
    Url::parse(text).map_or_else(|_| "a URL that does not parse".to_owned(), |url| url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_on_any_port_are_accepted() {
        for ok in [
            "http://127.0.0.1:49152/callback",
            "http://127.0.0.1/",
            "http://localhost:8080/cb?x=1",
            "http://LOCALHOST:1/",
            "http://[::1]:5000/callback",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        let cases = [
            ("https://127.0.0.1/callback", NotLoopback::NotHttp),
            ("http://127.0.0.2/callback", NotLoopback::OtherHost),
            ("http://localhost.evil.example/", NotLoopback::OtherHost),
            ("http://evil.example/?127.0.0.1", NotLoopback::OtherHost),
            ("http://user@127.0.0.1/", NotLoopback::HasUserInfo),
            ("http://127.0.0.1/#frag", NotLoopback::HasFragment),
            ("javascript:alert(1)", NotLoopback::NotHttp),
            ("/relative", NotLoopback::Unparsable),
        ];
        for (text, why) in cases {
            assert_eq!(parse(text).err(), Some(why), "{text}");
        }
    }

    #[test]
    fn origin_hides_path_and_query() {
        assert_eq!(origin_of("https://evil.example:8443/cb?code=secret"), "https://evil.example:8443");
    }
}
