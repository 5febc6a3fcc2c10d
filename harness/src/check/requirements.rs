//! The requirements the detectors cite, with their catalog level. A test checks every one
//! against `shared/rfc/rfc3501-requirements*.tsv`, so a typo or a level drift fails CI.

use super::verdict::{Level, Requirement};

macro_rules! requirements {
    ($($name:ident = $id:literal, $level:ident;)*) => {
        $(pub const $name: Requirement = Requirement { id: $id, level: Level::$level };)*
        /// Every requirement cited by a detector (for the catalog test and reports).
        pub const ALL: &[Requirement] = &[$($name),*];
    };
}

requirements! {
    // syntax and tags
    GRAMMAR = "R3501-9-02", Must;
    BAD_FOR_SYNTAX_ERRORS = "R3501-2.2.2-03", Should;
    ONE_TAGGED_COMPLETION = "R3501-2.2.2-I01", Implied;
    RESULTS_PER_COMMAND = "R3501-6-I03", Implied;
    BASE_BEHAVIOUR_UNTIL_USED = "R3501-7.2.1-03", Must;
    BYE_BEFORE_CLOSE = "R3501-3.4-02", MustNot;
    CLOSE_READ_ONLY_SUCCEEDS = "R3501-6.4.2-I02", Implied;
    UNSUPPORTED_CHARSET_IS_NO = "R3501-6.4.4-07", Must;
    // sequence numbers and UIDs
    UID_STABLE_IN_SESSION = "R3501-2.3.1.1-02", MustNot;
    UIDNEXT_ONLY_GROWS = "R3501-2.3.1.1-05", MustNot;
    UIDVALIDITY_GROWS = "R3501-2.3.1.1-07", Must;
    UID_ASCENDING = "R3501-2.3.1.1-09", Must;
    SEQ_FOLLOWS_UID = "R3501-2.3.1.2-01", Must;
    NEW_MESSAGE_SEQ = "R3501-2.3.1.2-I01", Implied;
    EXPUNGE_RENUMBERS = "R3501-7.4.1-I01", Implied;
    STATUS_AGREES_WITH_SELECT = "R3501-6.3.10-I01", Implied;
    // notifications
    EXISTS_NEVER_SHRINKS = "R3501-5.2-I01", Implied;
    SIZE_CHANGES_REPORTED = "R3501-5.2-03", Must;
    FLAG_CHANGES_PUSHED = "R3501-5.2-04", Should;
    NO_EXPUNGE_WITHOUT_COMMAND = "R3501-7.4.1-01", MustNot;
    NO_EXPUNGE_DURING_FETCH_STORE_SEARCH = "R3501-7.4.1-02", MustNot;
    NO_EXPUNGE_WHILE_RECEIVING = "R3501-7.4.1-03", MustNot;
    // message data and flags
    STATIC_ITEMS_NEVER_CHANGE = "R3501-6.4.5-01", MustNot;
    UID_NAMES_ONE_MESSAGE = "R3501-2.3.1.1-I03", Implied;
    RECENT_ONE_SESSION = "R3501-2.3.2-I02", Implied;
    STORE_SEMANTICS = "R3501-6.4.6-I01", Implied;
    FLAGS_LIST_APPLICABLE = "R3501-7.2.6-I01", Implied;
    PERMANENTFLAGS_STORABLE = "R3501-6.3.1-I02", Implied;
    // extensions (catalog/extensions-requirements.tsv)
    IDLE_DONE_COMPLETES = "R2177-3-02", Must;
    IDLE_PUSHES_CHANGES = "R2177-3-I01", ImpliedShould;
    UIDPLUS_CODES = "R4315-3-01", Should;
    APPENDUID_SINGLE = "R4315-3-02", MustNot;
    UIDPLUS_UIDS_FRESH = "R4315-3-I01", Implied;
    MOVE_EXPUNGES_SOURCE = "R6851-3.3-01", Implied;
    MOVE_IS_ONE_ACTION = "R6851-3.3-02", ImpliedShould;
    MODSEQ_NEVER_DECREASES = "R7162-3.1-I01", Implied;
    MODSEQ_IN_EVERY_FETCH = "R7162-3.1-01", Must;
    VANISHED_REPLACES_EXPUNGE = "R7162-3.2.10-02", Must;
    VANISHED_ONLY_VISIBLE = "R7162-3.2.10-03", Must;
    VANISHED_ONLY_WHEN_ENABLED = "R7162-3.2.10-I01", Implied;
    QRESYNC_NEEDS_ENABLE = "R7162-3.2.5-02", Must;
    QRESYNC_AFTER_ENABLE = "R7162-3.2.5-I01", Implied;
    UNCHANGEDSINCE_ZERO_FAILS = "R7162-3.1.3-03", Must;
    ESEARCH_CORRELATED = "R4731-3.1-I01", Implied;
    ESEARCH_CONSISTENT = "R4731-3.1-02", Must;
    SORT_THREAD_IN_VIEW = "R5256-4-I01", Implied;
    REV2_SELECT_LIST = "R9051-6.3.2-01", Must;
    REV2_SELECT_CLOSED = "R9051-6.3.2-02", Must;
    REV2_SEARCH_IS_ESEARCH = "R9051-6.4.4-I01", Implied;
    REV2_UTF8_ONLY_ENABLED = "R9051-A-01", Must;
    REV2_SEARCH_CHARSETS = "R9051-6.4.4-01", Must;
    SORT_ORDER = "R5256-3-01", Must;
    THREAD_ORDER = "R5256-3-02", Must;
    THREAD_TREE = "R5256-3-03", Must;
    ID_ANSWERED = "R2971-3.2-01", Must;
    ID_LIMITS = "R2971-3.3-01", MustNot;
    ID_FIELD_ONCE = "R2971-3.3-02", MustNot;
    SORT_THREAD_AGREE = "R5256-3-I01", Implied;
    LITERAL_PLUS_AND_MINUS = "R7888-5-01", MustNot;
    LITERAL_MINUS_REJECTS = "R7888-5-02", Must;
    LITERAL_MINUS_APPEND_TOOBIG = "R7888-5-03", Must;
    LITERAL_MINUS_BYE_TOOBIG = "R7888-5-04", Should;
}

/// The project's own catalog of extension requirements (RFC 2177, 4315, 6851, …), in the
/// shared catalogs' format.
pub const EXTENSIONS_CATALOG: &str = include_str!("../../../catalog/extensions-requirements.tsv");

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cited id exists in the catalogs with the level we grade it by.
    #[test]
    fn every_requirement_is_in_the_catalog_with_its_level() {
        let mut catalog = String::new();
        for file in [
            "rfc/rfc3501-requirements.tsv",
            "rfc/rfc3501-requirements-implied.tsv",
        ] {
            let bytes = crate::testing::shared_file(file);
            catalog.push_str(&String::from_utf8(bytes).unwrap());
        }
        catalog.push_str(EXTENSIONS_CATALOG);
        for req in ALL {
            let row = catalog
                .lines()
                .find(|l| l.split('\t').next() == Some(req.id))
                .unwrap_or_else(|| panic!("{} is not in the catalog", req.id));
            let level = row.split('\t').nth(2).unwrap();
            assert!(
                req.level.catalog_spellings().contains(&level),
                "{}: catalog says {level}, we say {:?}",
                req.id,
                req.level
            );
        }
    }
}
