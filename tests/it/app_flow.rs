//! The whole explorer, driven through its action channel against an API on 127.0.0.1: what a person does and sees.

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;
use zorgtui::app::Pane;

use crate::support::api_server::ApiServer;
use crate::support::drive::{driver, filter_and_send, press, profile, run_until, type_keys};
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn filter_send_and_read_the_json() {
    let api = ApiServer::start().await;
    let mut driver = driver(profile(&api.base()), 160, 48);
    let tx = driver.sender();
    filter_and_send(&tx, "api-requirements-versions");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;

    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Endpoints 5/74"), "{screen}");
    assert!(screen.contains("200 OK"), "{screen}");
    for field in ["\"publishTime\": \"2024-03-16T14:15:30.500Z\"", "\"lifecycleState\": \"PUBLISHED\"", "\"semVer\": {"]
    {
        assert!(screen.contains(field), "{field} on screen:\n{screen}");
    }
    assert!(screen.contains("GET /api-requirements-versions"), "{screen}");

    // The headers, one key away.
    driver.state.focus = Pane::Response;
    press(&tx, KeyCode::Char('H'));
    run_until(&mut driver, LIMIT, |s| s.response.show_headers).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("total-count: 2"), "{screen}");
}

#[tokio::test]
async fn a_slow_request_shows_a_spinner_and_esc_cancels_it() {
    let api = ApiServer::start().await;
    let mut driver = driver(profile(&api.base()), 80, 24);
    let tx = driver.sender();
    filter_and_send(&tx, "get /organizations");
    run_until(&mut driver, LIMIT, |s| s.response.in_flight.is_some()).await;
    let screen = render(&driver.state, 80, 24);
    assert!(screen.contains("GET /organizations") && screen.contains("Esc cancels"), "{screen}");

    // Keys keep working while it waits: the UI never blocks.
    press(&tx, KeyCode::Char('j'));
    press(&tx, KeyCode::Esc);
    run_until(&mut driver, LIMIT, |s| s.response.in_flight.is_none()).await;
    let screen = render(&driver.state, 80, 24);
    assert!(screen.contains("Cancelled GET /organizations"), "{screen}");
    assert!(driver.state.tick_interval().is_none(), "nothing animates once cancelled");
}

#[tokio::test]
async fn a_missing_path_value_is_asked_for_and_the_zorgapis_error_is_read() {
    let api = ApiServer::start().await;
    let mut driver = driver(profile(&api.base()), 160, 48);
    let tx = driver.sender();
    filter_and_send(&tx, "get /api-requirements-versions/{");
    run_until(&mut driver, LIMIT, |s| s.editor.line.is_some()).await;
    assert_eq!(driver.state.focus, Pane::Editor);
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("`versionName` needs a value"), "{screen}");
    assert!(screen.contains("path parameter `versionName` needs a value"), "the URL line says why: {screen}");

    type_keys(&tx, "9.9.9");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("404 Not Found"), "{screen}");
    assert!(screen.contains("NOT_FOUND The resource you requested does not exist"), "{screen}");
    assert!(screen.contains("• versionName: no such version"), "{screen}");
    assert!(screen.contains("/api-requirements-versions/9.9.9"), "{screen}");
}

#[tokio::test]
async fn html_and_empty_bodies_show_as_text_with_their_type() {
    let api = ApiServer::start().await;
    let mut driver = driver(profile(&api.base()), 160, 48);
    let tx = driver.sender();
    filter_and_send(&tx, "get /api-specifications");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("502 Bad Gateway") && screen.contains("text/html"), "{screen}");
    assert!(screen.contains("<html><body><h1>502 Bad Gateway</h1></body></html>"), "{screen}");

    press(&tx, KeyCode::Esc);
    filter_and_send(&tx, "get /trust-frameworks");
    run_until(&mut driver, LIMIT, |s| s.response.shown.as_ref().is_some_and(|r| r.status == 204)).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("(empty body (application/json))"), "{screen}");
}

