use crate::check::text::parse;
use crate::history::EventKind;

#[test]
fn lines_become_events_with_preauth_greetings() {
    let h = parse("caps IMAP4rev1 IDLE\n1> A1 NOOP\n1< A1 OK done\n2! timeout A9\n").unwrap();
    assert_eq!(h.meta.capabilities, ["IMAP4rev1", "IDLE"]);
    assert_eq!(h.meta.sessions, 2);
    let kinds: Vec<&EventKind> = h.events.iter().map(|e| &e.kind).collect();
    assert!(matches!(kinds[0], EventKind::Connected { .. }));
    assert!(
        matches!(kinds[1], EventKind::Received { bytes } if *bytes.bytes() == *b"* PREAUTH ready\r\n")
    );
    assert!(
        matches!(kinds[2], EventKind::Sent { tag: Some(t), bytes, .. }
        if t == "A1" && *bytes.bytes() == *b"A1 NOOP\r\n")
    );
    assert!(matches!(kinds[6], EventKind::Timeout { tag: Some(t), .. } if t == "A9"));
    assert!(
        h.events
            .iter()
            .enumerate()
            .all(|(i, e)| e.index == i as u64)
    );
}

#[test]
fn received_literals_span_lines() {
    let h = parse("greeting none\n1< * 1 FETCH (BODY[] {7}\nab\ncd)\n").unwrap();
    let EventKind::Received { bytes } = &h.events[1].kind else {
        panic!("not received");
    };
    assert_eq!(*bytes.bytes(), *b"* 1 FETCH (BODY[] {7}\r\nab\r\ncd)\r\n");
}

#[test]
fn mutations_fragments_and_errors() {
    let h = parse("1>! A1 FETCH 1 (FLAGS\n1+ DONE\n").unwrap();
    assert!(matches!(
        &h.events[2].kind,
        EventKind::Sent {
            mutation: Some(_),
            ..
        }
    ));
    assert!(matches!(
        &h.events[3].kind,
        EventKind::Sent { tag: None, .. }
    ));
    assert_eq!(parse("1? x").unwrap_err().line, 1);
    assert!(parse("x> A1 NOOP").is_err());
    assert!(parse("1< * 1 FETCH (BODY[] {99}\nshort").is_err());
}
