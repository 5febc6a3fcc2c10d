//! Malformed commands fail with the rule and position a reader can act on.

use crate::wire::command::*;

/// Parses `line` (CRLF appended), expecting failure at `offset` with `rule` open or
/// `expected` mentioned.
fn rejects(line: &str, offset: usize, needle: &str) {
    let frame = format!("{line}\r\n");
    let err = match parse_command(frame.as_bytes()) {
        Ok(c) => panic!("{line:?} parsed as {c:?}"),
        Err(e) => e,
    };
    let text = format!("{:?} {:?}", err.rules, err.expected);
    assert!(
        text.contains(needle),
        "{line:?}: {needle:?} not in {text}\n{err}"
    );
    assert_eq!(err.offset, offset, "{line:?}\n{err}");
}

#[test]
fn syntax_errors_are_located() {
    rejects("A1 FETCH 1 (FLAGS", 17, "SP or \\\")\\\"");
    rejects("A1 FETCH 1 BOGUSITEM", 11, "fetch-att");
    rejects("A1 FETCH 0 FLAGS", 9, "nz-number");
    rejects("A1 STORE 1 XFLAGS (\\Seen)", 11, "store-att-flags");
    rejects("A1 STORE 1 +FLAGS (a\"b)", 20, "SP or");
    rejects("A1 STORE 1 +FLAGS (\\Recent)", 19, "\\\\Recent");
    rejects("A1 SEARCH BOGUSKEY 1", 10, "search-key");
    rejects("A1 SEARCH SINCE 32-Foo-2000", 16, "date");
    rejects("A1 SEARCH SINCE 30-Feb-2000", 16, "date");
    rejects("A1 STATUS INBOX (MESSAGES BOGUS)", 26, "status-att");
    rejects("A1 UID BOGUS 1", 7, "uid");
    rejects("A1 NOOP extra", 7, "CRLF");
    rejects("A1 SELECT \"INBOX", 16, "quoted");
    rejects("A+1 NOOP", 1, "SP");
    rejects("", 0, "tag");
    rejects("A1 FROB", 3, "known command");
    rejects(
        "A1 APPEND INBOX \"99-Foo-2000 00:00:00 +0000\" {1}",
        17,
        "date-time",
    );
    rejects("A1 LOGIN a b c", 12, "CRLF");
    rejects("A1 LIST (RECURSIVEMATCH) \"\" *", 8, "RECURSIVEMATCH");
}

#[test]
fn trailing_bytes_after_crlf_are_an_error() {
    let err = parse_command(b"A1 NOOP\r\nA2 NOOP\r\n").unwrap_err();
    assert_eq!(err.offset, 9);
}

#[test]
fn literal_length_lies_are_caught() {
    assert!(parse_command(b"A1 LOGIN {10}\r\nabc x\r\n").is_err());
    assert!(parse_command(b"A1 LOGIN {3}\r\nab\0 x\r\n").is_err());
    assert!(parse_command(b"A1 LOGIN {3+}\r\nabc x\r\n").is_ok());
}

#[test]
fn search_depth_is_bounded() {
    let line = format!("A1 SEARCH {}ALL\r\n", "NOT ".repeat(40));
    let err = parse_command(line.as_bytes()).unwrap_err();
    assert!(format!("{:?}", err.expected).contains("nesting"), "{err}");
    let ok = format!("A1 SEARCH {}ALL\r\n", "NOT ".repeat(20));
    assert!(parse_command(ok.as_bytes()).is_ok());
}

#[test]
fn continuation_lines() {
    assert_eq!(parse_idle_done(b"DONE\r\n"), Ok(IdleDone));
    assert_eq!(parse_idle_done(b"done\r\n"), Ok(IdleDone));
    assert!(parse_idle_done(b"DONE \r\n").is_err());
    assert_eq!(
        parse_authenticate_data(b"*\r\n"),
        Ok(AuthenticateData::Cancel)
    );
    assert_eq!(
        parse_authenticate_data(b"AHVzZXIxAHBhc3M=\r\n"),
        Ok(AuthenticateData::Data(
            Base64::new("AHVzZXIxAHBhc3M=").unwrap()
        ))
    );
    assert!(parse_authenticate_data(b"AHVzZXIxAHBhc3M\r\n").is_err());
}

#[test]
fn case_insensitive_keywords_and_flag_forms() {
    let c = parse_command(b"a1 uid store 1:* -flags.silent \\SEEN $x\r\n").unwrap();
    let CommandBody::Store(store) = c.body else {
        panic!("{c:?}")
    };
    assert!(store.uid && store.silent && store.mode == StoreMode::Remove);
    assert_eq!(store.flags, vec![Flag::Seen, Flag::keyword("$x").unwrap()]);
}