#[tokio::test]
async fn control_characters_from_the_network_are_shown_escaped() {
    let api = ApiServer::start().await;
    let mut driver = driver(profile(&api.base()), 160, 48);
    let tx = driver.sender();
    filter_and_send(&tx, "get /communication-standards");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(!screen.chars().any(|c| c.is_control() && c != '\n'), "no raw control character reaches the screen");
    assert!(screen.contains(r"\u001b]0;pwned\u0007"), "{screen}");
    assert!(screen.contains(r"\u{9b}31m"), "C1 controls are escaped too: {screen}");

    // The inspector's other views escape as well: the raw text, a search, a filter's result.
    let clean = |screen: &str| !screen.chars().any(|c| c.is_control() && c != '\n');
    driver.state.focus = Pane::Response;
    press(&tx, KeyCode::Char('r'));
    run_until(&mut driver, LIMIT, |s| s.response.pane().is_some_and(|p| p.view().raw.is_some())).await;
    let screen = render(&driver.state, 160, 48);
    assert!(clean(&screen) && screen.contains(r"\u{9b}31m") && screen.contains("1 │ [{"), "raw: {screen}");
    press(&tx, KeyCode::Char('r'));
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "pwned");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| {
        s.response.pane().is_some_and(|p| p.view().match_position() == Some((Some(1), 1)))
    })
    .await;
    let screen = render(&driver.state, 160, 48);
    assert!(clean(&screen) && screen.contains("/pwned 1/1"), "search: {screen}");
    press(&tx, KeyCode::Char('|'));
    type_keys(&tx, ".[0] | to_entries");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.pane().is_some_and(|p| p.filtered().is_some())).await;
    press(&tx, KeyCode::Char('0'));
    run_until(&mut driver, LIMIT, |s| {
        s.response.pane().is_some_and(|p| p.view().tree.as_ref().unwrap().row_count() > 5)
    })
    .await;
    let screen = render(&driver.state, 160, 48);
    assert!(clean(&screen) && screen.contains(r"\u001b]0;pwned\u0007"), "filter: {screen}");
}

#[tokio::test]
async fn a_server_that_is_down_gets_a_clear_message_and_nothing_typed_is_lost() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut driver = driver(profile(&format!("http://127.0.0.1:{port}/v1beta2")), 160, 48);
    let tx = driver.sender();
    filter_and_send(&tx, "get /api-requirements-versions/{");
    type_keys(&tx, "1.2.0");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.failure.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains(&format!("cannot connect to 127.0.0.1:{port}")), "{screen}");
    assert!(screen.contains("is the server up"), "{screen}");
    assert_eq!(driver.state.editor.draft().unwrap().fields[0].value, "1.2.0");
}

#[tokio::test]
async fn a_spec_from_a_url_loads_in_the_background() {
    let api = ApiServer::start().await;
    let mut profile = profile(&api.base());
    profile.spec = Some(api.url("/spec/petstore.yaml"));
    let mut driver = driver(profile, 160, 48);
    assert!(driver.state.catalogue.loading.is_some(), "the first frame does not wait for the network");
    assert!(render(&driver.state, 160, 48).contains("loading http://"));
    run_until(&mut driver, LIMIT, |s| s.catalogue.loading.is_none()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Endpoints 4"), "{screen}");
    assert!(screen.contains("/pets/{id}"), "{screen}");
}

#[tokio::test]
async fn a_spec_url_that_fails_says_so_in_one_line() {
    let api = ApiServer::start().await;
    let mut profile = profile(&api.base());
    let url = api.url("/spec/nothing-here.yaml");
    profile.spec = Some(url.clone());
    let mut driver = driver(profile, 160, 48);
    run_until(&mut driver, LIMIT, |s| s.catalogue.loading.is_none()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains(&format!("{url}: the server answered 404")), "{screen}");
    assert!(screen.contains("Endpoints 74"), "the built-in catalogue stays: {screen}");
    // The message goes at the next key; the pane keeps saying why the spec is not there.
    press(&driver.sender(), KeyCode::Char('j'));
    run_until(&mut driver, LIMIT, |s| s.notice.is_none()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("spec not loaded: "), "{screen}");
}

#[tokio::test]
async fn the_response_pane_scrolls_through_the_json() {
    let api = ApiServer::start().await;
    let mut driver = driver(profile(&api.base()), 80, 24);
    let tx = driver.sender();
    filter_and_send(&tx, "get /api-requirements-versions");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    press(&tx, KeyCode::Tab);
    press(&tx, KeyCode::Tab);
    press(&tx, KeyCode::Char('G'));
    run_until(&mut driver, LIMIT, |s| {
        s.response
            .pane()
            .and_then(|p| p.view().tree.as_ref())
            .is_some_and(|i| i.cursor() > 0 && i.cursor() + 1 == i.row_count())
    })
    .await;
    // The document opens with its first element expanded and the others folded, so the end is the folded last one.
    let screen = render(&driver.state, 80, 24);
    assert!(screen.contains("│  {…} 4 keys") && screen.contains("│]"), "the end of the document is in view: {screen}");
}

#[tokio::test]
async fn a_response_without_end_stops_at_the_disk_cap_and_says_which_setting_raises_it() {
    let server = crate::support::hostile::Hostile::start(crate::support::hostile::Answer::GzipBomb).await;
    let mut profile = profile(&server.url("/v1beta2"));
    profile.limits.body_memory = 1 << 20;
    profile.limits.body_disk = 4 << 20;
    let mut driver = driver(profile, 160, 48);
    let tx = driver.sender();
    filter_and_send(&tx, "get /organizations");
    run_until(&mut driver, LIMIT, |s| s.response.failure.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("larger than 4.0 MB") && screen.contains("body_disk_cap_mb"), "{screen}");
    assert!(!screen.contains("no response"), "data was flowing: {screen}");
}
