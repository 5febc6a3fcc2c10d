//! `parse_response(encode(r)) == r` for generated valid responses of every kind.

use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::wire::parse_response;
use crate::wire::response::strategy::response;

/// Debug builds keep the deeply nested strategy and value trees on the stack; the
/// default 2 MiB test thread is not always enough, so the runner gets its own thread.
const STACK: usize = 64 * 1024 * 1024;

#[test]
fn parse_of_encode_is_identity() {
    let run = || {
        let mut runner = TestRunner::new(Config {
            cases: 2000,
            ..Config::default()
        });
        let result = runner.run(&response(), |r| {
            let bytes = r.to_bytes();
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            let parsed =
                parse_response(&bytes).map_err(|e| TestCaseError::fail(format!("{shown}\n{e}")))?;
            if parsed != r {
                return Err(TestCaseError::fail(format!(
                    "{shown}\n{parsed:?}\n!=\n{r:?}"
                )));
            }
            Ok(())
        });
        // Only the message crosses the thread boundary.
        result.map_err(|e| e.to_string())
    };
    let outcome = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
