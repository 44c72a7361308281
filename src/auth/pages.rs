//! The pages the loopback listener shows in the browser. Static text: nothing from the request is ever echoed, so
//! nothing in a URL can script or restyle them.

/// Which page to answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The sign-in came back: the tab can be closed.
    Done,
    /// A callback for another sign-in (wrong or missing `state`).
    NotOurs,
    /// The sign-in ended without a code (refused, cancelled, or a response that cannot be trusted).
    Refused,
    /// Nothing is served at this path.
    NotFound,
    /// Only GET is served.
    MethodNotAllowed,
    /// zorgtui stopped waiting.
    Gone,
    /// The browser came back from ending the session at the server.
    SignedOut,
}

impl Page {
    pub fn status(self) -> u16 {
        match self {
            Page::Done | Page::Refused | Page::SignedOut => 200,
            Page::NotOurs => 400,
            Page::NotFound => 404,
            Page::MethodNotAllowed => 405,
            Page::Gone => 503,
        }
    }

    pub fn html(self) -> &'static str {
        match self {
            Page::Done => DONE,
            Page::NotOurs => NOT_OURS,
            Page::Refused => REFUSED,
            Page::NotFound => NOT_FOUND,
            Page::MethodNotAllowed => METHOD_NOT_ALLOWED,
            Page::Gone => GONE,
            Page::SignedOut => SIGNED_OUT,
        }
    }
}

macro_rules! page {
    ($title:literal, $text:literal) => {
        concat!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>zorgtui: ",
            $title,
            "</title><style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}",
            "</style></head><body><h1>",
            $title,
            "</h1><p>",
            $text,
            "</p></body></html>\n"
        )
    };
}

const DONE: &str =
    page!("Sign-in received", "zorgtui has the sign-in. You can close this tab and go back to the terminal.");
const NOT_OURS: &str = page!(
    "Not the sign-in zorgtui is waiting for",
    "This address belongs to another sign-in (its state does not match). zorgtui is still waiting: open the \
     address it shows now."
);
const REFUSED: &str = page!(
    "Sign-in did not complete",
    "The sign-in ended without a result zorgtui can use. The terminal says why. You can close this tab."
);
const SIGNED_OUT: &str = page!(
    "Signed out",
    "You are signed out, here and at the sign-in server. The next sign-in asks who you are. You can close this tab."
);
const NOT_FOUND: &str = page!("Nothing here", "zorgtui only listens here for the end of a sign-in.");
const METHOD_NOT_ALLOWED: &str = page!("Nothing here", "zorgtui only listens here for the end of a sign-in.");
const GONE: &str =
    page!("zorgtui is no longer waiting", "This sign-in is over or was cancelled. Start a new one in zorgtui.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_small_and_complete() {
        for page in [
            Page::Done,
            Page::NotOurs,
            Page::Refused,
            Page::NotFound,
            Page::MethodNotAllowed,
            Page::Gone,
            Page::SignedOut,
        ] {
            let html = page.html();
            assert!(html.starts_with("<!doctype html>") && html.ends_with("</html>\n"));
            assert!(html.len() < 1024);
        }
        assert!(Page::Done.html().contains("close this tab"));
    }
}
